"""The shared task model (ops.task_base): its transitions, its percent at the edges, and its progress
block, run against one concrete task model (the export job, the one with the fewest required fields)."""
import pytest
from django.test import RequestFactory

from exports.enums import ExportStatus
from exports.models import ExportJob
from imports.enums import JobStatus
from imports.models import ImportJob
from ops.task_base import TaskStatus, task_advance, task_fail, task_finish, task_start
from ops.task_views import TaskProgress
from reminders.enums import RunStatus
from reminders.models import ReminderRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(django_user_model):
    user = django_user_model.objects.create_user(username="tasker", password="x")
    return ExportJob.objects.create(kind="tests.task", created_by=user)


def stored(task) -> ExportJob:
    return ExportJob.objects.get(pk=task.pk)


def test_the_shared_status_keeps_the_values_the_three_tables_hold():
    assert TaskStatus.values == ["queued", "running", "done", "failed"]
    assert JobStatus is RunStatus is ExportStatus is TaskStatus
    for model in (ImportJob, ReminderRun, ExportJob):
        assert [value for value, _label in model._meta.get_field("status").choices] == TaskStatus.values


def test_the_export_job_keeps_its_columns():
    assert (ExportJob._meta.get_field("processed").column, ExportJob._meta.get_field("message").column) == (
        "progress", "error")


def test_start_runs_a_queued_task_once(task):
    assert task_start(task, total=40) is True
    first = stored(task)
    assert (first.status, first.total, first.started_at is not None) == (TaskStatus.RUNNING, 40, True)
    assert task_start(task, total=7) is False  # a message delivered twice
    again = stored(task)
    assert (again.total, again.started_at) == (40, first.started_at)


def test_a_stale_instance_learns_the_status_it_could_not_leave(task):
    ExportJob.objects.filter(pk=task.pk).update(status=TaskStatus.DONE)
    assert task.status == TaskStatus.QUEUED
    assert task_start(task) is False
    assert task.status == TaskStatus.DONE and task.is_finished and stored(task).started_at is None


def test_advance_saves_only_the_progress(task):
    task_start(task, total=10)
    # Meanwhile another process fails the row: the progress save must not bring it back to "running".
    ExportJob.objects.filter(pk=task.pk).update(status=TaskStatus.FAILED, message="stopped", file_name="other.xlsx")
    task.file_name = "mine.xlsx"
    task_advance(task, processed=4)
    row = stored(task)
    assert (row.status, row.message, row.processed, row.total, row.file_name) == (TaskStatus.FAILED, "stopped", 4, 10,
                                                                                  "other.xlsx")


def test_advance_grows_the_total_to_what_was_processed_and_saves_named_fields(task):
    task_start(task, total=3)
    task.file_name = "rows.xlsx"
    task_advance(task, processed=5, fields=["file_name"])
    row = stored(task)
    assert (row.processed, row.total, row.file_name) == (5, 5, "rows.xlsx")
    task_advance(task, processed=6, total=8)
    assert (stored(task).processed, stored(task).total) == (6, 8)


def test_finish_needs_a_running_task_and_ends_at_what_was_processed(task):
    assert task_finish(task) is False  # never started: nothing to finish
    assert stored(task).status == TaskStatus.QUEUED
    task_start(task, total=10)
    task.processed = 9  # one unit fewer than counted when it started
    assert task_finish(task) is True
    row = stored(task)
    assert (row.status, row.processed, row.total, row.percent, row.message) == (TaskStatus.DONE, 9, 9, 100, "")
    assert row.finished_at is not None and row.is_finished


def test_a_failed_task_keeps_its_message_and_its_progress(task):
    task_start(task, total=10)
    task_advance(task, processed=3)
    assert task_fail(task, message="权限已被取消") is True
    row = stored(task)
    assert (row.status, row.message, row.processed, row.total, row.percent) == (TaskStatus.FAILED, "权限已被取消", 3, 10, 30)
    assert row.finished_at is not None and row.is_finished
    # A finished task stays as it ended: neither a later failure nor a finish overwrites the message.
    assert task_fail(task, message="again") is False and task_finish(task) is False
    assert (stored(task).status, stored(task).message) == (TaskStatus.FAILED, "权限已被取消")


def test_a_queued_task_can_fail_before_it_starts(task):
    assert task_fail(task, message="队列不可用") is True
    row = stored(task)
    assert (row.status, row.message, row.started_at, row.percent) == (TaskStatus.FAILED, "队列不可用", None, 0)


@pytest.mark.parametrize(("status", "processed", "total", "percent"), [
    (TaskStatus.QUEUED, 0, 0, 0),  # total unknown
    (TaskStatus.RUNNING, 5, 0, 0),
    (TaskStatus.RUNNING, 0, 3, 0),
    (TaskStatus.RUNNING, 1, 3, 33),  # rounded down
    (TaskStatus.RUNNING, 3, 3, 99),  # every unit handled but not yet done: never 100 early
    (TaskStatus.RUNNING, 7, 3, 99),  # more than counted
    (TaskStatus.DONE, 0, 0, 100),
    (TaskStatus.DONE, 1, 3, 100),
    (TaskStatus.FAILED, 2, 4, 50),  # a failed task shows how far it came
])
def test_percent_at_the_edges(status, processed, total, percent):
    assert ExportJob(status=status, processed=processed, total=total).percent == percent


def _progress_block(task, **headers):
    progress = TaskProgress(template="exports/admin/_progress.html", url_name="exports:progress", name="export",
                            reload_when_finished=True)
    request = RequestFactory().get("/", **headers)
    return progress.response(request, task).render()


def test_the_progress_block_polls_until_the_task_ends_then_reloads_the_page(task):
    task_start(task, total=4)
    task_advance(task, processed=1)
    running = _progress_block(task, HTTP_HX_REQUEST="true")
    html = running.content.decode()
    assert f'hx-get="/admin/exports/{task.pk}/progress/"' in html and 'data-testid="export-percent">25%' in html
    assert "HX-Refresh" not in running
    task_fail(task, message="写入失败")
    failed = _progress_block(task, HTTP_HX_REQUEST="true")
    html = failed.content.decode()
    assert "hx-get" not in html and "is-failed" in html and 'data-testid="export-message">写入失败' in html
    assert failed["HX-Refresh"] == "true"
    assert "HX-Refresh" not in _progress_block(task)  # a plain page load is not reloaded again
