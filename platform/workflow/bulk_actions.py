"""Batch actions of 企业上报数据审核 as Wagtail bulk actions on the ticked reports: 批量接收 and 批量退回.

Wagtail's listing checkboxes (on the rows that have a report) and footer choose the reports; these views
scope the chosen ids through `selectors.review_submissions_chosen` (an id outside the reviewer's region
changes nothing), call one service that moves each report on its own, and report what moved and, by
name, what did not and why. The whole month is 一键接收 / 越级接收 (header buttons), not "select all".
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _, gettext_lazy, ngettext_lazy

from accounts.listing import ScopedBulkAction
from reporting.models import Submission
from reporting.selectors import submission_status_label

from . import selectors, services
from .forms import ReturnForm
from .transitions import TransitionRefused


def _refused_details(outcome: services.BulkOutcome) -> str:
    return "；".join(f"{s.enterprise.name} {s.period_key}: {why}" for s, why in outcome.refused[:20])


class SubmissionBulkAction(ScopedBulkAction):
    """`perform` moves each report on its own (a services.BulkOutcome); `report` names what moved and what did not."""

    models = [Submission]
    template_name = "workflow/admin/bulk_confirm.html"
    header_icon = "tasks"
    page_subtitle = gettext_lazy("Report data review")
    stylesheet = "workflow/review.css"
    refusals = (TransitionRefused, PermissionDenied)
    confirm_testid = ""

    def dispatch(self, request, *args, **kwargs):
        selectors.review_scope(request.user)  # PermissionDenied for anyone but a report reviewer
        self.chosen = selectors.review_submissions_chosen(user=request.user, ids=request.GET.getlist("id"))
        if not self.chosen:
            messages.error(request, _("Tick the reports first."))
            return redirect(self.next_url)
        return super().dispatch(request, *args, **kwargs)

    def get_actionable_objects(self):
        return self.chosen, {"items_with_no_access": []}

    def object_context(self, obj):
        return {"item": obj, "status_label": submission_status_label(obj)}

    moved_message = refused_message = None  # ngettext_lazy on "count" (and "details": who was left and why)
    report_nothing_moved = False

    def report(self, outcome: services.BulkOutcome) -> None:
        """How many moved, and by name those that did not and why (each report moves on its own)."""
        if outcome.moved or self.report_nothing_moved:
            messages.success(self.request, self.moved_message % {"count": len(outcome.moved)})
        if outcome.refused:
            messages.warning(self.request, self.refused_message % {"count": len(outcome.refused),
                                                                  "details": _refused_details(outcome)})

    def get_context_data(self, **kwargs):
        asked = {i for i in self.request.GET.getlist("id") if i.isdigit()}
        return {**super().get_context_data(**kwargs), "outside": len(asked) - len(self.chosen),
                "confirm_testid": self.confirm_testid}


class ReceiveBulkAction(SubmissionBulkAction):
    """批量接收: each ticked report through `submission_receive`; one with a data anomaly is received one by one."""

    display_name = gettext_lazy("Receive")
    action_type = "receive"
    aria_label = gettext_lazy("Receive the selected reports")
    help_text = gettext_lazy("Each report you hold goes to the next level. A report with a data anomaly, or one "
                             "that changed meanwhile, is left as it is and named.")
    confirm_testid = "confirm-bulk-receive"
    action_priority = 10

    def perform(self, objects, form):
        return services.submissions_receive(actor=self.request.user, submission_ids=[s.pk for s in objects])

    moved_message = ngettext_lazy("%(count)d report received.", "%(count)d reports received.", "count")
    refused_message = ngettext_lazy("%(count)d report was not received: %(details)s",
                                    "%(count)d reports were not received: %(details)s", "count")
    report_nothing_moved = True  # "0 reports received." beside the reports named as not received


class ReturnBulkAction(SubmissionBulkAction):
    """批量退回: the ticked reports with one reason, each through `submission_return` (services.submissions_return)."""

    display_name = gettext_lazy("Return")
    action_type = "return"
    aria_label = gettext_lazy("Return the selected reports with one reason")
    help_text = gettext_lazy("The same reason goes to every report below; each is returned on its own, and a report "
                             "that changed meanwhile is left as it is and listed.")
    confirm_testid = "confirm-bulk-return"
    form_class = ReturnForm
    classes = {"no"}
    action_priority = 20

    def perform(self, objects, form):
        return services.submissions_return(actor=self.request.user, submission_ids=[s.pk for s in objects],
                                           reason=form.cleaned_data["reason"])

    moved_message = ngettext_lazy("%(count)d report returned to its enterprise.",
                                  "%(count)d reports returned to their enterprises.", "count")
    refused_message = ngettext_lazy("%(count)d report was not returned: %(details)s",
                                    "%(count)d reports were not returned: %(details)s", "count")
