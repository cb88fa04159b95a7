"""The wizard's owner for a task's report: the engine fills the task's definition for the enterprise."""
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.owners import FormOwner
from formdefs.selectors import enterprise_initial_answers, version_compiled
from reporting.selectors import report_draft_key, report_rule_context, report_version

from .selectors import EnterpriseTask


class TaskReportOwner(FormOwner):
    """One task's report (the Submission of the task's report type and period) for one enterprise."""

    def __init__(self, *, user, enterprise, row: EnterpriseTask):
        super().__init__(user=user)
        self.enterprise, self.row, self.task = enterprise, row, row.task
        self.period = None  # the title carries the period (a quarter or a year is not a month)

    def get_version(self):
        return report_version(self.task.report_type, self.row.submission)

    def draft_key(self):
        # The report's key, not the task's: a provincial and a municipal task of a period share the report.
        return report_draft_key(self.task.report_type, self.enterprise, self.task.period)

    def title(self):
        return f"{self.task.title}（{self.row.period_label}）"

    def check_permission(self):
        if not enterprise_can_fill(self.user, self.enterprise):
            raise PermissionDenied(_("Only the enterprise's filler can fill in its reports."))
        if not self.row.can_fill:
            raise PermissionDenied(_("This task cannot be filled now: it is closed or its report was submitted."))

    def rule_context(self):
        return report_rule_context(report_type=self.task.report_type, enterprise=self.enterprise, period=self.task.period)

    def initial_answers(self):
        if self.row.submission is not None:
            return self.row.submission.answers
        ids = {f["id"] for f in version_compiled(self.get_version()).index.fields}
        return {k: v for k, v in enterprise_initial_answers(self.enterprise).items() if k in ids}

    def submit(self, *, answers, result, explanation, actor):
        from .services import filing_report_save

        filing_report_save(task=self.task, enterprise=self.enterprise, answers=answers, actor=actor,
                           version=self.get_version())
        return reverse("filing:submit", args=[self.task.pk])
