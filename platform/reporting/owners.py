"""The report wizard's owner: the engine fills a period's report for the current enterprise."""
import dataclasses
import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.owners import FormOwner
from formdefs.services import FormStale, SubmissionBlocked
from reporting.enums import EDITABLE

from .models import ReportType
from .periods import period_is_open, period_label
from .selectors import report_draft_key, report_initial_answers, report_rule_context, report_version, submission_find
from .services import ReportRefused, ReportStale, report_save


class ReportOwner(FormOwner):
    """One period of one report type for one enterprise; the submission keeps its version.

    Every valid step is saved into the report as it is left (`save_progress`), so step 4 (调查问卷 and
    上报, `views.submit_page`) submits what the enterprise last saw; the wizard's last step saves and
    leads there, it does not submit.
    """

    saves_progress = True
    submits_on_finish = False

    def __init__(self, *, user, enterprise, report_type: ReportType, period: datetime.date):
        super().__init__(user=user)
        self.enterprise, self.report_type, self.period_date = enterprise, report_type, period
        self.period = (period.year, period.month)
        self.period_label = period_label(report_type.frequency, period)  # the wizard's heading shows it
        self.submission = submission_find(report_type=report_type, enterprise=enterprise, period=period)
        self._rule_context = None
        self._carry = None

    def get_version(self):
        return report_version(self.report_type, self.submission)

    def draft_key(self):
        return report_draft_key(self.report_type, self.enterprise, self.period_date)

    def title(self):
        return self.report_type.localized_title

    def check_permission(self):
        if not enterprise_can_fill(self.user, self.enterprise):
            raise PermissionDenied(_("Only the enterprise's filler can fill in its reports."))
        if not period_is_open(self.report_type, self.period_date):
            raise PermissionDenied(_("This period is not open for reporting."))
        if self.submission is not None and self.submission.status not in EDITABLE:
            raise PermissionDenied(_("This report is %(status)s and cannot be changed.") % {"status": self.submission.get_status_display()})

    def revision(self):
        return self.submission.revision if self.submission is not None else 0

    def rule_context(self):
        # Asked by the view and again by wizard_progress_save in one request; the previous period's and
        # last year's approved reports and the enterprise's profile do not change within it (4 queries).
        if self._rule_context is None:
            self._rule_context = report_rule_context(report_type=self.report_type, enterprise=self.enterprise,
                                                     period=self.period_date)
        return self._rule_context

    def grid_carry(self):
        # 带入上期 from the approved reports (one query, asked once per request).
        if self._carry is None:
            from .carry import grid_carry_for

            self._carry = grid_carry_for(enterprise=self.enterprise, report_type=self.report_type,
                                         period=self.period_date, version=self.get_version())
            # The cells the clerk cleared stay cleared across 上报 and 退回 (Submission.carry_cleared).
            kept = set(self.submission.carry_cleared) if self.submission is not None else set()
            self._carry = {path: dataclasses.replace(cell, cleared=True) if path in kept else cell
                           for path, cell in self._carry.items()}
        return self._carry

    def grid_trends(self):
        from .carry import indicator_trends

        return indicator_trends(enterprise=self.enterprise, report_type=self.report_type, period=self.period_date,
                                version=self.get_version())

    def initial_answers(self):
        return report_initial_answers(report_type=self.report_type, enterprise=self.enterprise,
                                      period=self.period_date, submission=self.submission)

    def initial_explanation(self):
        return self.submission.explanation if self.submission is not None else ""

    def finish_message(self):
        return _("Saved. Answer the questionnaires, then submit the report.")

    def later_steps(self):
        url = reverse("reporting:submit", args=[self.report_type.key, f"{self.period_date:%Y-%m}"]) if self.submission else None
        return [{"title": _("Questionnaires"), "url": url}]

    def save_progress(self, *, answers, explanation, actor):
        try:
            self.submission = report_save(
                report_type=self.report_type, enterprise=self.enterprise, period=self.period_date, answers=answers,
                explanation=self.initial_explanation() if explanation is None else explanation, actor=actor,
                version=self.get_version(), expected_revision=self.expected_revision, wizard_progress=True,
                carry_cleared=self.carry_cleared)
        except ReportStale as exc:
            raise FormStale(exc.revision)
        except ReportRefused as exc:
            raise SubmissionBlocked(exc.messages)
        if self.expected_revision is not None:
            self.expected_revision = self.submission.revision  # a second save in the same request

    def submit(self, *, answers, result, explanation, actor):
        try:
            report_save(report_type=self.report_type, enterprise=self.enterprise, period=self.period_date,
                        answers=answers, explanation=explanation, actor=actor, version=self.get_version(),
                        expected_revision=self.expected_revision, carry_cleared=self.carry_cleared)
        except ReportStale as exc:
            raise FormStale(exc.revision)
        except ReportRefused as exc:
            raise SubmissionBlocked(exc.messages)
        return reverse("reporting:submit", args=[self.report_type.key, f"{self.period_date:%Y-%m}"])

