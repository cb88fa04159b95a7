"""A save through the API discards the portal wizard's draft of the same report or questionnaire month,
so the clerk who opens the wizard later sees the API's answers and cannot overwrite them with stale ones."""
import re

import pytest
from django.urls import reverse

from formdefs.models import WizardDraft
from tests.reporting.test_views import management, step_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def test_api_save_discards_the_report_wizards_draft(web, filler_api, filler, reports, report_type, enterprise, period):
    url = reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])
    answers = reports.answers(enterprise, period)
    # The clerk types on step 1 and presses 保存: a draft, nothing stored as the report yet.
    name, step = management(web.get(url))
    response = web.post(url, {name: step, **step_data({**answers, "address": "草稿路1号"}, step), "wizard_action": "save"})
    assert response.status_code == 200 and WizardDraft.objects.filter(user=filler).count() == 1
    assert "草稿路1号" in web.get(url).content.decode()  # the wizard resumes it

    # The enterprise's system saves the period through the API.
    saved = filler_api.put(f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}",
                           {"answers": {**answers, "address": "接口路9号"}})
    assert saved.status_code == 200, saved.content
    assert not WizardDraft.objects.exists()

    page = web.get(url).content.decode()
    assert "接口路9号" in page and "草稿路1号" not in page


def test_api_submit_discards_a_draft_typed_after_the_save(web, filler_api, reports, report_type, enterprise, period):
    url = reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])
    path = f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"
    answers = reports.answers(enterprise, period)
    assert filler_api.put(path, {"answers": answers}).status_code == 200
    reports.answer_questionnaire(enterprise, period)
    name, step = management(web.get(url))
    web.post(url, {name: step, **step_data({**answers, "address": "草稿路1号"}, step), "wizard_action": "save"})
    assert WizardDraft.objects.count() == 1
    submitted = filler_api.post(path + "/submit", headers={"Idempotency-Key": "drafts-1"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"
    assert not WizardDraft.objects.exists()  # a return would otherwise bring it back over the submitted answers


def test_api_answer_discards_the_questionnaire_wizards_draft(web, filler_api, filler, monthly_setup, enterprise, period):
    from formdefs.selectors import version_current

    questionnaire = monthly_setup[1]
    url = reverse("survey_builder:answer", args=[questionnaire.pk, f"{period:%Y-%m}"])
    document = version_current(key=questionnaire.definition.key).document
    choices = [f for s in document["steps"] for c in s["sections"] for f in c["fields"] if f["type"] == "choice"]
    first = choices[0]
    drafted, answered = first["options"][0]["value"], first["options"][-1]["value"]
    name, step = management(web.get(url))
    data = {f["id"]: f["options"][0]["value"] for f in choices if f["id"] in {x["id"] for x in document["steps"][0]["sections"][0]["fields"]}}
    web.post(url, {name: step, **data, "wizard_action": "save"})
    assert WizardDraft.objects.filter(user=filler).count() == 1

    answers = {f["id"]: f["options"][0]["value"] for f in choices}
    answers[first["id"]] = answered
    saved = filler_api.put(f"/questionnaires/{questionnaire.pk}/answers?enterprise_id={enterprise.pk}&period={period:%Y-%m}",
                           {"answers": answers})
    assert saved.status_code == 200, saved.content
    assert not WizardDraft.objects.exists()

    page = web.get(url).content.decode()
    checked = re.findall(rf'<input[^>]*name="{first["id"]}"[^>]*>', page)
    assert any(f'value="{answered}"' in tag and "checked" in tag for tag in checked), checked
    assert not any(f'value="{drafted}"' in tag and "checked" in tag for tag in checked)


def test_a_period_with_only_a_wizard_draft_shows_as_being_edited(web, filler, reports, report_type, enterprise, period):
    """历史报送: a month the clerk began in the wizard (saved a step, stored no report) is 编辑, not 未填报."""
    from reporting.selectors import enterprise_periods
    from reporting.enums import SubmissionStatus

    url = reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])
    answers = reports.answers(enterprise, period)

    def row():
        rows = enterprise_periods(enterprise=enterprise, report_type=report_type, first=period, last=period, user=filler)
        return rows[0]

    assert not row().has_draft
    name, step = management(web.get(url))
    web.post(url, {name: step, **step_data(answers, step), "wizard_action": "save"})
    assert row().has_draft and row().status == SubmissionStatus.EDITING
