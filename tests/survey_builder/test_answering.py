"""Answering (branches skip and their answers are not kept), targeting, statistics against a recount."""
import random

import pytest
from django.core.exceptions import PermissionDenied

from formdefs.selectors import version_current
from formdefs.services import SubmissionBlocked, wizard_finish
from survey_builder import analysis, services
from survey_builder.enums import QuestionnaireTarget, QuestionType
from survey_builder.models import QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.selectors import questionnaires_applicable, survey_scope

from .builders import add_questions, enabled, option_ids, qid, theme

pytestmark = pytest.mark.django_db


def answer(questionnaire, enterprise, period, answers):
    """Answer as the wizard's final submit does: validate everything, drop hidden answers, store."""
    owner = QuestionnaireOwner(user=enterprise.filler, enterprise=enterprise, questionnaire=questionnaire, period=period)
    wizard_finish(owner=owner, answers=answers, actor=enterprise.filler)
    return QuestionnaireResponse.objects.get(questionnaire=questionnaire, enterprise=enterprise, period=period)


@pytest.fixture
def branching(designer):
    """Q1 single (o1 → Q3, o2 → end), Q2 fill-in (required), Q3 essay, Q4 multiple."""
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE, QuestionType.FILL, QuestionType.ESSAY, QuestionType.MULTIPLE])
    q1, q2, q3 = qid(questionnaire, 1), qid(questionnaire, 2), qid(questionnaire, 3)
    o1, o2 = option_ids(questionnaire, 1)
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: "end"}})
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={q2: {"required": True}})
    return services.questionnaire_enable(questionnaire=questionnaire, actor=designer)


def test_a_branch_skips_questions_and_their_answers_are_not_stored(branching, enterprises, period):
    q = branching.design["questions"]
    enterprise = enterprises["com_demo01"]
    # o1 jumps to Q3: Q2 is skipped, so its required answer is not needed and a typed one is dropped
    response = answer(branching, enterprise, period, {q[0]["id"]: "o1", q[1]["id"]: "typed before choosing", q[2]["id"]: "理由",
                                                      q[3]["id"]: ["o2"]})
    assert response.answers == {q[0]["id"]: "o1", q[2]["id"]: "理由", q[3]["id"]: ["o2"]}
    assert response.version == version_current(key=branching.definition.key)
    # o2 ends the questionnaire: nothing after Q1 is kept
    response = answer(branching, enterprise, period, {q[0]["id"]: "o2", q[2]["id"]: "x", q[3]["id"]: ["o1"]})
    assert response.answers == {q[0]["id"]: "o2"}
    # without a branch taken, the required Q2 must be answered
    with pytest.raises(SubmissionBlocked):
        answer(branching, enterprise, period, {q[3]["id"]: ["o1"]})


def test_the_question_message_replaces_the_engines(designer, enterprises, period):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.MULTIPLE, QuestionType.FILL])
    q1, q2 = qid(questionnaire, 1), qid(questionnaire, 2)
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={
        q1: {"required": True, "min_selections": "2", "message": "请至少选择两项"},
        q2: {"kind": "text", "pattern": r"^\d{6}$", "message": "请填写6位邮编"}})
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    from django.http import QueryDict

    from formdefs.forms.step_form import StepForm
    from formdefs.selectors import version_compiled

    compiled = version_compiled(version_current(key=questionnaire.definition.key))
    form = StepForm(QueryDict(f"{q1}=o1&{q2}=abc"), compiled=compiled, step_id="survey")
    assert not form.is_valid()
    assert form.errors[q1] == ["请至少选择两项"] and form.errors[q2] == ["请填写6位邮编"]
    form = StepForm(QueryDict(""), compiled=compiled, step_id="survey")
    assert not form.is_valid() and form.errors[q1] == ["请至少选择两项"]
    with pytest.raises(SubmissionBlocked) as exc:
        answer(questionnaire, enterprises["com_demo01"], period, {})
    assert "请至少选择两项" in exc.value.messages


def test_every_type_can_be_answered(designer, enterprises, period):
    questionnaire = enabled(designer)
    ids = [q["id"] for q in questionnaire.design["questions"]]
    rows = {i: [r["id"] for r in q.get("rows", [])] for i, q in zip(ids, questionnaire.design["questions"])}
    answers = {ids[0]: "o1", ids[1]: ["o1", "o2"], ids[2]: "五十", ids[3]: "较长的回答", ids[4]: {r: "o2" for r in rows[ids[4]]},
               ids[5]: {r: ["o1", "o2"] for r in rows[ids[5]]}, ids[6]: {r: "文字" for r in rows[ids[6]]}, ids[7]: "o3",
               f"{ids[7]}_other": "其他原因", ids[8]: ["o1", "o3"], f"{ids[8]}_other": "另一个"}
    response = answer(questionnaire, enterprises["com_demo01"], period, answers)
    assert response.answers == answers


# -- targeting ----------------------------------------------------------------------------------------

def applies(questionnaire, enterprise, period) -> bool:
    return questionnaire in questionnaires_applicable(enterprise=enterprise, period=period)


def test_manufacturing_only_is_not_seen_by_other_enterprises(designer, enterprises, period):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE], target=QuestionnaireTarget.MANUFACTURING)
    assert applies(questionnaire, enterprises["com_demo01"], period)  # machinery (C)
    assert not applies(questionnaire, enterprises["com_demo02"], period)  # software (I)
    with pytest.raises(PermissionDenied):
        services.questionnaire_response_store(questionnaire=questionnaire, enterprise=enterprises["com_demo02"], period=period,
                                              version=version_current(key=questionnaire.definition.key),
                                              answers={}, actor=enterprises["com_demo02"].filler)


def test_sections_regions_sizes_and_the_makers_region(designer, admins, enterprises, period):
    from regions.selectors import region_by_code

    demo01, demo02, demo03 = (enterprises[f"com_demo0{n}"] for n in (1, 2, 3))
    everyone = enabled(designer, types=[QuestionType.SINGLE])
    assert applies(everyone, demo01, period) and applies(everyone, demo02, period)
    assert not applies(everyone, demo03, period)  # Hangzhou lies outside the Ningbo designer's region
    national = enabled(admins["sme_admin"], types=[QuestionType.SINGLE])
    assert applies(national, demo03, period)
    sections = enabled(designer, types=[QuestionType.SINGLE], target=QuestionnaireTarget.SECTIONS, sections=["I"])
    assert applies(sections, demo02, period) and not applies(sections, demo01, period)
    regions = enabled(designer, types=[QuestionType.SINGLE], regions=[region_by_code("330205", level=3)])
    assert applies(regions, demo02, period) and not applies(regions, demo01, period)
    sizes = enabled(designer, types=[QuestionType.SINGLE], sizes=[demo01.size])
    assert applies(sizes, demo01, period) == True  # noqa: E712
    other_sizes = [s for s in ("large", "medium", "small", "micro") if s != demo01.size]
    assert not applies(enabled(designer, types=[QuestionType.SINGLE], sizes=other_sizes), demo01, period)


def test_frequency_and_window(designer, enterprises, period):
    import datetime

    from reporting.periods import month_add

    enterprise = enterprises["com_demo01"]
    # enabled in January: it applies from the period reported then (December) on
    quarterly = enabled(designer, types=[QuestionType.SINGLE], frequency="quarterly", on=datetime.date(period.year, 1, 1))
    march, april = datetime.date(period.year, 3, 1), datetime.date(period.year, 4, 1)
    assert applies(quarterly, enterprise, march) and not applies(quarterly, enterprise, april)
    later = enabled(designer, types=[QuestionType.SINGLE], starts_on=month_add(period, 2), ends_on=month_add(period, 5))
    assert not applies(later, enterprise, period) and applies(later, enterprise, month_add(period, 2))


# -- statistics -----------------------------------------------------------------------------------------

def test_statistics_equal_a_recount_of_the_raw_answers(designer, admins, enterprises, period):
    from reporting.periods import month_add

    questionnaire = enabled(designer, types=[QuestionType.SINGLE, QuestionType.MULTIPLE_OTHER, QuestionType.MATRIX_SINGLE,
                                             QuestionType.FILL], on=month_add(period, -1))  # so last month applies too
    ids = [q["id"] for q in questionnaire.design["questions"]]
    rows = [r["id"] for r in questionnaire.design["questions"][2]["rows"]]
    rng = random.Random(7)
    months = [period, month_add(period, -1)]
    for month in months:
        for name in ("com_demo01", "com_demo02"):
            answers = {ids[0]: rng.choice(["o1", "o2"]), ids[1]: rng.sample(["o1", "o2", "o3"], rng.randint(1, 3)),
                       ids[2]: {r: rng.choice(["o1", "o2"]) for r in rows}, ids[3]: f"{name} {month:%m}"}
            if "o3" in answers[ids[1]]:
                answers[f"{ids[1]}_other"] = "其他"
            answer(questionnaire, enterprises[name], month, answers)
    scope = survey_scope(designer)
    stats = analysis.questionnaire_statistics(questionnaire=questionnaire, scope=scope, period=period)
    raw = list(QuestionnaireResponse.objects.filter(questionnaire=questionnaire, period=period))
    assert [s.chart for s in stats] == ["pie", "bar", "matrix", "text"]
    assert all(s.responses == len(raw) == 2 for s in stats)
    for option in stats[0].options:
        assert option["count"] == sum(1 for r in raw if r.answers.get(ids[0]) == option["value"])
    for option in stats[1].options:
        assert option["count"] == sum(1 for r in raw if option["value"] in r.answers.get(ids[1], []))
    for row in stats[2].rows:
        for i, option in enumerate(stats[2].options):
            assert row["counts"][i] == sum(1 for r in raw if r.answers[ids[2]].get(row["id"]) == option["value"])
    assert sorted(t["text"] for t in stats[3].texts) == sorted(r.answers[ids[3]] for r in raw)
    # region-scoped: the Haishu administrator (once distributed) counts Haishu's enterprise only
    haishu = admins["sme_haishu"]
    services.questionnaire_distribute(questionnaire=questionnaire, actor=designer, administrators=[haishu.admin_profile])
    local = analysis.questionnaire_statistics(questionnaire=questionnaire, scope=survey_scope(haishu), period=period)
    assert local[0].responses == 1 and sum(o["count"] for o in local[0].options) == 1
    assert analysis.response_periods(questionnaire=questionnaire, scope=scope) == months


def test_raw_answers_and_exports(designer, enterprises, period):
    import io

    from openpyxl import load_workbook

    questionnaire = enabled(designer, types=[QuestionType.SINGLE, QuestionType.FILL])
    ids = [q["id"] for q in questionnaire.design["questions"]]
    answer(questionnaire, enterprises["com_demo01"], period, {ids[0]: "o2", ids[1]: "=HYPERLINK(\"x\")"})
    scope = survey_scope(designer)
    qs = analysis.responses_scoped(questionnaire=questionnaire, scope=scope, username="com_demo01")
    assert qs.count() == 1 and not analysis.responses_scoped(questionnaire=questionnaire, scope=scope, username="nobody").exists()
    fixed, fields = analysis.raw_columns(questionnaire)
    row = analysis.raw_row(analysis.raw_queryset(qs).get(), fields)
    assert row[0] == "com_demo01" and row[3] == enterprises["com_demo01"].name and row[len(fixed)] in ("Option 2", "选项2")
    sheet = load_workbook(io.BytesIO(analysis.raw_export(questionnaire=questionnaire, responses=qs))).active
    values = [c.value for c in sheet[2]]
    assert values[0] == "com_demo01" and values[-1] == "=HYPERLINK(\"x\")"  # a text cell, never a formula
    assert sheet.cell(row=2, column=len(values)).data_type == "s"
    stats = analysis.questionnaire_statistics(questionnaire=questionnaire, scope=scope, period=period)
    book = load_workbook(io.BytesIO(analysis.statistics_export(questionnaire=questionnaire, period=period, stats=stats)))
    cells = [c.value for r in book.worksheets[0].iter_rows() for c in r]
    assert 1 in cells and any(isinstance(v, str) and v.startswith("Q1.") for v in cells)
    assert any(c.value == "=HYPERLINK(\"x\")" and c.data_type == "s" for r in book.worksheets[1].iter_rows() for c in r)
