"""批量导出 of 填报数据查询: a zip with one workbook per report, written in the background
(registered with the generic `exports` app; see platform/exports/README.md)."""
import zipfile

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _, gettext_lazy

from enterprises.selectors import enterprises_for_user
from exports.registry import register_writer
from exports.services import ExportRefused
from reporting import excel_io

from .selectors import filing_reports_for_enterprise

BATCH_MAX = 500


@register_writer("filing.reports", title=gettext_lazy("Batch export of filed reports"))
def filing_reports_batch(*, actor, params, path, progress) -> str:
    """The chosen reports (`ids`) of one of the actor's enterprises (`enterprise`), each as the
    detail workbook of 导出, in one zip."""
    enterprise = enterprises_for_user(actor).select_related("industry").filter(pk=params.get("enterprise")).first()
    if enterprise is None:
        raise PermissionDenied
    wanted = {int(i) for i in params.get("ids", [])}
    if not wanted or len(wanted) > BATCH_MAX:
        raise ExportRefused(_("Choose between 1 and %(max)d reports.") % {"max": BATCH_MAX})
    rows = [r for r in filing_reports_for_enterprise(enterprise=enterprise) if r.submission.pk in wanted]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, row in enumerate(rows, start=1):
            name = f"{row.submission.period:%Y-%m}-{row.task.pk}-{row.task.title}.xlsx".replace("/", "_")
            archive.writestr(name, excel_io.submission_export(row.submission))
            progress(done, len(rows))
    return f"filing-reports-{enterprise.pk}.zip"
