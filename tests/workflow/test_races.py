"""Two transitions of one report at the same moment (issue 18 §3): one of them happens, the other is
refused with a clear message (409 in the API, a message on the pages), never a 500.

Each pair runs a few rounds, on a fresh report each, in two threads with their own database
connection, started together by a barrier. At the database edge every `SELECT … FOR UPDATE` is held
a moment (`connection.execute_wrapper`), so the second thread really queues on the first one's row
lock; the rounds alternate which thread gets a head start, so both orders are played.

Row locks are real on PostgreSQL only: the SQLite test database of the suite is in memory, where
connections share one cache and a second writer is refused at once instead of waiting (the busy
timeout applies to database files). On SQLite a test checks the settings instead: on a database
file, two writers with the configured options wait for each other rather than fail with
"database is locked".
"""
import threading
import time

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test import Client
from django.urls import reverse

from api.services import token_create
from reporting.models import Submission
from reporting.periods import month_add
from reporting.services import report_submit
from tests.api.conftest import Api
from workflow import services as wf
from workflow.enums import Action
from reporting.enums import SubmissionStatus as S
from workflow.models import ReviewEvent
from workflow.transitions import TransitionRefused

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks: the in-memory SQLite test database refuses a second writer at once (shared cache) "
           "instead of waiting; CI runs these on PostgreSQL")

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4
HOLD = 0.3  # seconds each row lock is held
HEAD_START = 0.1
LATE_LOCK = 1.5  # seconds a late thread waits before taking its locks
CHANGED = "该报表在此期间已有变动"


def _locks_held(*, wait_before: float):
    def wrapper(execute, sql, params, many, context):
        locking = "FOR UPDATE" in sql
        if locking and wait_before:
            time.sleep(wait_before)
        result = execute(sql, params, many, context)
        if locking:
            time.sleep(HOLD)
        return result

    return wrapper


def race(first, second, *, first_ahead: bool, behind_locks_late: bool = False):
    """Run both calls at once, each in its own thread and connection; return what each got.

    The thread behind starts HEAD_START later and so queues on the other's row lock; with
    `behind_locks_late` it starts at once (reading the report as it was) but takes its locks only
    after the other has finished: the request that read the report just before it changed.
    """
    barrier = threading.Barrier(2)
    results = [None, None]
    behind = 1 if first_ahead else 0

    def run(index, call):
        late = index == behind
        try:
            with connection.execute_wrapper(_locks_held(wait_before=LATE_LOCK if late and behind_locks_late else 0)):
                barrier.wait(timeout=30)
                if late and not behind_locks_late:
                    time.sleep(HEAD_START)
                results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test looks at what each thread got
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting"
    return results


def events_after(submission, pk_after: int) -> list[str]:
    return list(ReviewEvent.objects.filter(submission=submission, pk__gt=pk_after).order_by("pk")
                .values_list("action", flat=True))


def last_event_pk() -> int:
    return ReviewEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def assert_one_won_one_refused(results):
    """One thread moved the report; the other got the workflow's refusal saying the report changed."""
    won = [r for r in results if isinstance(r, Submission)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(won) == 1 and len(refused) == 1, results
    return won[0], refused[0]


def assert_consistent(submission):
    submission.refresh_from_db()
    last = ReviewEvent.objects.filter(submission=submission).order_by("pk").last()
    assert (last.to_status, last.to_holder_id) == (submission.status, submission.holder_id)
    assert (submission.status == S.PENDING) == (submission.holder_id is not None)


def api_for(user, **kwargs) -> Api:
    return Api(Client(), token_create(actor=user, name=f"{user.username} race", **kwargs).secret)


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    cache.clear()
    settings.API_TOKENS_PER_USER = 1000  # every round makes its own tokens; the cap is tested in tests/api
    yield
    cache.clear()


# -- the workflow's functions -------------------------------------------------------------------

@postgresql_only
def test_the_county_receives_while_the_city_returns(reports, enterprise, period, admins):
    """退回 by the city before anyone received, while the county receives: the city's return must not
    land on the report the county has just passed up to it."""
    for n in range(ROUNDS):
        submission = reports.submitted(enterprise, month_add(period, -n))
        start = last_event_pk()
        results = race(
            lambda: wf.submission_receive(submission=Submission.objects.get(pk=submission.pk), actor=admins["sme_haishu"]),
            lambda: wf.submission_return(submission=Submission.objects.get(pk=submission.pk), actor=admins["sme_ningbo"],
                                         reason="请核实营业收入。"),
            first_ahead=n % 2 == 0)
        won, refused = assert_one_won_one_refused(results)
        assert CHANGED in refused.message
        assert len(events_after(submission, start)) == 1
        assert_consistent(submission)


@postgresql_only
def test_two_receives_move_one_level_and_the_second_is_told_why(reports, enterprise, period, admins):
    for n in range(ROUNDS):
        submission = reports.submitted(enterprise, month_add(period, -n))
        start = last_event_pk()
        receive = lambda: wf.submission_receive(submission=Submission.objects.get(pk=submission.pk),  # noqa: E731
                                                actor=admins["sme_haishu"])
        won, refused = assert_one_won_one_refused(race(receive, receive, first_ahead=n % 2 == 0))
        assert won.holder.user.username == "sme_ningbo"
        assert CHANGED in refused.message and "待审核【sme_ningbo】" in refused.message
        assert events_after(submission, start) == [Action.RECEIVE]
        assert_consistent(submission)


@postgresql_only
def test_two_submits_make_one_submission(reports, enterprise, period):
    for n in range(ROUNDS):
        saved = reports.save(enterprise, month_add(period, -n))
        reports.answer_questionnaire(enterprise, month_add(period, -n))
        submit = lambda: report_submit(submission=Submission.objects.get(pk=saved.pk), actor=enterprise.filler)  # noqa: E731
        won, refused = assert_one_won_one_refused(race(submit, submit, first_ahead=n % 2 == 0))
        assert won.status == S.PENDING and won.holder is not None
        assert CHANGED in refused.message
        assert events_after(saved, 0) == [Action.SUBMIT]
        assert_consistent(saved)


@postgresql_only
def test_withdraw_while_submitting_again(reports, enterprise, period):
    """撤销 in one tab while another tab, opened when the report was pending, submits it again."""
    for n in range(ROUNDS):
        submission = reports.submitted(enterprise, month_add(period, -n))
        start = last_event_pk()
        results = race(
            lambda: wf.submission_withdraw(submission=Submission.objects.get(pk=submission.pk), actor=enterprise.filler),
            lambda: report_submit(submission=Submission.objects.get(pk=submission.pk), actor=enterprise.filler),
            first_ahead=n % 2 == 0, behind_locks_late=True)
        assert all(isinstance(r, (Submission, TransitionRefused)) for r in results), results
        assert events_after(submission, start) == [Action.WITHDRAW]
        if isinstance(results[1], TransitionRefused):  # the withdrawal came first
            assert CHANGED in results[1].message
        assert_consistent(submission)


# -- the API: 409 for the loser ------------------------------------------------------------------

def _report_path(report_type, enterprise, period) -> str:
    return f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"


@postgresql_only
def test_a_double_submit_through_the_api_answers_409_not_500(reports, report_type, enterprise, period):
    for n in range(ROUNDS):
        month = month_add(period, -n)
        saved = reports.save(enterprise, month)
        reports.answer_questionnaire(enterprise, month)
        path = _report_path(report_type, enterprise, month) + "/submit"
        first, second = api_for(enterprise.filler), api_for(enterprise.filler)
        responses = race(lambda: first.post(path, headers={"Idempotency-Key": f"a-{n}"}),
                         lambda: second.post(path, headers={"Idempotency-Key": f"b-{n}"}),
                         first_ahead=n % 2 == 0)
        assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
        won = next(r for r in responses if r.status_code == 200).json()
        assert won["status"] == "pending" and won["holder"] == "sme_haishu"
        lost = next(r for r in responses if r.status_code == 409).json()
        assert lost["code"] == "conflict" and CHANGED in lost["message"]
        assert events_after(saved, 0) == [Action.SUBMIT]
        assert_consistent(saved)


@postgresql_only
def test_submit_and_withdraw_through_the_api_at_once(reports, report_type, enterprise, period):
    """A client submitting and withdrawing at once: the report ends submitted, or never submitted; a
    withdrawal read before the submit never takes back a submission it did not see."""
    for n in range(ROUNDS):
        month = month_add(period, -n)
        saved = reports.save(enterprise, month)
        reports.answer_questionnaire(enterprise, month)
        path = _report_path(report_type, enterprise, month)
        submitter, withdrawer = api_for(enterprise.filler), api_for(enterprise.filler)
        responses = race(lambda: submitter.post(path + "/submit", headers={"Idempotency-Key": f"s-{n}"}),
                         lambda: withdrawer.post(path + "/withdraw"),
                         first_ahead=n % 2 == 0, behind_locks_late=True)
        assert [r.status_code for r in responses] == [200, 409], [r.content for r in responses]
        assert responses[1].json()["code"] == "conflict"
        assert events_after(saved, 0) == [Action.SUBMIT]
        assert_consistent(saved)


@postgresql_only
def test_two_receives_through_the_api_answer_200_and_409(reports, enterprise, period, admins):
    for n in range(ROUNDS):
        submission = reports.submitted(enterprise, month_add(period, -n))
        start = last_event_pk()
        path = f"/submissions/{submission.pk}/receive"
        first, second = api_for(admins["sme_haishu"]), api_for(admins["sme_haishu"])
        responses = race(lambda: first.post(path), lambda: second.post(path), first_ahead=n % 2 == 0)
        assert sorted(r.status_code for r in responses) == [200, 409], [r.content for r in responses]
        assert next(r for r in responses if r.status_code == 200).json()["holder"] == "sme_ningbo"
        assert CHANGED in next(r for r in responses if r.status_code == 409).json()["message"]
        assert events_after(submission, start) == [Action.RECEIVE]
        assert_consistent(submission)


# -- the review pages: a message for the loser ---------------------------------------------------

@postgresql_only
def test_receive_and_return_on_the_review_pages(reports, enterprise, period, admins):
    for n in range(ROUNDS):
        county, city = Client(), Client()  # fresh sessions: each round reads only its own messages
        county.force_login(admins["sme_haishu"])
        city.force_login(admins["sme_ningbo"])
        submission = reports.submitted(enterprise, month_add(period, -n))
        start = last_event_pk()
        responses = race(
            lambda: county.post(reverse("workflow_review:receive", args=[submission.pk])),
            lambda: city.post(reverse("workflow_review:return", args=[submission.pk]), {"reason": "请核实营业收入。"}),
            first_ahead=n % 2 == 0)
        assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]
        assert len(events_after(submission, start)) == 1
        texts = [[str(m) for m in get_messages(r.wsgi_request)] for r in responses]
        assert sum(any(CHANGED in t for t in messages) for messages in texts) == 1, texts
        assert_consistent(submission)


# -- SQLite: the loser waits instead of failing -------------------------------------------------

def sqlite_transition(database, *, delay: float) -> str:
    """Read the row, then write it if it is still pending, in one transaction begun as
    transaction.atomic begins it on SQLite; return the status read."""
    database.ensure_connection()
    time.sleep(delay)
    database.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT status FROM report WHERE id = 1")
            status = cursor.fetchone()[0]
            time.sleep(HOLD)
            if status == "pending":
                cursor.execute("UPDATE report SET status = 'moved' WHERE id = 1")
        database.commit()
    finally:
        database.set_autocommit(True)
    return status


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
                    reason="checks the SQLite options of config.settings")
def test_sqlite_writers_wait_for_each_other_on_a_database_file(tmp_path):
    """Two transactions that read, then write, as every transition does: with the configured options
    (IMMEDIATE transactions, a busy timeout) the second waits for the first and reads its write;
    with SQLite's default (DEFERRED) it fails with "database is locked"."""
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5

    def database(alias):
        return SQLiteWrapper({**connection.settings_dict, "NAME": str(tmp_path / "race.sqlite3"),
                              "OPTIONS": dict(options), "TEST": {}}, alias=alias)

    setup = database("race_setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, status TEXT)")
        cursor.execute("INSERT INTO report VALUES (1, 'pending')")
    setup.close()

    barrier, results = threading.Barrier(2), {}

    def run(index):
        db = database(f"race_{index}")
        try:
            barrier.wait(timeout=10)
            results[index] = sqlite_transition(db, delay=index * HEAD_START)
        except OperationalError as exc:
            results[index] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == {0: "pending", 1: "moved"}, results
