"""available_actions(submission, actor): read from the table and the transition functions' own
permission checks, so what it offers is exactly what the transition functions accept."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from reporting.enums import SubmissionStatus as S
from workflow import services as wf
from workflow.actions import CHOSEN, ActionSet, available_actions
from workflow.enums import Action
from workflow.models import ReviewEvent
from workflow.transitions import SUBMISSIONS, TRANSITIONS, TransitionRefused

pytestmark = pytest.mark.django_db

A = Action


def _names(actions) -> set[str]:
    return {Action(a).name.lower() for a in actions}


def test_nothing_for_a_period_not_filled(filler):
    assert available_actions(None, filler) == ActionSet()


def test_an_editable_report_offers_submit_to_its_filler_only(reports, enterprise, period, filler, admins):
    submission = reports.save(enterprise, period)
    assert available_actions(submission, filler) == {A.SUBMIT}
    assert available_actions(submission, admins["sme_haishu"]) == set()
    assert available_actions(submission, User.objects.get(username="com_demo02")) == set()


def test_a_pending_report_before_anyone_received_it(reports, enterprise, period, filler, admins):
    submission = reports.submitted(enterprise, period)
    assert available_actions(submission, filler) == {A.WITHDRAW}
    assert available_actions(submission, admins["sme_haishu"]) == {A.RECEIVE, A.RETURN}  # the holder
    assert available_actions(submission, admins["sme_ningbo"]) == {A.RETURN}  # above, nobody received it yet
    assert available_actions(submission, admins["sme_zhejiang"]) == {A.RETURN, A.SKIP_RECEIVE}  # 越级审核权


def test_once_received_only_the_holder_acts(reports, enterprise, period, filler, admins):
    submission = wf.submission_receive(submission=reports.submitted(enterprise, period), actor=admins["sme_haishu"])
    assert available_actions(submission, filler) == set()  # no more 撤销
    assert available_actions(submission, admins["sme_haishu"]) == set()
    assert available_actions(submission, admins["sme_ningbo"]) == {A.RECEIVE, A.RETURN}
    assert available_actions(submission, admins["sme_zhejiang"]) == {A.SKIP_RECEIVE}


def test_templates_read_actions_by_name(reports, enterprise, period, admins):
    actions = available_actions(reports.submitted(enterprise, period), admins["sme_haishu"])
    assert actions.receive and actions.__getattr__("return") and not actions.withdraw
    with pytest.raises(AttributeError):
        actions.nonsense


class _Undo(Exception):
    pass


def _accepted(action, submission, actor) -> bool:
    """Whether the transition function makes `action` now (rolled back either way)."""
    run = {
        A.SUBMIT: lambda: wf.submission_submit(submission=submission, actor=actor, issues=[], anomalous=False),
        A.WITHDRAW: lambda: wf.submission_withdraw(submission=submission, actor=actor),
        A.RECEIVE: lambda: wf.submission_receive(submission=submission, actor=actor),
        A.SKIP_RECEIVE: lambda: wf.submission_skip_receive(submission=submission, actor=actor),
        A.RETURN: lambda: wf.submission_return(submission=submission, actor=actor, reason="请核实。"),
    }[action]
    before = {f: getattr(submission, f) for f in ("status", "holder_id", "updated_at")}
    events = ReviewEvent.objects.filter(submission=submission).count()
    try:
        with transaction.atomic():
            run()
            moved = ReviewEvent.objects.filter(submission=submission).count() > events  # not a no-op (a resubmit)
            raise _Undo
    except _Undo:
        return moved
    except (TransitionRefused, PermissionDenied):
        return False
    finally:
        for name, value in before.items():
            setattr(submission, name, value)
        submission.refresh_from_db()


@pytest.mark.parametrize("stage", ["editing", "pending", "received", "approved"])
def test_offered_exactly_when_the_transition_function_accepts(reports, enterprise, period, filler, admins, stage):
    if stage == "editing":
        submission = reports.save(enterprise, period)
        reports.answer_questionnaire(enterprise, period)
    elif stage == "approved":
        submission = reports.approved(enterprise, period)
    else:
        submission = reports.submitted(enterprise, period)
        if stage == "received":
            submission = wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    for actor in [filler, *admins.values()]:
        offered = available_actions(submission, actor)
        for action in CHOSEN:
            assert (action in offered) == _accepted(action, submission, actor), (stage, actor.username, action)


def test_the_review_list_and_the_month_page_show_the_buttons_offered(client, reports, enterprise, period, admins,
                                                                      report_type):
    submission = reports.submitted(enterprise, period)
    month = reverse("workflow_review:month", args=[enterprise.pk, f"{period:%Y-%m}"]) + f"?report_type={report_type.pk}"
    review = reverse("workflow_review:list") + f"?report_type={report_type.pk}&month={period:%Y-%m}"
    for name, receive, give_back in (("sme_haishu", True, True), ("sme_ningbo", False, True)):
        client.force_login(admins[name])
        for url in (month, review):
            html = client.get(url).content.decode()
            assert ('data-testid="receive"' in html, 'data-testid="return"' in html) == (receive, give_back), (name, url)
    wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    client.force_login(admins["sme_zhejiang"])  # not the holder (sme_ningbo), and the report was received
    html = client.get(month).content.decode()
    assert 'data-testid="read-only"' in html and 'data-testid="receive"' not in html


def test_the_portal_offers_withdraw_from_the_same_rule(client, reports, enterprise, period, filler, admins):
    submission = reports.submitted(enterprise, period)
    client.force_login(filler)
    detail = reverse("reporting:detail", args=[submission.pk])
    withdraw = reverse("reporting:withdraw", args=[submission.pk])
    assert withdraw in client.get(detail).content.decode()
    assert withdraw in client.get(reverse("reporting:history")).content.decode()
    wf.submission_receive(submission=submission, actor=admins["sme_haishu"])
    assert withdraw not in client.get(detail).content.decode()
    assert withdraw not in client.get(reverse("reporting:history")).content.decode()


# -- 更换直接审核员 through the table ---------------------------------------------------------------

def test_reassign_is_a_transition_of_the_table():
    assert TRANSITIONS[Action.REASSIGN] == (frozenset({S.PENDING}), frozenset({S.PENDING}))
    assert not SUBMISSIONS.allows(Action.REASSIGN, S.RETURNED)
    assert Action.REASSIGN not in CHOSEN  # decided per enterprise (批量更换直接审核员), not on a report


def test_reassign_records_the_move_like_every_transition(reports, enterprise, period, admins, demo_core):
    submission = reports.submitted(enterprise, period)
    [moved] = wf.submissions_reassign(enterprise=enterprise, to_holder=demo_core["sme_ningbo"],
                                      actor=admins["sme_zhejiang"])
    assert (moved.status, moved.holder_id) == (S.PENDING, demo_core["sme_ningbo"].pk)
    event = ReviewEvent.objects.filter(submission=submission).last()
    assert (event.action, event.actor, event.from_status, event.to_status, event.from_holder, event.to_holder) == (
        Action.REASSIGN, admins["sme_zhejiang"], S.PENDING, S.PENDING, demo_core["sme_haishu"],
        demo_core["sme_ningbo"])
    submission.refresh_from_db()
    assert submission.holder_id == demo_core["sme_ningbo"].pk
