"""Excel for the enterprise: the report template, 上报导入 (all or nothing) and the detail export.

The Excel work itself is generic and lives in `formdefs.excel`; this module binds it to reports.
"""
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from formdefs import excel
from formdefs.selectors import enterprise_initial_answers, version_compiled
from reporting.enums import EDITABLE, EntryMethod

from .models import ReportType, Submission
from .periods import period_key, period_label
from .selectors import (report_fill_answers, report_rule_context, report_version, submission_find,
                        submission_level_label, submission_status_label)
from .services import ReportRefused, report_save


class ImportRefused(Exception):
    """The file was not imported; `errors` name the sheet, row and column (or the file) and why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def report_template(report_type: ReportType, *, enterprise=None, period=None, user=None, lang=None) -> tuple[bytes, str]:
    """The Excel template of a report; with `enterprise` and `period`, the template of that enterprise's month.

    Made for an enterprise's month, it is the wizard in a workbook: the rows that do not apply there
    (industrial-only rows, quarterly rows outside quarter months) are greyed and read 不适用, the
    sheets name the month and the enterprise (the import checks both), and a 基本信息 sheet holds
    what the registration data does not give (专精特新, 上年营业收入…), prefilled as the wizard
    prefills it for `user` (the report, else the last approved report, and the user's wizard draft).
    """
    if enterprise is None or period is None:
        version = report_version(report_type)
        return excel.template_build(version=version, lang=lang), f"{report_type.key}-v{version.number}.xlsx"
    submission = submission_find(report_type=report_type, enterprise=enterprise, period=period)
    version = report_version(report_type, submission)
    context = report_rule_context(report_type=report_type, enterprise=enterprise, period=period)
    answers = report_fill_answers(report_type=report_type, enterprise=enterprise, period=period, user=user,
                                  submission=submission)
    with translation.override(lang) if lang else nullcontext():
        target = _template_target(report_type, enterprise, period)
    content = excel.template_build(version=version, lang=lang, context=context, answers=answers, target=target,
                                   fields=_template_fields(version, enterprise, answers, context))
    return content, f"{report_type.key}-{period_key(period)}-v{version.number}.xlsx"


def _template_target(report_type, enterprise, period) -> excel.TemplateTarget:
    return excel.TemplateTarget(period=period_key(period), period_label=period_label(report_type.frequency, period),
                                subject=enterprise.credit_code, subject_label=enterprise.name)


def _template_fields(version, enterprise, answers: dict, context) -> list:
    """The single answers the enterprise's template holds: those the wizard asks that the registration data
    does not give (是否省级“专精特新”中小企业, 上年营业收入…) and that apply; the template keeps the ones a cell can hold."""
    compiled = version_compiled(version)
    registered = enterprise_initial_answers(enterprise)
    hidden = compiled.hidden_nodes(answers, context)
    return [f["id"] for f in compiled.index.fields if f["id"] not in registered and f["id"] not in hidden]


@dataclass
class ImportCheck:
    """What 上报导入 would keep from a file (its 预检): the answers, and the saved report they would replace."""

    version: object
    answers: dict
    submission: Submission | None  # the saved report (编辑, 退回, 解除冻结) the import would overwrite
    warnings: list = field(default_factory=list)  # the checks' warnings, as the report's page will show them


def report_import_check(*, report_type: ReportType, enterprise, period, file, actor) -> ImportCheck:
    """Read and check the filled template as `report_import` does, saving nothing (上报导入's 预检).
    Raises `ImportRefused` with every problem by sheet, row and column.

    The answers outside the file start where the wizard starts for `actor` (`report_fill_answers`:
    the report, else 基本信息 from the registration data and the last approved report, with the
    actor's wizard draft over them); the file's own cells always win.
    """
    submission = submission_find(report_type=report_type, enterprise=enterprise, period=period)
    if submission is not None and submission.status not in EDITABLE:
        raise ImportRefused([_("This report is %(status)s and cannot be changed.") % {
            "status": submission.get_status_display()}])
    version = report_version(report_type, submission)
    context = report_rule_context(report_type=report_type, enterprise=enterprise, period=period)
    base = report_fill_answers(report_type=report_type, enterprise=enterprise, period=period, user=actor,
                               submission=submission)
    try:
        # workbook_read checks the upload first, with limits sized to this template (`excel.template_limits`).
        result = excel.workbook_read(file=file, version=version, context=context, base_answers=base,
                                     target=_template_target(report_type, enterprise, period))
    except excel.ExcelRefused as exc:
        raise ImportRefused([str(exc)])
    if result.errors:
        raise ImportRefused([str(error) for error in result.errors])
    warnings = [issue.message for issue in (result.result.issues if result.result else []) if issue.severity != "error"]
    # Keep what the wizard keeps: hidden answers dropped, computed ones filled.
    return ImportCheck(version=version, answers=result.result.answers, submission=submission, warnings=warnings)


def report_import(*, report_type: ReportType, enterprise, period, file, filler_name: str, actor,
                  check_window: bool = True) -> Submission:
    """Read the filled template and keep the report (编辑, entry method 导入); nothing changes on any error.
    `check_window=False`: the caller decided the period may be filled (a filing task's import).
    The file is read and checked by `report_import_check`."""
    checked = report_import_check(report_type=report_type, enterprise=enterprise, period=period, file=file,
                                  actor=actor)
    submission = checked.submission
    try:
        with transaction.atomic():
            return report_save(report_type=report_type, enterprise=enterprise, period=period, answers=checked.answers,
                               actor=actor, filler_name=filler_name, entry_method=EntryMethod.IMPORT,
                               version=checked.version, explanation=submission.explanation if submission else "",
                               check_window=check_window)
    except ReportRefused as exc:
        raise ImportRefused(exc.messages)


def submission_export(submission: Submission) -> bytes:
    enterprise = submission.enterprise
    meta = {
        _("Report"): submission.report_type.localized_title,
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


__all__ = ["ImportCheck", "ImportRefused", "report_import", "report_import_check", "report_template", "submission_export"]
