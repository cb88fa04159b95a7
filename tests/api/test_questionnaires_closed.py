"""调查问卷 through the API follows the month's report like the portal (issue 22 §4): answering a month whose
report is 审核通过 (or 待审核) or a month not over yet is 409 with a Chinese message and changes nothing; the list
says which months are closed; a questionnaire enabled today does not reach months reported before."""
import random

import pytest

from formdefs.selectors import version_current
from reporting.demo import questionnaire_answers
from reporting.periods import month_add, period_label
from survey_builder.enums import QuestionType
from survey_builder.models import QuestionnaireResponse
from tests.survey_builder.builders import enabled

pytestmark = pytest.mark.django_db


def query(enterprise, period) -> str:
    return f"?enterprise_id={enterprise.pk}&period={period:%Y-%m}"


def other_answers(questionnaire, seed=99) -> dict:
    return questionnaire_answers(version_current(key=questionnaire.definition.key), random.Random(seed))


def test_an_approved_month_is_refused_and_nothing_changes(filler_api, reports, monthly_setup, enterprise, period):
    builtin = monthly_setup[1]
    path = f"/questionnaires/{builtin.pk}/answers" + query(enterprise, period)
    reports.approved(enterprise, period)
    stored = QuestionnaireResponse.objects.get(questionnaire=builtin, enterprise=enterprise, period=period)
    answers = other_answers(builtin)
    assert answers != stored.answers

    refused = filler_api.put(path, {"answers": answers})
    assert refused.status_code == 409, refused.content
    body = refused.json()
    assert body["code"] == "conflict"
    assert body["message"] == f"{period_label('monthly', period)}的报表状态为“审核通过”，问卷不能再填写或修改。"
    again = QuestionnaireResponse.objects.get(pk=stored.pk)
    assert (again.answers, again.submitted_at) == (stored.answers, stored.submitted_at)

    # still readable, and the list says why it is closed
    assert filler_api.get(path).json()["answers"] == stored.answers
    row = next(r for r in filler_api.get("/questionnaires" + query(enterprise, period)).json() if r["id"] == builtin.pk)
    assert row["answered"] is True and row["answerable"] is False and "审核通过" in row["closed_reason"]
    detail = filler_api.get(f"/questionnaires/{builtin.pk}" + query(enterprise, period)).json()
    assert detail["answerable"] is False


def test_a_pending_month_is_refused_and_a_returned_one_opens_again(filler_api, reports, monthly_setup, enterprise,
                                                                   period):
    from workflow.services import submission_return

    builtin = monthly_setup[1]
    path = f"/questionnaires/{builtin.pk}/answers" + query(enterprise, period)
    submission = reports.submitted(enterprise, period)
    refused = filler_api.put(path, {"answers": other_answers(builtin)})
    assert refused.status_code == 409 and "待审核" in refused.json()["message"]
    submission_return(submission=submission, actor=submission.holder.user, reason="请核实。")
    listed = filler_api.get("/questionnaires" + query(enterprise, period)).json()
    assert all(r["answerable"] is True and r["closed_reason"] is None for r in listed)
    saved = filler_api.put(path, {"answers": other_answers(builtin)})
    assert saved.status_code == 200, saved.content
    assert QuestionnaireResponse.objects.get(questionnaire=builtin, enterprise=enterprise, period=period).answers == \
        other_answers(builtin)


def test_a_future_month_is_refused(filler_api, monthly_setup, enterprise, period):
    builtin = monthly_setup[1]
    future = month_add(period, 8)
    listed = filler_api.get("/questionnaires" + query(enterprise, future)).json()
    assert listed and all(r["answerable"] is False and "尚未结束" in r["closed_reason"] for r in listed)
    refused = filler_api.put(f"/questionnaires/{builtin.pk}/answers" + query(enterprise, future),
                             {"answers": other_answers(builtin)})
    assert refused.status_code == 409 and "尚未结束" in refused.json()["message"]
    assert not QuestionnaireResponse.objects.exists()


def test_a_questionnaire_enabled_today_does_not_reach_earlier_months(filler_api, admins, enterprise, period):
    questionnaire = enabled(admins["sme_ningbo"], types=[QuestionType.SINGLE], title="本月新增调查")
    q1 = questionnaire.design["questions"][0]["id"]
    earlier = month_add(period, -1)
    assert questionnaire.pk in {r["id"] for r in filler_api.get("/questionnaires" + query(enterprise, period)).json()}
    assert questionnaire.pk not in {r["id"] for r in filler_api.get("/questionnaires" + query(enterprise, earlier)).json()}
    refused = filler_api.put(f"/questionnaires/{questionnaire.pk}/answers" + query(enterprise, earlier),
                             {"answers": {q1: "o1"}})
    assert refused.status_code == 404
    assert filler_api.put(f"/questionnaires/{questionnaire.pk}/answers" + query(enterprise, period),
                          {"answers": {q1: "o1"}}).status_code == 200
    assert list(QuestionnaireResponse.objects.filter(questionnaire=questionnaire).values_list("period", flat=True)) == \
        [period]
