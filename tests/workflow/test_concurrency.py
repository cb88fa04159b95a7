"""Concurrent transitions on PostgreSQL (row locks are real there; SQLite serialises writers).

Two threads acting on the same report end with exactly one transition and one audit event; one-click
receive racing the enterprise's withdrawals never leaves a report in an inconsistent state.
"""
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from reporting.models import IndicatorFact, Submission
from reporting.periods import month_add
from workflow import services as wf
from workflow.enums import Action
from reporting.enums import SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.transitions import TransitionRefused

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL only"),
]


@pytest.fixture
def slow_lock(monkeypatch):
    """Hold each row lock a moment, so the other thread really waits on it."""
    real = wf._lock

    def lock(submission, **kwargs):
        locked = real(submission, **kwargs)
        time.sleep(0.2)
        return locked

    monkeypatch.setattr(wf, "_lock", lock)


def run_together(*calls):
    """Start every call at the same moment in its own thread (own connection); return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def assert_consistent(submission):
    """The row, its last audit event and its facts agree."""
    submission.refresh_from_db()
    last = ReviewEvent.objects.filter(submission=submission).last()
    assert (last.to_status, last.to_holder_id) == (submission.status, submission.holder_id)
    assert set(IndicatorFact.objects.filter(submission=submission).values_list("status", flat=True)) == {submission.status}


def test_receive_and_return_at_once_make_one_transition(reports, enterprise, period, admins, slow_lock):
    submission = reports.submitted(enterprise, period)
    haishu = admins["sme_haishu"]
    results = run_together(lambda: wf.submission_receive(submission=submission, actor=haishu),
                           lambda: wf.submission_return(submission=submission, actor=haishu, reason="请核实。"))
    done = [r for r in results if isinstance(r, Submission)]
    refused = [r for r in results if isinstance(r, (TransitionRefused, PermissionDenied))]
    assert len(done) == 1 and len(refused) == 1, results
    events = list(ReviewEvent.objects.filter(submission=submission).exclude(action=Action.SUBMIT))
    assert len(events) == 1 and events[0].action in (Action.RECEIVE, Action.RETURN)
    assert_consistent(submission)


def test_two_receives_at_once_move_one_level(reports, enterprise, period, admins, slow_lock):
    submission = reports.submitted(enterprise, period)
    haishu = admins["sme_haishu"]
    results = run_together(*[lambda: wf.submission_receive(submission=submission, actor=haishu)] * 2)
    assert sum(isinstance(r, Submission) for r in results) == 1, results
    assert ReviewEvent.objects.filter(submission=submission, action=Action.RECEIVE).count() == 1
    submission.refresh_from_db()
    assert submission.holder.user.username == "sme_ningbo"
    assert_consistent(submission)


def test_one_click_receive_while_the_enterprise_withdraws(reports, enterprise, period, admins, filler, slow_lock):
    submissions = [reports.submitted(enterprise, month_add(period, -n)) for n in range(4)]

    def withdraw_all():
        out = []
        for submission in reversed(submissions):
            try:
                out.append(wf.submission_withdraw(submission=submission, actor=filler))
            except (TransitionRefused, PermissionDenied) as exc:
                out.append(exc)
        return out

    outcome, withdrawals = run_together(lambda: wf.submissions_receive_all(actor=admins["sme_haishu"]), withdraw_all)
    assert isinstance(outcome, wf.BulkOutcome), outcome
    moved = {s.pk for s in outcome.moved}
    withdrawn = {s.pk for s in withdrawals if isinstance(s, Submission)}
    assert moved.isdisjoint(withdrawn)
    assert moved | withdrawn | {s.pk for s, _why in outcome.refused} == {s.pk for s in submissions}
    for submission in submissions:
        assert_consistent(submission)
        after_submit = list(ReviewEvent.objects.filter(submission=submission).exclude(action=Action.SUBMIT)
                            .values_list("action", flat=True))
        if submission.pk in moved:
            assert after_submit == [Action.RECEIVE] and submission.status == S.PENDING
            assert submission.holder.user.username == "sme_ningbo" and submission.reviewer_acted
        else:
            assert after_submit == [Action.WITHDRAW] and submission.status == S.EDITING
            assert submission.holder is None
