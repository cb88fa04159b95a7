"""Every allowed and every forbidden move of a report, with the actor's permission and the audit trail."""
import itertools

import pytest
from django.core.exceptions import PermissionDenied

from reporting.models import IndicatorFact
from reporting.services import ReportRefused, report_submit
from workflow import services as wf
from workflow.enums import Action
from reporting.enums import Screening, SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.transitions import TRANSITIONS, TransitionRefused, transition_check

pytestmark = pytest.mark.django_db


def events(submission):
    return list(ReviewEvent.objects.filter(submission=submission).values_list("action", "from_status", "to_status"))


# -- the table ---------------------------------------------------------------------------------

@pytest.mark.parametrize("action,status", list(itertools.product(list(TRANSITIONS), [s.value for s in S])))
def test_table_allows_exactly_its_sources(action, status):
    sources, targets = TRANSITIONS[action]
    target = next(iter(targets))
    if status in sources:
        transition_check(action, status, target)
    else:
        with pytest.raises(TransitionRefused):
            transition_check(action, status, target)


def test_table_refuses_an_undeclared_target():
    with pytest.raises(TransitionRefused):
        transition_check(Action.WITHDRAW, S.PENDING, S.APPROVED)


# -- submit ------------------------------------------------------------------------------------

def test_submit_sends_to_the_direct_reviewer_with_screening(reports, enterprise, period, filler):
    submission = reports.submitted(enterprise, period)
    assert submission.status == S.PENDING
    assert submission.holder == enterprise.direct_reviewer and submission.holder.user.username == "sme_haishu"
    assert submission.screening == Screening.PASSED and submission.issues == []
    assert submission.submitted_at is not None and not submission.reviewer_acted
    event = ReviewEvent.objects.get(submission=submission)
    assert (event.action, event.actor, event.from_status, event.to_status, event.to_holder) == (
        Action.SUBMIT, filler, S.EDITING, S.PENDING, enterprise.direct_reviewer)
    assert set(IndicatorFact.objects.filter(submission=submission).values_list("status", flat=True)) == {S.PENDING}


def test_double_submit_is_idempotent(reports, enterprise, period, filler):
    submission = reports.submitted(enterprise, period)
    again = report_submit(submission=submission, actor=filler)
    assert again.status == S.PENDING and again.holder_id == submission.holder_id
    assert ReviewEvent.objects.filter(submission=submission, action=Action.SUBMIT).count() == 1


def test_warnings_mark_the_submission_anomalous(reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))
    submission = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    assert submission.screening == Screening.ANOMALOUS
    assert [i["code"] for i in submission.issues] == ["revenue_ytd_not_below_prev"]
    assert submission.issues[0]["fields"] == ["ind.revenue.ytd"]


def test_cross_period_check_waits_for_the_other_period_to_be_approved(reports, enterprise, period):
    from reporting.periods import month_add

    reports.submitted(enterprise, month_add(period, -1))  # pending, not approved: no `prev` for the rules
    submission = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    assert submission.screening == Screening.PASSED


def test_submit_needs_every_mandatory_questionnaire(reports, enterprise, period, filler):
    submission = reports.save(enterprise, period)
    with pytest.raises(ReportRefused) as exc:
        report_submit(submission=submission, actor=filler)
    assert "中小企业经济月度调查问卷" in exc.value.messages[0]
    submission.refresh_from_db()
    assert submission.status == S.EDITING and not ReviewEvent.objects.filter(submission=submission).exists()


def test_only_the_filler_submits(reports, enterprise, period, demo_core):
    from accounts.models import User

    submission = reports.save(enterprise, period)
    reports.answer_questionnaire(enterprise, period)
    for name in ("com_demo02", "sme_haishu"):
        with pytest.raises(PermissionDenied):
            wf.submission_submit(submission=submission, actor=User.objects.get(username=name), issues=[], anomalous=False)
    submission.refresh_from_db()
    assert submission.status == S.EDITING


# -- withdraw ----------------------------------------------------------------------------------

def test_withdraw_before_any_administrator_acted(reports, enterprise, period, filler):
    submission = wf.submission_withdraw(submission=reports.submitted(enterprise, period), actor=filler)
    assert submission.status == S.EDITING and submission.holder is None
    assert events(submission)[-1] == (Action.WITHDRAW, S.PENDING, S.EDITING)


def test_withdraw_refused_once_received(reports, enterprise, period, filler, admins):
    submission = wf.submission_receive(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"])
    with pytest.raises(TransitionRefused, match="已处理"):
        wf.submission_withdraw(submission=submission, actor=filler)


@pytest.mark.parametrize("status_builder", ["editing", "approved"])
def test_withdraw_refused_when_not_pending(reports, enterprise, period, filler, status_builder):
    submission = reports.save(enterprise, period) if status_builder == "editing" else reports.approved(enterprise, period)
    with pytest.raises(TransitionRefused):
        wf.submission_withdraw(submission=submission, actor=filler)


# -- receive -----------------------------------------------------------------------------------

def test_receive_climbs_the_tree_to_approval(reports, enterprise, period, admins):
    submission = reports.submitted(enterprise, period)
    holders = []
    for name in ("sme_haishu", "sme_ningbo", "sme_zhejiang", "sme_admin"):
        submission = wf.submission_receive(submission=submission, actor=admins[name])
        holders.append(submission.holder.user.username if submission.holder else None)
    assert holders == ["sme_ningbo", "sme_zhejiang", "sme_admin", None]
    assert submission.status == S.APPROVED and submission.approved_at is not None
    assert [e[0] for e in events(submission)] == [Action.SUBMIT] + [Action.RECEIVE] * 4
    assert set(IndicatorFact.objects.filter(submission=submission).values_list("status", flat=True)) == {S.APPROVED}


def test_review_can_end_at_a_level_and_a_later_submit_climbs_to_the_top_again(reports, enterprise, period, admins,
                                                                                filler):
    submission = reports.save(enterprise, period)
    submission = wf.submission_submit(submission=submission, actor=filler, issues=[], anomalous=False, final_level=2)
    submission = wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    submission = wf.submission_return(submission=submission, actor=admins["sme_ningbo"], reason="请核实")
    # Resubmitted without a final level (an ordinary monthly report): the city passes it on.
    submission = wf.submission_submit(submission=submission, actor=filler, issues=[], anomalous=False)
    assert submission.final_level is None
    for name in ("sme_haishu", "sme_ningbo"):
        submission = wf.submission_receive(submission=submission, actor=admins[name])
    assert submission.status == S.PENDING and submission.holder.user.username == "sme_zhejiang"
    # With the final level at the city, the city's receipt approves it (another open period: 当期's
    # month a year earlier is closed in January, when 当期 is December and back-filling starts that year).
    from reporting.periods import month_add

    submission = reports.save(enterprise, month_add(period, -1))
    submission = wf.submission_submit(submission=submission, actor=filler, issues=[], anomalous=False, final_level=2)
    for name in ("sme_haishu", "sme_ningbo"):
        submission = wf.submission_receive(submission=submission, actor=admins[name])
    assert submission.status == S.APPROVED and submission.holder is None and submission.approved_at is not None


@pytest.mark.parametrize("name", ["sme_ningbo", "sme_zhejiang", "sme_admin"])
def test_only_the_holder_receives(reports, enterprise, period, admins, name):
    submission = reports.submitted(enterprise, period)
    with pytest.raises(PermissionDenied):
        wf.submission_receive(submission=submission, actor=admins[name])
    submission.refresh_from_db()
    assert submission.holder.user.username == "sme_haishu"


def test_receive_needs_the_review_flag(reports, enterprise, period, admins):
    profile = admins["sme_haishu"].admin_profile
    profile.can_review_report = False
    profile.save()
    with pytest.raises(PermissionDenied):
        wf.submission_receive(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"])


def test_enterprise_user_cannot_receive(reports, enterprise, period, filler):
    with pytest.raises(PermissionDenied):
        wf.submission_receive(submission=reports.submitted(enterprise, period), actor=filler)


@pytest.mark.parametrize("kind", ["editing", "returned", "approved"])
def test_receive_refused_unless_pending(reports, enterprise, period, admins, kind):
    if kind == "editing":
        submission = reports.save(enterprise, period)
    elif kind == "approved":
        submission = reports.approved(enterprise, period)
    else:
        submission = wf.submission_return(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"], reason="核实")
    with pytest.raises(TransitionRefused):
        wf.submission_receive(submission=submission, actor=admins["sme_haishu"])


# -- return ------------------------------------------------------------------------------------

def test_return_by_the_holder_with_a_reason(reports, enterprise, period, admins):
    submission = wf.submission_return(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"],
                                      reason="利润总额请核实")
    assert submission.status == S.RETURNED and submission.return_reason == "利润总额请核实" and submission.holder is None
    event = ReviewEvent.objects.filter(submission=submission).last()
    assert (event.action, event.reason, event.actor) == (Action.RETURN, "利润总额请核实", admins["sme_haishu"])


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_return_needs_a_short_reason(reports, enterprise, period, admins, reason):
    submission = reports.submitted(enterprise, period)
    with pytest.raises(TransitionRefused):
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason=reason)
    submission.refresh_from_db()
    assert submission.status == S.PENDING


def test_return_before_anyone_received_by_a_reviewer_above(reports, enterprise, period, admins):
    submission = wf.submission_return(submission=reports.submitted(enterprise, period), actor=admins["sme_ningbo"], reason="退回")
    assert submission.status == S.RETURNED


def test_after_a_receive_only_the_holder_returns(reports, enterprise, period, admins):
    submission = wf.submission_receive(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"])
    for name in ("sme_haishu", "sme_zhejiang"):
        with pytest.raises(PermissionDenied):
            wf.submission_return(submission=submission, actor=admins[name], reason="退回")
    assert wf.submission_return(submission=submission, actor=admins["sme_ningbo"], reason="退回").status == S.RETURNED


def test_out_of_region_administrator_cannot_return(reports, demo_core, period, admins):
    from accounts.models import User

    other = User.objects.get(username="com_demo03").filled_enterprises.get()  # 杭州: outside 宁波
    submission = reports.submitted(other, period)
    with pytest.raises(PermissionDenied):
        wf.submission_return(submission=submission, actor=admins["sme_ningbo"], reason="退回")


def test_returned_report_can_be_corrected_and_resubmitted(reports, enterprise, period, admins, filler):
    submission = wf.submission_return(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"], reason="核实")
    submission = reports.save(enterprise, period)
    submission = report_submit(submission=submission, actor=filler)
    assert submission.status == S.PENDING and submission.return_reason == "" and not submission.reviewer_acted


# -- skip-level --------------------------------------------------------------------------------

def test_skip_level_receive_approves_a_passed_report(reports, enterprise, period, admins):
    submission = wf.submission_skip_receive(submission=reports.submitted(enterprise, period), actor=admins["sme_zhejiang"])
    assert submission.status == S.APPROVED and events(submission)[-1][0] == Action.SKIP_RECEIVE


def test_skip_level_refuses_anomalous_reports(reports, enterprise, period, admins):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))
    submission = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    with pytest.raises(TransitionRefused, match="逐一接收"):
        wf.submission_skip_receive(submission=submission, actor=admins["sme_zhejiang"])


@pytest.mark.parametrize("name", ["sme_ningbo", "sme_haishu"])
def test_skip_level_needs_the_flag(reports, enterprise, period, admins, name):
    with pytest.raises(PermissionDenied):
        wf.submission_skip_receive(submission=reports.submitted(enterprise, period), actor=admins[name])


# -- freeze / unfreeze -------------------------------------------------------------------------

def test_freeze_only_from_editable_statuses(reports, enterprise, period, filler):
    submission = reports.submitted(enterprise, period)
    with pytest.raises(TransitionRefused):
        wf.submission_freeze(submission=submission, actor=filler, reason="x")


def test_unfreeze_only_a_frozen_report(reports, enterprise, period):
    with pytest.raises(TransitionRefused):
        wf.submission_unfreeze(submission=reports.save(enterprise, period), actor=None)


def test_unfreeze_by_an_out_of_region_reviewer_refused(reports, enterprise, period, filler, admins, demo_core):
    from accounts.models import User

    submission = wf.submission_freeze(submission=reports.save(enterprise, period), actor=filler, reason="x")
    hangzhou = User.objects.get(username="com_demo03")
    with pytest.raises(PermissionDenied):
        wf.submission_unfreeze(submission=submission, actor=hangzhou, reason="")
    assert wf.submission_unfreeze(submission=submission, actor=admins["sme_ningbo"]).status == S.UNFROZEN
