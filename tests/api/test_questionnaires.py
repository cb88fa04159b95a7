"""调查问卷 through the API: the list of a month, a questionnaire's questions, answering with the portal's
checks (branches skip, required, ranges), targeting (404), scopes, and answers that count in the back
office's answers table and statistics exactly like the portal's."""
import pytest

from survey_builder import analysis, services
from survey_builder.enums import QuestionType
from survey_builder.models import QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.selectors import survey_scope
from tests.api.conftest import Api
from tests.survey_builder.builders import add_questions, option_ids, qid, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprises_by_user(demo_core):
    """com_demo01 (Ningbo Haishu), com_demo02 (Ningbo Jiangbei), com_demo03 (Hangzhou)."""
    from enterprises.models import Enterprise

    rows = Enterprise.objects.select_related("industry", "region", "filler").filter(user__username__startswith="com_demo")
    return {e.user.username: e for e in rows}


@pytest.fixture
def branching(admins, monthly_setup):
    """Made by the Ningbo administrator (so Ningbo's enterprises only): Q1 single (o1 → Q3, o2 → end),
    Q2 fill-in required, Q3 number fill-in between 0 and 100, Q4 multiple."""
    designer = admins["sme_ningbo"]
    questionnaire = services.questionnaire_create(actor=designer, theme=theme(title="宁波用工调查", mandatory=False))
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE, QuestionType.FILL, QuestionType.FILL,
                                                            QuestionType.MULTIPLE],
                                  texts={1: "是否招工", 2: "招工岗位", 3: "招工完成率", 4: "招工渠道"})
    q1, q2, q3 = qid(questionnaire, 1), qid(questionnaire, 2), qid(questionnaire, 3)
    o1, o2 = option_ids(questionnaire, 1)[:2]
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: "end"}})
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={
        q2: {"required": True}, q3: {"kind": "number", "minimum": "0", "maximum": "100"}})
    return services.questionnaire_enable(questionnaire=questionnaire, actor=designer)


def ids(questionnaire) -> list[str]:
    return [q["id"] for q in questionnaire.design["questions"]]


def query(enterprise, period) -> str:
    return f"?enterprise_id={enterprise.pk}&period={period:%Y-%m}"


def test_list_and_questions(filler_api, branching, monthly_setup, enterprise, period):
    listed = filler_api.get("/questionnaires" + query(enterprise, period))
    assert listed.status_code == 200, listed.content
    rows = {row["id"]: row for row in listed.json()}
    builtin = monthly_setup[1]
    assert set(rows) == {builtin.pk, branching.pk}
    assert rows[builtin.pk]["mandatory"] is True and rows[builtin.pk]["frequency"] == "monthly"
    assert rows[branching.pk]["title"] == "宁波用工调查" and rows[branching.pk]["mandatory"] is False
    assert not any(row["answered"] for row in rows.values())

    detail = filler_api.get(f"/questionnaires/{branching.pk}" + query(enterprise, period)).json()
    assert detail["version"] == 1 and detail["definition"] == branching.definition.key
    fields = [f["id"] for s in detail["document"]["steps"] for c in s["sections"] for f in c["fields"]]
    assert fields[:4] == ids(branching)
    assert set(ids(branching)) <= set(detail["answers_schema"]["properties"])


def test_answer_replace_and_read(filler_api, branching, enterprise, period):
    q1, q2, q3, q4 = ids(branching)
    path = f"/questionnaires/{branching.pk}/answers" + query(enterprise, period)
    assert filler_api.get(path).status_code == 404  # not answered yet

    # o1 jumps to Q3: the skipped Q2 is not required, and what was typed into it is not kept.
    saved = filler_api.put(path, {"answers": {q1: "o1", q2: "typed before choosing", q3: 75, q4: ["o2"]}})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["response"]["answers"] == {q1: "o1", q3: 75, q4: ["o2"]}
    assert body["response"]["answered_by"] == enterprise.filler.username and body["validation"]["ok"] is True
    stored = QuestionnaireResponse.objects.get(questionnaire=branching, enterprise=enterprise, period=period)
    assert stored.answers == {q1: "o1", q3: 75, q4: ["o2"]} and stored.user == enterprise.filler

    # Answering again replaces the answers (o2 ends the questionnaire).
    again = filler_api.put(path, {"answers": {q1: "o2", q3: 10}})
    assert again.status_code == 200 and again.json()["response"]["answers"] == {q1: "o2"}
    assert QuestionnaireResponse.objects.filter(questionnaire=branching, enterprise=enterprise).count() == 1
    assert filler_api.get(path).json()["answers"] == {q1: "o2"}
    listed = {row["id"]: row for row in filler_api.get("/questionnaires" + query(enterprise, period)).json()}
    assert listed[branching.pk]["answered"] is True and listed[branching.pk]["answered_at"]


def test_invalid_answers_name_the_question_and_change_nothing(filler_api, branching, enterprise, period):
    q1, q2, q3, q4 = ids(branching)
    path = f"/questionnaires/{branching.pk}/answers" + query(enterprise, period)
    assert filler_api.put(path, {"answers": {q1: "o2"}}).status_code == 200

    # No branch taken: the required Q2 must be answered.
    refused = filler_api.put(path, {"answers": {q4: ["o1"]}})
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    issue = next(i for i in refused.json()["issues"] if i["fields"] == [q2])
    assert issue["severity"] == "error" and "招工岗位" in issue["labels"]
    # A number outside its range.
    refused = filler_api.put(path, {"answers": {q1: "o1", q3: 150}})
    assert refused.status_code == 422
    issue = next(i for i in refused.json()["issues"] if i["fields"] == [q3])
    assert "招工完成率" in issue["message"] and "100" in issue["message"]
    # An option that does not exist, in English.
    english = Api(filler_api.client, filler_api.secret, "en")
    refused = english.put(path, {"answers": {q1: "o9"}})
    assert refused.status_code == 422 and "nothing was saved" in refused.json()["message"]
    assert any(i["fields"] == [q1] for i in refused.json()["issues"])

    assert QuestionnaireResponse.objects.get(questionnaire=branching, enterprise=enterprise).answers == {q1: "o2"}


def test_a_questionnaire_not_open_to_the_enterprise_is_not_found(make_api, branching, enterprises_by_user, period):
    hangzhou = enterprises_by_user["com_demo03"]  # outside the Ningbo administrator's region
    api = make_api(hangzhou.filler)
    q = query(hangzhou, period)
    assert branching.pk not in {row["id"] for row in api.get("/questionnaires" + q).json()}
    assert api.get(f"/questionnaires/{branching.pk}" + q).status_code == 404
    assert api.get(f"/questionnaires/{branching.pk}/answers" + q).status_code == 404
    refused = api.put(f"/questionnaires/{branching.pk}/answers" + q, {"answers": {ids(branching)[0]: "o2"}})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert api.get("/questionnaires/999999" + q).status_code == 404
    assert not QuestionnaireResponse.objects.filter(questionnaire=branching).exists()


def test_a_stopped_questionnaire_is_not_found(filler_api, admins, branching, enterprise, period):
    services.questionnaire_stop(questionnaire=branching, actor=admins["sme_ningbo"])
    assert filler_api.get(f"/questionnaires/{branching.pk}" + query(enterprise, period)).status_code == 404


def test_another_enterprises_token_cannot_see_or_change_the_answers(filler_api, make_api, admins, branching,
                                                                    enterprise, enterprises_by_user, period):
    q1 = ids(branching)[0]
    path = f"/questionnaires/{branching.pk}/answers" + query(enterprise, period)
    assert filler_api.put(path, {"answers": {q1: "o2"}}).status_code == 200
    other = make_api(enterprises_by_user["com_demo02"].filler)  # Ningbo too: the questionnaire applies to it
    assert other.get(path).status_code == 404
    assert other.put(path, {"answers": {q1: "o1"}}).status_code == 404
    assert other.get("/questionnaires" + query(enterprise, period)).status_code == 404
    own = other.get(f"/questionnaires/{branching.pk}/answers" + query(enterprises_by_user["com_demo02"], period))
    assert own.status_code == 404  # its own month is not answered: nothing of com_demo01's shows
    # Administrators read answers in the back office, not through the API.
    county = make_api(admins["sme_haishu"])
    refused = county.get(path)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert county.put(path, {"answers": {q1: "o1"}}).status_code == 403
    assert QuestionnaireResponse.objects.get(questionnaire=branching, enterprise=enterprise).answers == {q1: "o2"}


def test_api_answers_count_like_portal_answers(filler_api, admins, branching, enterprise, enterprises_by_user, period):
    """The same answers given through the API (com_demo01) and the portal's wizard (com_demo02) make the
    same row in 查看 and the same counts in 分析."""
    from formdefs.services import wizard_finish

    q1, q2, q3, q4 = ids(branching)
    answers = {q1: "o1", q2: "装配工", q3: 80, q4: ["o1", "o2"]}
    saved = filler_api.put(f"/questionnaires/{branching.pk}/answers" + query(enterprise, period), {"answers": answers})
    assert saved.status_code == 200, saved.content
    portal = enterprises_by_user["com_demo02"]
    wizard_finish(owner=QuestionnaireOwner(user=portal.filler, enterprise=portal, questionnaire=branching, period=period),
                  answers=answers, actor=portal.filler)

    designer = admins["sme_ningbo"]
    scope = survey_scope(designer)
    rows = {r.enterprise_id: r for r in analysis.raw_queryset(
        analysis.responses_scoped(questionnaire=branching, scope=scope, period=period))}
    assert set(rows) == {enterprise.pk, portal.pk}
    api_row, portal_row = rows[enterprise.pk], rows[portal.pk]
    assert api_row.answers == portal_row.answers and api_row.version_id == portal_row.version_id
    fixed, fields = analysis.raw_columns(branching)
    api_cells, portal_cells = (analysis.raw_row(r, fields) for r in (api_row, portal_row))
    assert api_cells[0] == enterprise.filler.username and api_cells[2] == f"{period:%Y-%m}"
    # Q2 is skipped by Q1's branch in both: its typed answer was dropped the same way.
    assert api_cells[len(fixed):] == portal_cells[len(fixed):] and api_cells[len(fixed) + 1:len(fixed) + 3] == ["", 80]  # numbers are exported as numbers (issue 20)

    stats = analysis.questionnaire_statistics(questionnaire=branching, scope=scope, period=period)
    # 回收份数 counts those shown the question: o1 jumps past q2 (issue 20 §1).
    assert [s.responses for s in stats] == [2, 0, 2, 2]
    assert {o["value"]: o["count"] for o in stats[0].options}["o1"] == 2
    assert stats[1].answered == 0 and sorted(t["text"] for t in stats[2].texts) == ["80", "80"]
    assert {o["value"]: o["count"] for o in stats[3].options} == {"o1": 2, "o2": 2, **{
        o["value"]: 0 for o in stats[3].options if o["value"] not in ("o1", "o2")}}


def test_the_mandatory_questionnaire_answered_through_the_api_opens_submit(filler_api, reports, report_type,
                                                                           monthly_setup, enterprise, period):
    """Questionnaire 001 gates 上报: refused until it is answered, then the API's answer is enough."""
    import random

    from formdefs.selectors import version_current
    from reporting.demo import questionnaire_answers

    report = f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"
    assert filler_api.put(report, {"answers": reports.answers(enterprise, period)}).status_code == 200
    refused = filler_api.post(report + "/submit", headers={"Idempotency-Key": "q-1"})
    assert refused.status_code == 422 and monthly_setup[1].title in refused.json()["message"]

    builtin = monthly_setup[1]
    answers = questionnaire_answers(version_current(key=builtin.definition.key), random.Random(3))
    answered = filler_api.put(f"/questionnaires/{builtin.pk}/answers" + query(enterprise, period), {"answers": answers})
    assert answered.status_code == 200, answered.content
    submitted = filler_api.post(report + "/submit", headers={"Idempotency-Key": "q-1"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "pending"


def test_bad_queries_name_the_parameter(filler_api, branching, enterprise):
    missing = filler_api.get(f"/questionnaires?enterprise_id={enterprise.pk}")
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["query", "period"]
    assert "period" in missing.json()["message"]
    wrong = filler_api.get(f"/questionnaires/{branching.pk}?enterprise_id={enterprise.pk}&period=2026-13")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["loc"] == ["query", "period"]
    not_object = filler_api.put(f"/questionnaires/{branching.pk}/answers?enterprise_id={enterprise.pk}&period=2026-01",
                                {"answers": ["o1"]})
    assert not_object.status_code == 422 and not_object.json()["errors"][0]["loc"] == ["body", "answers"]
