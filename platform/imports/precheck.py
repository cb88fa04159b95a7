"""预检 (dry run) of 企业上报导入: the whole import's checks on every row, and what each row would do
(新建, 将覆盖 an enterprise's saved report or wizard draft, 未导入 with the cell message), with nothing
written: no report, fact, event, job or row. The import asks the same questions (`services._row_plan`),
so 预检 and the import say the same. It runs in the request: a batch file holds at most
IMPORT_BATCH_MAX_ROWS rows and nothing is saved per row.
"""
import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from formdefs import excel
from formdefs.models import WizardDraft
from formdefs.services import wizard_draft_key
from reporting.enums import SubmissionStatus
from reporting.models import ReportType
from reporting.selectors import report_draft_key, report_version

from . import services
from .enums import PrecheckOutcome


@dataclass
class PrecheckRow:
    sheet: str
    row_number: int
    credit_code: str
    name: str
    outcome: str = PrecheckOutcome.NEW
    messages: list = field(default_factory=list)
    enterprise: Enterprise | None = None
    saved_status: str = ""  # the enterprise's saved report that would be overwritten (编辑, 退回, 解除冻结)
    saved_at: datetime.datetime | None = None
    has_wizard_draft: bool = False  # someone of the enterprise has unsaved wizard work for the month

    @property
    def overwrites_draft(self) -> bool:
        """The import would replace what the enterprise itself was working on."""
        return self.outcome != PrecheckOutcome.REFUSED and (bool(self.saved_status) or self.has_wizard_draft)

    def get_outcome_display(self) -> str:
        return PrecheckOutcome(self.outcome).label


@dataclass
class ImportPrecheck:
    report_type: ReportType
    period: datetime.date
    rows: list = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def new(self) -> int:
        return self.count(PrecheckOutcome.NEW)

    @property
    def overwrite(self) -> int:
        return self.count(PrecheckOutcome.OVERWRITE)

    @property
    def refused(self) -> int:
        return self.count(PrecheckOutcome.REFUSED)

    @property
    def drafts(self) -> list:
        """The rows whose import would overwrite an enterprise's saved, unsubmitted report or wizard draft."""
        return [row for row in self.rows if row.overwrites_draft]


def import_precheck(*, actor, report_type: ReportType, period: datetime.date, file,
                    validate: bool = True) -> ImportPrecheck:
    """预检: read the batch file and check every row as the import would, saving nothing.

    Raises `services.ImportRefused` for a file or period the import would refuse, `PermissionDenied`
    without the report review permission. `validate=False` skips the engine's checks (the draft check
    before an import only needs each row's enterprise and saved report).
    """
    scope = services._importer_scope(actor)
    services._period_check(report_type, period)
    version = report_version(report_type)
    data = file if isinstance(file, bytes) else file.read()
    precheck, planned = ImportPrecheck(report_type=report_type, period=period), set()
    try:
        rows = excel.batch_read(file=io.BytesIO(data), version=version)
        try:
            for row in rows:
                precheck.rows.append(_row_precheck(row, scope=scope, report_type=report_type, version=version,
                                                   period=period, planned=planned, validate=validate))
        finally:
            rows.close()
    except excel.ExcelRefused as exc:
        raise services.ImportRefused(exc.message)
    _mark_wizard_drafts(precheck)
    return precheck


def _row_precheck(row, *, scope, report_type, version, period, planned: set, validate: bool) -> PrecheckRow:
    record = PrecheckRow(sheet=row.sheet, row_number=row.row_number, credit_code=row.credit_code, name=row.name)
    try:
        if row.errors:
            raise services._RowRefused(row.messages(limit=services._row_limit()))
        enterprise = record.enterprise = services._enterprise_for(row, scope)
        if enterprise.pk in planned:  # the import will have submitted the enterprise's earlier row by then
            raise services._RowRefused([services.already_reported_line(period, SubmissionStatus.PENDING.label, row)])
        existing, result = services._row_plan(report_type=report_type, version=version, period=period, row=row,
                                              enterprise=enterprise, validate=validate)
    except services._RowRefused as exc:
        record.outcome, record.messages = PrecheckOutcome.REFUSED, exc.messages
        return record
    planned.add(enterprise.pk)
    if existing is not None:
        record.outcome = PrecheckOutcome.OVERWRITE
        record.saved_status, record.saved_at = existing.get_status_display(), existing.updated_at
        line = _("would overwrite the saved report (%(status)s) and submit it") % {"status": record.saved_status}
    else:
        line = _("would be imported and submitted")
    if result is not None and result.is_anomalous:
        line += "; " + _("data anomaly: %(issues)s") % {
            "issues": "；".join(i.message for i in result.issues if i.severity != "error")}
    record.messages = [services._line(line, row)]
    return record


def _mark_wizard_drafts(precheck: ImportPrecheck) -> None:
    """One query: which rows' enterprises have wizard work (草稿) for the month that the import would overtake."""
    keys = {wizard_draft_key(report_draft_key(precheck.report_type, row.enterprise, precheck.period)): row
            for row in precheck.rows if row.enterprise is not None and row.outcome != PrecheckOutcome.REFUSED}
    for key in WizardDraft.objects.filter(key__in=list(keys)).values_list("key", flat=True):
        keys[key].has_wizard_draft = True
