"""The questionnaire page's intro is the questionnaire's own 说明, not the text its definition was seeded with,
and the page links back to where it was opened: the report's 上报 page or the 调查问卷 list (issue 21 §3)."""
import re

import pytest
from django.urls import reverse

from tests.reporting.conftest import Builder

pytestmark = pytest.mark.django_db


def test_the_intro_is_the_questionnaires_own_and_the_page_links_back_to_the_report(client, monthly, enterprises,
                                                                                     period):
    report_type, questionnaire = monthly
    enterprise = enterprises["com_demo01"]
    Builder(report_type, questionnaire).save(enterprise, period)  # steps 1-3 done: 调查问卷 is step 4
    seeded = questionnaire.definition.versions.get(status="published").document["description"]
    assert questionnaire.description and questionnaire.description != seeded
    client.force_login(enterprise.filler)
    submit = reverse("reporting:submit", args=[report_type.key, f"{period:%Y-%m}"])
    answer = reverse("survey_builder:answer", args=[questionnaire.pk, f"{period:%Y-%m}"])
    body = client.get(answer, {"next": submit}).content.decode()
    assert f'<p class="fd-description">{questionnaire.description}</p>' in body and seeded not in body
    assert re.search(rf'<a href="{re.escape(submit)}" data-testid="back-link">← 返回报表</a>', body)
    # Opened from the 调查问卷 list, it links back there; opened directly, no link.
    mine = reverse("survey_builder:mine")
    assert f'<a href="{mine}" data-testid="back-link">← 返回调查问卷</a>' in client.get(answer, {"next": mine}).content.decode()
    assert 'data-testid="back-link"' not in client.get(answer).content.decode()
