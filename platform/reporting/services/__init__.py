"""Reporting writes. One module per noun: submissions, information changes, facts."""
from .changes import information_change_check, information_changes_settle  # noqa: F401
from .facts import facts_rebuild, facts_write  # noqa: F401
from .submissions import ReportRefused, report_save, report_submit  # noqa: F401
