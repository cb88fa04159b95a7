"""Reporting writes. One module per noun: submissions, information changes, facts."""
from .changes import information_change_check, information_changes_settle  # noqa: F401
from .facts import facts_rebuild, facts_write  # noqa: F401
from .submissions import ReportRefused, ReportStale, report_save, report_submit  # noqa: F401
