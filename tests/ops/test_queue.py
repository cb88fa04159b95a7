"""Background work with the broker down: the task row is marked failed with a message, never left queued."""
import logging

import pytest

from config.celery import app
from imports import services as imports
from imports.enums import JobStatus
from imports.tasks import import_job_task
from ops.queue import task_enqueue
from reminders import services as reminders
from reminders.enums import RunStatus
from tests.imports.builders import BatchFile

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


@pytest.fixture
def broker_down(settings, monkeypatch):
    """A configured broker that cannot be reached (tasks are not eager)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Celery reads these variables before its configuration (CI's PostgreSQL pass sets them).
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", "cache+memory://")
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options",
                                            "result_backend", "task_publish_retry_policy")}
    app.conf.update(task_always_eager=False, broker_url=UNREACHABLE, result_backend="cache+memory://",
                    broker_transport_options={}, task_publish_retry_policy={"max_retries": 0})
    app._after_fork()  # drop the connection pools made for the previous broker
    yield
    app.conf.update(saved)
    app._after_fork()


def test_an_import_queued_while_the_broker_is_down_is_failed_with_a_message(broker_down, admins, report_type, period,
                                                                          reports, django_capture_on_commit_callbacks, caplog):
    from enterprises.models import Enterprise

    demo01 = Enterprise.objects.get(user__username="com_demo01")
    batch = BatchFile(report_type)
    batch.add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])
    with caplog.at_level(logging.ERROR, logger="ops.queue"), django_capture_on_commit_callbacks(execute=True):
        job = imports.import_job_create(actor=admins["sme_ningbo"], report_type=report_type, period=period,
                                        file=batch.data(), file_name="batch.xlsx", language="zh-hans")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.message == "后台任务无法排队（任务队列暂时不可用），未做任何处理，请稍后重试。"
    assert job.rows.count() == 0
    assert "could not queue imports.tasks.import_job_task" in caplog.text


def test_a_reminder_run_queued_while_the_broker_is_down_is_failed(broker_down, admins, report_type, period,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.reminder_run_start(actor=admins["sme_ningbo"], report_type=report_type, period=period)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "任务队列暂时不可用" in run.message
    assert run.deliveries.count() == 0
    # The failed run does not block another one ("already running" is about queued and running runs).
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.reminder_run_start(actor=admins["sme_ningbo"], report_type=report_type, period=period)
    assert again.pk != run.pk


def test_without_a_broker_tasks_run_eagerly_and_their_errors_propagate():
    calls = []

    def failed(message):
        calls.append(message)

    with pytest.raises(Exception):
        task_enqueue(import_job_task, "not-an-id", on_failure=failed)
    assert calls == []  # a task's own error is not a queue outage
    assert task_enqueue(import_job_task, 0, on_failure=failed) is True  # "gone": no such job
    assert calls == []


def test_the_import_task_survives_a_killed_worker():
    # acks_late + reject_on_worker_lost: the message of a chunk whose worker died is delivered again.
    assert import_job_task.acks_late is True and import_job_task.reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
