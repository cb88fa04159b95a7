"""Closed periods stay closed (issue 22 §4): `questionnaire_answerable` — answers follow the report's status,
future and too-old periods are refused, a questionnaire applies from the period reported when it was enabled
(Shanghai time) — and the store service refuses whatever the caller, so a reviewed month's statistics stay."""
import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from formdefs.selectors import version_current
from formdefs.services import wizard_finish
from reporting.demo import questionnaire_answers
from reporting.periods import month_add, period_label, period_of, period_previous
from reporting.services import report_submit
from survey_builder import analysis, services
from survey_builder.enums import QuestionType
from survey_builder.models import QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.selectors import questionnaire_answerable, questionnaire_items, questionnaires_applicable, survey_scope
from tests.reporting.conftest import Builder

from .builders import enabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(monthly):
    return Builder(*monthly)


@pytest.fixture
def builtin(monthly):
    """Questionnaire 001 (shipped: no enabling date, its window covers the current and the last two years)."""
    return monthly[1]


def answers_for(questionnaire, seed=1):
    return questionnaire_answers(version_current(key=questionnaire.definition.key), random.Random(seed))


def store(questionnaire, enterprise, period, answers):
    return services.questionnaire_response_store(questionnaire=questionnaire, enterprise=enterprise, period=period,
                                                 version=version_current(key=questionnaire.definition.key),
                                                 answers=answers, actor=enterprise.filler)


def month_text(period) -> str:
    return period_label("monthly", period)  # 2026年10月 (zh-hans, the default language)


def test_answers_follow_the_status_of_the_months_report(reports, builtin, enterprises, period, admins):
    """未填报 / 编辑 / 退回 / 解除冻结: open; 待审核 / 审核通过 / 冻结: closed, saying why in Chinese."""
    from reporting.services import information_changes_settle
    from workflow.services import submission_receive, submission_return

    enterprise = enterprises["com_demo01"]

    def verdict(month):
        return questionnaire_answerable(questionnaire=builtin, enterprise=enterprise, period=month)

    assert verdict(period) == (True, "", True)  # 未填报: answered on its own, the period is open
    submission = reports.save(enterprise, period)
    assert verdict(period).ok  # 编辑
    reports.answer_questionnaire(enterprise, period)
    submission = report_submit(submission=submission, actor=enterprise.filler)
    pending = verdict(period)
    assert not pending.ok and pending.applies and "待审核" in pending.reason and month_text(period) in pending.reason
    submission = submission_return(submission=submission, actor=submission.holder.user, reason="请核实利润总额。")
    assert verdict(period).ok  # 退回: the answers may be corrected with the report
    submission = report_submit(submission=submission, actor=enterprise.filler)
    while submission.status == "pending":
        submission = submission_receive(submission=submission, actor=submission.holder.user)
    approved = verdict(period)
    assert not approved.ok and approved.reason == (
        f"{month_text(period)}的报表状态为“审核通过”，问卷不能再填写或修改。")

    earlier = month_add(period, -1)  # 冻结 (the enterprise's name changed), then 解除冻结 by the automatic check
    answers = reports.answers(enterprise, earlier)
    answers["name"] = "宁波海曙示范机械股份有限公司"
    assert reports.save(enterprise, earlier, answers=answers).status == "frozen"
    assert not verdict(earlier).ok and "冻结" in verdict(earlier).reason
    information_changes_settle(enterprise=enterprise, now=timezone.now() + datetime.timedelta(minutes=3))
    assert verdict(earlier).ok


def test_an_approved_months_answers_and_statistics_never_change(reports, builtin, enterprises, period, designer):
    """Every way in (the store service, the answering wizard's final step) is refused; nothing is stored."""
    enterprise = enterprises["com_demo01"]
    reports.approved(enterprise, period)  # answers 001 (seed 1) on the way
    stored = QuestionnaireResponse.objects.get(questionnaire=builtin, enterprise=enterprise, period=period)
    before = (stored.answers, stored.submitted_at)
    scope = survey_scope(designer)
    stats = [(s.responses, s.options) for s in analysis.questionnaire_statistics(questionnaire=builtin, scope=scope,
                                                                                 period=period)]
    other = answers_for(builtin, seed=99)
    assert other != stored.answers
    with pytest.raises(services.QuestionnaireClosed, match="审核通过"):
        store(builtin, enterprise, period, other)
    owner = QuestionnaireOwner(user=enterprise.filler, enterprise=enterprise, questionnaire=builtin, period=period)
    with pytest.raises(services.QuestionnaireClosed):
        owner.check_permission()
    with pytest.raises(services.QuestionnaireClosed):
        wizard_finish(owner=owner, answers=other, actor=enterprise.filler)
    stored.refresh_from_db()
    assert (stored.answers, stored.submitted_at) == before
    assert [(s.responses, s.options) for s in analysis.questionnaire_statistics(
        questionnaire=builtin, scope=scope, period=period)] == stats
    # an optional questionnaire not answered before the report was approved cannot be answered afterwards
    optional = enabled(designer, types=[QuestionType.SINGLE], title="选填调查", mandatory=False)
    neighbour = enterprises["com_demo02"]
    reports.approved(neighbour, period)
    with pytest.raises(services.QuestionnaireClosed):
        store(optional, neighbour, period, {optional.design["questions"][0]["id"]: "o1"})
    assert not QuestionnaireResponse.objects.filter(questionnaire=optional).exists()


def test_future_and_too_old_periods_are_closed(builtin, enterprises, period):
    enterprise = enterprises["com_demo01"]
    this_month = month_add(period, 1)  # not over yet
    for month in (this_month, month_add(period, 8)):
        verdict = questionnaire_answerable(questionnaire=builtin, enterprise=enterprise, period=month)
        assert verdict.applies and not verdict.ok
        assert verdict.reason == f"{month_text(month)}尚未结束，期满后方可填写问卷。"
        with pytest.raises(services.QuestionnaireClosed):
            store(builtin, enterprise, month, answers_for(builtin))
    # By today's year, not 当期's (they differ in January, when 当期 is last December).
    year = timezone.localdate().year
    too_old = datetime.date(year - 2, 12, 1)  # inside 001's window, before the back-fill years
    verdict = questionnaire_answerable(questionnaire=builtin, enterprise=enterprise, period=too_old)
    assert not verdict.ok and "已不在可填报期内" in verdict.reason
    back_filled = datetime.date(year - 1, 1, 1)  # the first month open for back-filling
    assert questionnaire_answerable(questionnaire=builtin, enterprise=enterprise, period=back_filled).ok
    assert not QuestionnaireResponse.objects.exists()


def test_a_questionnaire_applies_from_the_period_reported_when_it_was_enabled(designer, enterprises, period, reports):
    """Enabled today it reaches the 当期 (`period`) on, never the months reported before it existed."""
    enterprise = enterprises["com_demo01"]
    today = enabled(designer, types=[QuestionType.SINGLE], title="本月新增调查")
    assert today in questionnaires_applicable(enterprise=enterprise, period=period)
    assert today not in questionnaires_applicable(enterprise=enterprise, period=month_add(period, -1))
    last_month = questionnaire_answerable(questionnaire=today, enterprise=enterprise, period=month_add(period, -1))
    assert not last_month.applies and not last_month.ok and "不适用" in last_month.reason
    with pytest.raises(PermissionDenied):
        store(today, enterprise, month_add(period, -1), {today.design["questions"][0]["id"]: "o1"})
    assert not QuestionnaireResponse.objects.filter(questionnaire=today).exists()
    # a mandatory one enabled today does not hold back last month's report
    submission = reports.save(enterprise, month_add(period, -1))
    reports.answer_questionnaire(enterprise, month_add(period, -1))
    assert report_submit(submission=submission, actor=enterprise.filler).status == "pending"

    # quarterly: from the first quarter ending on or after the 当期
    quarterly = enabled(designer, types=[QuestionType.SINGLE], frequency="quarterly")
    quarter = period_of("quarterly", period)
    assert quarterly in questionnaires_applicable(enterprise=enterprise, period=quarter)
    assert quarterly not in questionnaires_applicable(enterprise=enterprise, period=period_previous("quarterly", quarter))


def test_the_enabling_day_is_shanghais(designer, enterprises, period):
    """Enabled at 00:30 on the 1st of the month after `period` in Shanghai (still the previous day in UTC):
    the 当期 then is `period`, so the month before it is not reached."""
    enterprise = enterprises["com_demo01"]
    following = month_add(period, 1)
    questionnaire = enabled(designer, types=[QuestionType.SINGLE],
                            on=datetime.datetime(following.year, following.month, 1, 0, 30))
    assert timezone.localtime(questionnaire.enabled_at).day == 1 and questionnaire.enabled_at.astimezone(
        datetime.timezone.utc).month == period.month
    assert questionnaire in questionnaires_applicable(enterprise=enterprise, period=period)
    assert questionnaire not in questionnaires_applicable(enterprise=enterprise, period=month_add(period, -1))


def test_the_periods_list_says_when_it_is_closed(reports, builtin, enterprises, period):
    enterprise = enterprises["com_demo01"]
    assert questionnaire_items(enterprise=enterprise, period=period)["closed"] == ""
    reports.submitted(enterprise, period)
    row = questionnaire_items(enterprise=enterprise, period=period)
    assert "待审核" in row["closed"] and [i["questionnaire"] for i in row["items"]] == [builtin]
    assert row["items"][0]["response"] is not None
