"""The wizard's owner for a task's report: the engine fills the task's definition for the enterprise."""
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.engine.localize import with_addition
from formdefs.owners import FormOwner
from formdefs.services import FormStale, SubmissionBlocked
from formdefs.selectors import enterprise_initial_answers, version_compiled
from reporting.selectors import report_draft_key, report_rule_context, report_version

from .selectors import EnterpriseTask


class TaskReportOwner(FormOwner):
    """One task's report (the Submission of the task's report type and period) for one enterprise.

    Every valid step is saved into the report as it is left (`save_progress`), so the 上报 page
    (`views.submit`) submits what the enterprise last saw; the wizard's last step saves and leads there.
    Saves carry the report's revision the page was loaded with: a stale one is refused (FormStale).
    """

    saves_progress = True
    submits_on_finish = False

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
        return with_addition(self.task.title, self.row.period_label)

    def check_permission(self):
        if not enterprise_can_fill(self.user, self.enterprise):
            raise PermissionDenied(_("Only the enterprise's filler can fill in its reports."))
        if not self.row.can_fill:
            raise PermissionDenied(_("This task cannot be filled now: it is closed or its report was submitted."))

    def revision(self):
        return self.row.submission.revision if self.row.submission is not None else 0

    def initial_explanation(self):
        return self.row.submission.explanation if self.row.submission is not None else ""

    def rule_context(self):
        return report_rule_context(report_type=self.task.report_type, enterprise=self.enterprise, period=self.task.period)

    def grid_carry(self):
        # 带入上期 from the enterprise's approved reports of the task's report type, as the monthly report's
        # wizard does (reporting.owners.ReportOwner.grid_carry; one query, asked once per request).
        if getattr(self, "_carry", None) is None:
            from reporting.carry import grid_carry_for

            self._carry = grid_carry_for(enterprise=self.enterprise, report_type=self.task.report_type,
                                         period=self.task.period, version=self.get_version())
        return self._carry

    def grid_trends(self):
        from reporting.carry import indicator_trends

        return indicator_trends(enterprise=self.enterprise, report_type=self.task.report_type,
                                period=self.task.period, version=self.get_version())

    def initial_answers(self):
        if self.row.submission is not None:
            return self.row.submission.answers
        ids = {f["id"] for f in version_compiled(self.get_version()).index.fields}
        return {k: v for k, v in enterprise_initial_answers(self.enterprise).items() if k in ids}

    def _save(self, *, answers, actor, wizard_progress: bool):
        from .services import FilingRefused, FilingStale, filing_report_save

        try:
            submission = filing_report_save(task=self.task, enterprise=self.enterprise, answers=answers, actor=actor,
                                            version=self.get_version(), expected_revision=self.expected_revision,
                                            wizard_progress=wizard_progress)
        except FilingStale as exc:
            raise FormStale(exc.revision)
        except FilingRefused as exc:
            raise SubmissionBlocked(exc.messages)
        self.row.submission = submission
        if self.expected_revision is not None:
            self.expected_revision = submission.revision  # a second save in the same request

    def save_progress(self, *, answers, explanation, actor):
        # The task's wizard asks for no filler's note (the 上报 page takes one per severe warning).
        self._save(answers=answers, actor=actor, wizard_progress=True)

    def submit(self, *, answers, result, explanation, actor):
        self._save(answers=answers, actor=actor, wizard_progress=False)
        return reverse("filing:submit", args=[self.task.pk])
