"""Excel for the enterprise: the report template, 上报导入 (all or nothing) and the detail export.

The Excel work itself is generic and lives in `formdefs.excel`; this module binds it to reports.
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from formdefs import excel
from formdefs.selectors import enterprise_initial_answers
from workflow.enums import EntryMethod

from .models import ReportType, Submission
from .selectors import (approved_answers_latest, report_rule_context, report_version, submission_find,
                        submission_level_label, submission_status_label)
from .services import ReportRefused, report_save


class ImportRefused(Exception):
    """The file was not imported; `errors` name the sheet, row and column (or the file) and why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def report_template(report_type: ReportType, *, lang=None) -> tuple[bytes, str]:
    version = report_version(report_type)
    return excel.template_build(version=version, lang=lang), f"{report_type.key}-v{version.number}.xlsx"


def _base_answers(report_type, enterprise, period, submission) -> dict:
    if submission is not None:
        return dict(submission.answers)
    answers = dict(approved_answers_latest(report_type=report_type, enterprise=enterprise, before=period) or {})
    answers.update(enterprise_initial_answers(enterprise))
    return answers


def report_import(*, report_type: ReportType, enterprise, period, file, filler_name: str, actor) -> Submission:
    """Read the filled template and keep the report (编辑, entry method 导入); nothing changes on any error."""
    submission = submission_find(report_type=report_type, enterprise=enterprise, period=period)
    version = report_version(report_type, submission)
    context = report_rule_context(report_type=report_type, enterprise=enterprise, period=period)
    try:
        excel.upload_check(file)
        result = excel.workbook_read(file=file, version=version, context=context,
                                     base_answers=_base_answers(report_type, enterprise, period, submission))
    except excel.ExcelRefused as exc:
        raise ImportRefused([str(exc)])
    if result.errors:
        raise ImportRefused([str(error) for error in result.errors])
    # Keep what the wizard keeps: hidden answers dropped, computed ones filled.
    answers = result.result.answers
    try:
        with transaction.atomic():
            return report_save(report_type=report_type, enterprise=enterprise, period=period, answers=answers,
                               actor=actor, filler_name=filler_name, entry_method=EntryMethod.IMPORT, version=version,
                               explanation=submission.explanation if submission else "")
    except ReportRefused as exc:
        raise ImportRefused(exc.messages)


def submission_export(submission: Submission) -> bytes:
    enterprise = submission.enterprise
    meta = {
        _("Report"): submission.report_type.title,
        _("Enterprise"): enterprise.name,
        _("Unified social credit code"): enterprise.credit_code,
        _("Period"): f"{submission.period:%Y-%m}",
        _("Status"): " ".join(filter(None, [submission_status_label(submission), submission_level_label(submission)])),
        _("Screening"): submission.get_screening_display(),
        _("Entry method"): submission.get_entry_method_display(),
        _("Filled in by"): submission.filler_name,
        _("Submitted at"): f"{timezone.localtime(submission.submitted_at):%Y-%m-%d %H:%M}" if submission.submitted_at else "",
    }
    return excel.answers_export(version=submission.version, answers=submission.answers, issues=submission.issues,
                                explanation=submission.explanation, meta=meta)


__all__ = ["ImportRefused", "report_import", "report_template", "submission_export"]
