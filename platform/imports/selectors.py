"""Import reads: the batch template, the jobs an administrator may see, a job's rows and their export."""
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.selectors import admin_scope
from formdefs import excel
from reporting.models import ReportType
from reporting.selectors import report_version

from .enums import RowOutcome
from .models import ImportJob


def import_template(*, report_type: ReportType, lang: str | None = None) -> tuple[bytes, str]:
    """The batch file (企业上报导入模板) of the report type's current version, and its file name."""
    version = report_version(report_type)
    return excel.batch_template_build(version=version, lang=lang), f"{report_type.key}-batch-v{version.number}.xlsx"


def import_jobs_for(user) -> QuerySet:
    """Jobs of the administrators in the user's subtree (themselves included)."""
    scope = admin_scope(user)
    if scope.is_empty:
        return ImportJob.objects.none()
    return (ImportJob.objects.filter(created_by__in=scope.administrators().values("user_id"))
            .select_related("report_type", "created_by"))


def import_job_get(*, user, pk: int) -> ImportJob:
    return import_jobs_for(user).get(pk=pk)


def job_rows(job: ImportJob, *, outcome: str = "") -> QuerySet:
    rows = job.rows.select_related("submission__holder__user", "enterprise")
    return rows.filter(outcome=outcome) if outcome in RowOutcome.values else rows


def job_rows_export(job: ImportJob) -> bytes:
    """The per-row results as a workbook (write-only: constant memory for thousands of rows)."""
    import io

    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet(_("Import results"))
    ws.append([_("Sheet"), _("Row"), _("Unified social credit code"), _("Enterprise name"), _("Outcome"), _("Messages")])
    for row in job_rows(job).iterator(chunk_size=500):
        ws.append(excel.xlsx_row(ws, (
            row.sheet, row.row_number, row.credit_code, row.name, row.get_outcome_display(), "\n".join(row.messages))))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
