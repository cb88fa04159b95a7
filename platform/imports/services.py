"""企业上报导入 writes (SPEC §10): create an import job from an upload, and process it row by row.

Policy for periods that already have a report: 编辑, 退回 and 解除冻结 reports are overwritten by
the file's figures (the 基本信息 already saved are kept) and submitted; 待审核, 审核通过 and 冻结
reports are refused (`2016-10已填报(审核通过)，不能重复导入 [行号: 4]`). Each row is checked as the
whole report, 基本信息 included, with the values the wizard, 上报导入 and the API accept (the form
engine's answer schema), so a row with an empty required 基本信息 is refused. Each row is saved with
entry method 地方管理员导入 and submitted to the enterprise's direct reviewer, screened like any
submission, in a transaction of its own: a bad row never undoes the good ones.
"""
import datetime
import json
import logging
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import AdminScope, admin_scope
from cms.storage import private_storage
from enterprises.enums import RegistrationStatus
from enterprises.models import Enterprise
from formdefs import excel
from reporting.enums import Frequency
from reporting.models import ReportType
from reporting.periods import period_current
from reporting.selectors import (report_initial_answers, report_rule_context, report_type_applies, report_version,
                                 submission_find)
from reporting.services import ReportRefused, report_save
from workflow import services as workflow
from reporting.enums import EDITABLE, EntryMethod, SubmissionStatus
from ops.task_base import TaskStatus, task_advance, task_fail, task_finish, task_start
from workflow.transitions import TransitionRefused

from .enums import RowOutcome
from .models import ImportJob, ImportRow

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """An upload that cannot become a job; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class _RowRefused(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def chunk_rows() -> int:
    """Rows one task run handles before it queues the next chunk (setting IMPORT_CHUNK_ROWS, default 200).

    Without a broker (the embedded default, tasks eager) a chunk runs inside a web request, so it is
    kept small (IMPORT_EAGER_CHUNK_ROWS, default 25) and the job page's progress poll runs the next one.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return int(getattr(settings, "IMPORT_EAGER_CHUNK_ROWS", 25))
    return int(getattr(settings, "IMPORT_CHUNK_ROWS", 200))


def import_job_advance(*, job: ImportJob) -> bool:
    """Embedded default only: run the next small chunk when the job page polls (no worker exists).

    With a broker the worker's chain of tasks does the work and polling only reads.
    """
    if not settings.CELERY_TASK_ALWAYS_EAGER or job.is_finished:
        return False
    return import_job_process(job=job, max_rows=chunk_rows())


def _importer_scope(actor) -> AdminScope:
    scope = admin_scope(actor)
    if scope.profile is None or not scope.profile.can_review_report:
        raise PermissionDenied(_("You need the report review permission to import reports."))
    return scope


def _period_check(report_type: ReportType, period: datetime.date) -> None:
    if period.day != 1 or not Frequency(report_type.frequency).covers(period.month):
        raise ImportRefused(_("%(period)s is not a period of this report.") % {"period": f"{period:%Y-%m}"})
    if period > period_current(report_type):
        raise ImportRefused(_("The period %(period)s has not ended yet; it cannot be imported.") % {
            "period": f"{period:%Y-%m}"})


def import_job_create(*, actor, report_type: ReportType, period: datetime.date, file, file_name: str = "",
                      language: str | None = None) -> ImportJob:
    """Check the upload from its zip directory (`excel.upload_check` with the batch limits) and queue a job.

    The request only runs those checks (size, zip and XML bombs, macros, each part's size, each
    sheet's declared rows) and stores the file privately; the task reads it (`import_job_process`):
    a file of another template or with more rows than its limit fails the job with the reason.
    Raises `ImportRefused` with the reason, `PermissionDenied` without the report review permission.
    """
    _importer_scope(actor)
    _period_check(report_type, period)
    version = report_version(report_type)
    try:
        excel.upload_check(file, limits=excel.batch_limits(version=version), scan=False)
    except excel.ExcelRefused as exc:
        raise ImportRefused(exc.message)
    data = file if isinstance(file, bytes) else file.read()
    name = (file_name or getattr(file, "name", "") or "import.xlsx")[-255:]
    with transaction.atomic():
        job = ImportJob(report_type=report_type, version=version, period=period, created_by=actor, file_name=name,
                        language=language or translation.get_language() or settings.LANGUAGE_CODE)
        job.file.save(f"batch-{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(data), save=False)
        job.save()
        from .tasks import import_job_task

        from ops.queue import row_fail, task_enqueue_on_commit

        task_enqueue_on_commit(import_job_task, job.pk, on_failure=row_fail(job, status=TaskStatus.FAILED))
    return job


HELD_DIR = "imports/held"
#: A held upload whose importer neither confirmed nor cancelled (the page was left) is deleted after this.
HELD_FOR = datetime.timedelta(hours=24)


def import_file_hold(*, data: bytes) -> str:
    """Keep an upload privately while its importer confirms overwriting enterprises' drafts; the storage name.
    Uploads held longer than HELD_FOR are deleted first (also daily by Celery beat)."""
    import_files_held_purge()
    return private_storage.save(f"{HELD_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(data))


def import_files_held_purge(*, older_than: datetime.timedelta = HELD_FOR) -> int:
    """Delete the held uploads last written before `older_than` ago (their confirmation page was left);
    the number deleted."""
    try:
        _dirs, names = private_storage.listdir(HELD_DIR)
    except FileNotFoundError:
        return 0
    cutoff, deleted = timezone.now() - older_than, 0
    for name in names:
        path = f"{HELD_DIR}/{name}"
        try:
            if private_storage.get_modified_time(path) < cutoff:
                private_storage.delete(path)
                deleted += 1
        except FileNotFoundError:  # taken by its importer meanwhile
            continue
    return deleted


def import_file_take(*, name: str) -> bytes | None:
    """The held upload `name` (None when it is gone), deleted from the storage."""
    if not name.startswith(f"{HELD_DIR}/") or not private_storage.exists(name):
        return None
    with private_storage.open(name, "rb") as stream:
        data = stream.read()
    private_storage.delete(name)
    return data


def import_job_process(*, job: ImportJob, max_rows: int | None = None) -> bool:
    """Import the next rows of the job (at most `max_rows`); True when rows remain for another chunk.

    The first run reads the file once, streaming (`_rows_spool`: every row, checked, written as a
    line of a private file beside it, counted as it goes); each chunk then takes the next lines of
    that file, resuming after the rows already recorded, so no chunk reads the workbook again. The
    importer's permission is checked again; a file that cannot be read fails the job with the reason.
    """
    if job.is_finished:
        return False
    with translation.override(job.language):
        try:
            scope = _importer_scope(job.created_by)
        except PermissionDenied as exc:
            _fail(job, str(exc))
            return False
        try:
            return _process(job, scope, max_rows)
        except excel.ExcelRefused as exc:
            _spool_delete(job)
            _fail(job, exc.message)
            return False
        except BaseException:
            _fail(job, _("The import stopped because of an internal error; the rows shown were handled."))
            raise


def _spool_name(job: ImportJob) -> str:
    return f"{job.file.name}.rows.jsonl"


def _spool_delete(job: ImportJob) -> None:
    job.file.storage.delete(_spool_name(job))


def _rows_spool(job: ImportJob) -> int:
    """Read the batch file once (streaming) into one JSON line per row, the first line the file's language;
    return the number of rows. Written under a temporary name, so a run killed meanwhile starts again."""
    storage, name = job.file.storage, _spool_name(job)
    path = Path(storage.path(name))
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")  # two runs never write into one file
    count = 0
    try:
        with job.file.open("rb") as stream, open(partial, "w", encoding="utf-8") as out:
            rows = excel.batch_read(file=stream, version=job.version)
            try:
                for row in rows:
                    if count == 0:
                        out.write(json.dumps({"lang": row.layout.lang}) + "\n")
                    out.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
                    count += 1
            finally:
                rows.close()
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _spooled_rows(job: ImportJob, *, start: int) -> Iterator:
    """(position, BatchRow) of the spooled rows after the first `start`."""
    with open(job.file.storage.path(_spool_name(job)), "rb") as lines:
        header = lines.readline()
        if not header:
            return
        layout = excel.batch_layout(version=job.version, lang=json.loads(header)["lang"])
        for position, line in enumerate(lines, start=1):
            if position > start:
                yield position, excel.BatchRow.from_dict(json.loads(line), layout=layout)


def _process(job: ImportJob, scope: AdminScope, max_rows: int | None) -> bool:
    if job.status == TaskStatus.QUEUED or not job.file.storage.exists(_spool_name(job)):
        total = _rows_spool(job)
        if job.status == TaskStatus.QUEUED and not task_start(job, total=total) and job.is_finished:
            return False  # another chunk's run finished it meanwhile
    job.processed = job.rows.count()
    handled = 0
    rows = _spooled_rows(job, start=job.processed)
    try:
        for position, row in rows:
            if max_rows is not None and handled >= max_rows:
                _progress(job)
                return True
            outcome = _row_import(job=job, row=row, scope=scope, position=position)
            job.processed += 1
            job.imported += outcome == RowOutcome.IMPORTED
            job.refused += outcome == RowOutcome.REFUSED
            handled += 1
            if handled % 10 == 0:
                _progress(job)
    finally:
        rows.close()
    _counts(job)
    _spool_delete(job)
    summary = excel.more_errors(job.messages_left_out) if job.messages_left_out else ""
    task_finish(job, message=summary, fields=COUNTS)
    return False


#: The job's own counters, saved with its progress.
COUNTS = ("imported", "refused", "messages_listed", "messages_left_out")


def _counts(job: ImportJob) -> None:
    """Count the recorded rows again: they are the truth, whichever chunk recorded them."""
    job.imported, job.refused = (job.rows.filter(outcome=RowOutcome.IMPORTED).count(),
                                 job.rows.filter(outcome=RowOutcome.REFUSED).count())
    job.processed = job.imported + job.refused


def _progress(job: ImportJob) -> None:
    _counts(job)
    task_advance(job, processed=job.processed, fields=COUNTS)


def _fail(job: ImportJob, message: str) -> None:
    _counts(job)
    task_fail(job, message=message, fields=COUNTS)


def _line(message: str, row) -> str:
    return _("%(message)s [row: %(row)s]") % {"message": message, "row": row.row_number}


def _enterprise_for(row, scope: AdminScope) -> Enterprise:
    code = row.credit_code.strip().upper()
    enterprise = Enterprise.objects.select_related("region", "industry", "registration_type", "holding_type",
                                                   "direct_reviewer").filter(credit_code=code).first()
    if enterprise is None:
        raise _RowRefused([_line(_("no enterprise has the credit code %(code)s") % {"code": code}, row)])
    if not scope.contains_region(enterprise.region):
        raise _RowRefused([_line(_("%(name)s is outside your region") % {"name": enterprise.name}, row)])
    if enterprise.status != RegistrationStatus.APPROVED or enterprise.is_disabled:
        raise _RowRefused([_line(_("%(name)s is not an approved, enabled enterprise") % {"name": enterprise.name}, row)])
    return enterprise


def _row_import(*, job: ImportJob, row, scope: AdminScope, position: int) -> str:
    record = ImportRow(job=job, position=position, sheet=row.sheet, row_number=row.row_number,
                       credit_code=row.credit_code[:64], name=row.name[:255])
    try:
        if row.errors:
            raise _RowRefused(row.messages(limit=_row_limit()))
        enterprise = record.enterprise = _enterprise_for(row, scope)
        with transaction.atomic():
            record.submission, record.messages = _save_and_submit(job=job, row=row, enterprise=enterprise)
            record.outcome = RowOutcome.IMPORTED
            record.save()
    except _RowRefused as exc:
        record.outcome, record.messages, record.submission = RowOutcome.REFUSED, _kept(job, exc.messages), None
        record.save()
    except (ReportRefused, TransitionRefused, PermissionDenied, IntegrityError) as exc:
        messages = getattr(exc, "messages", None) or [getattr(exc, "message", None) or str(exc)]
        record.outcome, record.submission = RowOutcome.REFUSED, None
        record.messages = _kept(job, _capped([_line(m, row) for m in messages]))
        record.save()
    return record.outcome


def _row_limit() -> int:
    return int(getattr(settings, "IMPORT_ROW_MAX_MESSAGES", 20))


def _capped(lines: list[str]) -> list[str]:
    """The first IMPORT_ROW_MAX_MESSAGES lines of a row (default 20), then 「另有 N 条错误未列出」."""
    limit = _row_limit()
    return lines if len(lines) <= limit else lines[:limit] + [excel.more_errors(len(lines) - limit)]


def _kept(job: ImportJob, lines: list[str]) -> list[str]:
    """A refused row's lines that fit in the job's IMPORT_JOB_MAX_MESSAGES (default 1,000); the job counts
    the others and its final message says how many were left out (「另有 N 条错误未列出」)."""
    room = max(0, int(getattr(settings, "IMPORT_JOB_MAX_MESSAGES", 1000)) - job.messages_listed)
    kept = lines[:room]
    job.messages_listed += len(kept)
    job.messages_left_out += len(lines) - len(kept)
    return kept


def already_reported_line(period: datetime.date, status_label: str, row) -> str:
    return _line(_("%(period)s already reported (%(status)s); it cannot be imported again") % {
        "period": f"{period:%Y-%m}", "status": status_label}, row)


def _row_plan(*, report_type: ReportType, version, period: datetime.date, row, enterprise: Enterprise,
              validate: bool = True):
    """What importing `row` for `enterprise` would do, written nowhere: (the existing report or None, the
    engine's result). Raises `_RowRefused` with the row's lines when it would be refused. The import and its
    预检 (`imports.precheck`) both ask this, so they say the same; `validate=False` skips the engine
    (the draft check before an import only needs to know which reports exist)."""
    if not report_type_applies(report_type, enterprise):  # said first: nothing else of the row matters then
        raise _RowRefused([_line(_("%(title)s does not apply to %(name)s.") % {
            "title": report_type.localized_title, "name": enterprise.name}, row)])
    existing = submission_find(report_type=report_type, enterprise=enterprise, period=period)
    if existing is not None:
        if existing.status not in EDITABLE:
            raise _RowRefused([already_reported_line(period, existing.get_status_display(), row)])
        if existing.version_id != version.pk:
            raise _RowRefused([_line(_("the saved report of %(period)s uses another version of the form; "
                                       "the enterprise must finish it online") % {"period": f"{period:%Y-%m}"}, row)])
    if not validate:
        return existing, None
    context = report_rule_context(report_type=report_type, enterprise=enterprise, period=period)
    # The whole report is checked, 基本信息 included, from the prefill the wizard and 上报导入 start from:
    # a row whose required 基本信息 is empty is refused, not submitted.
    result = excel.batch_row_validate(row=row, version=version, context=context,
                                      base_answers=report_initial_answers(report_type=report_type, enterprise=enterprise,
                                                                          period=period, submission=existing))
    if row.errors:
        raise _RowRefused(row.messages(limit=_row_limit()))
    return existing, result


def _save_and_submit(*, job: ImportJob, row, enterprise: Enterprise):
    """Inside the row's transaction: refuse a reported period, validate, save (地方管理员导入), submit."""
    report_type, period, actor = job.report_type, job.period, job.created_by
    existing, result = _row_plan(report_type=report_type, version=job.version, period=period, row=row,
                                 enterprise=enterprise)
    notes = []
    if existing is not None:
        notes.append(_("the saved report (%(status)s) was overwritten") % {"status": existing.get_status_display()})
    # Keep what the wizard keeps: hidden answers dropped, computed ones filled.
    submission = report_save(report_type=report_type, enterprise=enterprise, period=period, answers=result.answers,
                             actor=actor, entry_method=EntryMethod.ADMIN_IMPORT, version=job.version,
                             check_window=False, explanation=existing.explanation if existing else "")
    if submission.status == SubmissionStatus.FROZEN:
        raise TransitionRefused(_("the report was frozen by an information change and cannot be submitted"))
    kept = [issue.as_dict() for issue in result.issues if issue.severity != "error"]
    submission = workflow.submission_submit(submission=submission, actor=actor, issues=kept,
                                            anomalous=result.is_anomalous)
    holder = submission.holder.user.username if submission.holder else ""
    lines = [_("imported and submitted, pending review by %(holder)s") % {"holder": holder}]
    if result.is_anomalous:
        lines.append(_("data anomaly: %(issues)s") % {"issues": "；".join(i.message for i in result.issues
                                                                           if i.severity != "error")})
    return submission, [_line("; ".join(lines + notes), row)]
