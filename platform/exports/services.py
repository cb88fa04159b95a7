"""Export writes: Excel files written in one streamed pass (openpyxl write-only), in the request for
small exports and as an `ExportJob` run by a Celery task for large ones."""
import logging
import os
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ops.queue import row_fail, task_enqueue_on_commit
from ops.task_base import TaskStatus, task_advance, task_fail, task_finish, task_start

from .enums import PROGRESS_EVERY, SYNC_MAX_ROWS_DEFAULT
from .models import ExportJob
from .registry import ExportKind, Table, UnknownExportKind, kind_get
from .styling import sheet_write

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportRefused(Exception):
    """An export that cannot run, with a message for the user (bad parameters, nothing to export)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _kind(key: str) -> ExportKind:
    try:
        return kind_get(key)
    except UnknownExportKind:
        raise ExportRefused(_("Unknown export: %(kind)s") % {"kind": key}) from None


def sync_max_rows(kind: ExportKind) -> int:
    if kind.sync_max_rows is not None:
        return kind.sync_max_rows
    return int(getattr(settings, "EXPORT_SYNC_MAX_ROWS", SYNC_MAX_ROWS_DEFAULT))


def table_write(table: Table, target, *, progress=None) -> int:
    """Write `table` as one sheet to `target` (a path or a binary file); returns the rows written.

    Write-only mode keeps memory flat whatever the number of rows; text is written as text cells
    (never run as a formula, no visible prefix), numbers stay numbers, times are Asia/Shanghai
    local time (`formdefs.excel.xlsx_value`); the header block, widths, frozen header, merged
    groups and number formats are `styling.sheet_write`'s (the one look of every table export).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(table.sheet_title or "Sheet1")[:31])
    done = sheet_write(sheet, table, progress=progress, progress_every=PROGRESS_EVERY)
    workbook.save(target)
    return done


@dataclass
class ExportFile:
    """A finished small export: an open temporary file (deleted when closed) and its name."""

    file: object
    file_name: str
    rows: int


def _check_actor(actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied


def export_start(*, actor, kind: str, params: dict, language: str | None = None) -> ExportFile | ExportJob:
    """Export `kind` with `params` for `actor`: written now when small, else queued as a job.

    The kind's function checks the actor's permission (PermissionDenied) and the parameters
    (ExportRefused); nothing is queued when it refuses.
    """
    _check_actor(actor)
    export_kind = _kind(kind)
    if export_kind.is_table:
        table = export_kind.table(actor=actor, params=params)
        if table.total is not None and table.total <= sync_max_rows(export_kind):
            handle = tempfile.TemporaryFile()
            rows = table_write(table, handle)
            handle.seek(0)
            return ExportFile(file=handle, file_name=table.file_name, rows=rows)
        return export_job_create(actor=actor, kind=kind, params=params, language=language, total=table.total or 0,
                                 title=str(export_kind.title))
    return export_job_create(actor=actor, kind=kind, params=params, language=language, title=str(export_kind.title))


def export_job_create(*, actor, kind: str, params: dict, language: str | None = None, total: int = 0,
                      title: str = "") -> ExportJob:
    """Queue a background export (the Celery task starts once the transaction commits)."""
    _check_actor(actor)
    export_kind = _kind(kind)
    from .tasks import export_job_task

    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, params=params, created_by=actor, total=total,
                                       title=title or str(export_kind.title),
                                       language=language or translation.get_language() or settings.LANGUAGE_CODE)
        task_enqueue_on_commit(export_job_task, job.pk, on_failure=row_fail(job, status=TaskStatus.FAILED))
    return job


def _progress_saver(job: ExportJob):
    def progress(done: int, total: int) -> None:
        task_advance(job, processed=done, total=max(total, job.total))
    return progress


#: Saved with the finished job: the file written and the name it is downloaded as.
FILE = ("file", "file_name")


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Run a queued job: write its file, keep it for the creator's download, record the outcome.

    A refusal (permission lost, bad parameters) fails the job with its message. Any other error
    fails it with a generic message and is raised again so the worker logs it.
    """
    if not task_start(job):
        return ExportJob.objects.get(pk=job.pk)  # already run (a duplicate delivery of the task)
    progress = _progress_saver(job)
    path = None
    try:
        with translation.override(job.language):
            export_kind = _kind(job.kind)
            fd, path = tempfile.mkstemp(suffix=".xlsx" if export_kind.is_table else "")
            os.close(fd)
            if export_kind.is_table:
                table = export_kind.table(actor=job.created_by, params=job.params)
                job.total = table.total or job.total
                job.processed = table_write(table, path, progress=progress)
                file_name = table.file_name
            else:
                file_name = export_kind.write(actor=job.created_by, params=job.params, path=path, progress=progress)
                job.processed = max(job.processed, job.total)
            with open(path, "rb") as handle:
                job.file.save(file_name, File(handle), save=False)
            job.file_name = file_name
        task_finish(job, fields=FILE)
        return job
    except ExportRefused as exc:
        task_fail(job, message=exc.message)
        return job
    except PermissionDenied as exc:
        with translation.override(job.language):
            task_fail(job, message=str(exc) or _("You may no longer export this."))
        return job
    except Exception:
        logger.exception("export job %s failed", job.pk)
        with translation.override(job.language):
            task_fail(job, message=_("The export failed because of an error on the server."))
        raise
    finally:
        if path and os.path.exists(path):
            os.unlink(path)


def export_job_delete(*, actor, job: ExportJob) -> None:
    """Delete a finished job of the actor and its file."""
    if job.created_by_id != actor.pk:
        raise PermissionDenied
    if job.file:
        job.file.delete(save=False)
    job.delete()
