"""问卷发布和统计's list on Wagtail's listing (issue 21 §4): the filter drawer's filters go through the one
selector, the administrator's scope holds, pages of 20, the row actions post with the page's CSRF token."""
import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from survey_builder import services
from survey_builder.enums import QuestionType
from survey_builder.models import Questionnaire

from .builders import enabled, theme

pytestmark = pytest.mark.django_db
LIST = reverse("survey_admin:list")


def codes(response) -> set[str]:
    assert response.status_code == 200
    return set(re.findall(r'<tr[^>]*data-code="([^"]+)"', response.content.decode()))


@pytest.fixture
def three(designer, admins, monthly):
    active = enabled(designer, types=[QuestionType.SINGLE], title="月度必填")
    draft = services.questionnaire_create(actor=designer, theme=theme(
        title="季度选填", frequency="quarterly", mandatory=False,
        starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 12, 31)))
    other = services.questionnaire_create(actor=admins["sme_zhejiang"], theme=theme(title="省里的草稿"))
    return {"active": active, "draft": draft, "other": other, "shipped": monthly[1]}


def test_filters_search_and_scope(client, designer, three):
    client.force_login(designer)
    active, draft, other, shipped = (three[k].code for k in ("active", "draft", "other", "shipped"))
    assert codes(client.get(LIST)) == {active, draft, shipped}  # not the province's draft
    assert codes(client.get(LIST, {"status": "draft"})) == {draft}
    assert codes(client.get(LIST, {"frequency": "optional"})) == {draft}
    assert codes(client.get(LIST, {"frequency": "quarterly"})) == {draft}
    assert codes(client.get(LIST, {"mine": "1"})) == {active, draft}
    assert codes(client.get(LIST, {"q": "季度"})) == {draft}
    assert codes(client.get(LIST, {"period_from": "2030-06-01", "period_to": "2030-06-30"})) == {draft}  # overlap
    assert active not in codes(client.get(LIST, {"period_from": "2099-01-01"}))
    page = client.get(LIST, {"period_from": "2030-06-01"}).content.decode()
    assert "initDateChooser" not in page and re.search(r'<input[^>]*name="period_from"[^>]*value="2030-06-01"', page)  # no inline script (CSP)
    # the drawer refreshes through the results view with the same filters
    assert codes(client.get(reverse("survey_admin:list_results"), {"status": "draft"})) == {draft}
    html = client.get(LIST).content.decode()
    assert "<style" not in html and 'id="filters-drilldown"' in html
    assert 'data-testid="new"' in html and reverse("survey_admin:xlsform_import") in html


def test_the_province_sees_enabled_questionnaires_of_its_subtree_not_drafts(client, admins, three):
    client.force_login(admins["sme_zhejiang"])
    seen = codes(client.get(LIST))
    assert three["active"].code in seen and three["other"].code in seen and three["draft"].code not in seen


def test_pages_of_twenty(client, designer, monthly):
    for n in range(20):
        services.questionnaire_create(actor=designer, theme=theme(title=f"草稿{n:02d}"))
    client.force_login(designer)
    first, second = codes(client.get(LIST)), codes(client.get(LIST, {"p": 2}))
    assert len(first) == 20 and len(second) == 1 and not first & second


def test_row_actions_post_with_the_csrf_token(designer, three):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(designer)
    html = browser.get(LIST, {"status": "draft"}).content.decode()
    form = re.search(r'<form method="post" action="(/admin/surveys/\d+/copy/)".*?name="csrfmiddlewaretoken" value="([^"]+)"',
                     html, re.S)
    before = Questionnaire.objects.filter(created_by=designer).count()
    response = browser.post(form.group(1), {"csrfmiddlewaretoken": form.group(2)})
    assert response.status_code == 302  # a 403 without the token
    assert Questionnaire.objects.filter(created_by=designer).count() == before + 1
