"""Reporting writes. One module per noun: submissions, information changes, facts."""
from .changes import (information_change_approve, information_change_check,  # noqa: F401
                      information_change_return, information_changes_settle)
from .facts import facts_rebuild, facts_write  # noqa: F401
from .submissions import ReportRefused, ReportStale, report_save, report_submit  # noqa: F401
