"""Back-office (Wagtail admin) integration of the review workflow: URLs, the 报表审核 menu and the
administrator home panel (per-region counts of a month)."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from accounts.selectors import admin_scope_of
from reporting.periods import month_add, period_current, period_parse
from reporting.selectors import report_types_filed

from . import admin_urls, selectors
from .bulk_actions import ReceiveBulkAction, ReturnBulkAction


@hooks.register("register_admin_urls")
def review_urls():
    return [path("review/", include(admin_urls, namespace="workflow_review"))]


# 批量接收 / 批量退回 of the review list's ticked reports.
hooks.register("register_bulk_action", ReceiveBulkAction)
hooks.register("register_bulk_action", ReturnBulkAction)


def _is_reviewer(request) -> bool:
    # Asked once per menu item: keep the answer for the request.
    if not hasattr(request, "_workflow_is_reviewer"):
        profile = admin_scope_of(request).profile
        request._workflow_is_reviewer = profile is not None and profile.can_review_report
    return request._workflow_is_reviewer


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_reviewer(request)


class ReviewSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _is_reviewer(request)


@hooks.register("register_admin_menu_item")
def review_menu():
    """报表审核: 企业上报数据审核, 企业信息变更."""
    items = [
        ReviewMenuItem(_("Report data review"), reverse("workflow_review:list"), name="review-list",
                       icon_name="tasks", order=100),
        ReviewMenuItem(_("Information changes"), reverse("workflow_review:changes"), name="review-changes",
                       icon_name="edit", order=200),
        ReviewMenuItem(_("Operation log"), reverse("workflow_review:audit"), name="review-audit",
                       icon_name="history", order=300),
    ]
    return ReviewSubmenu(_("Report reviews"), Menu(items=items), name="review", icon_name="tasks", order=150)


class ReviewHomePanel(Component):
    """Administrator home: for a chosen month, per child region, the enterprises registered, reported,
    approved, pending, returned and not filled (SPEC §6 mobile home, §8 home)."""

    name = "workflow_home_summary"
    order = 5  # first on the home page: what a reviewer checks on a phone
    template_name = "workflow/admin/home_panel.html"

    def __init__(self, request, report_types):
        self.request, self.report_types = request, report_types
        # `?type=` chooses among the types enterprises file directly; by default the first.
        self.report_type = next((t for t in report_types if t.key == request.GET.get("type")), report_types[0])

    def get_context_data(self, parent_context=None):
        period = period_parse(self.request.GET.get("month", "")) or period_current(self.report_type)
        summary = selectors.home_summary(user=self.request.user, report_type=self.report_type, period=period)
        return {"summary": summary, "period": period, "report_type": self.report_type,
                "report_types": self.report_types,
                "previous_period": month_add(period, -1), "next_period": month_add(period, 1)}


@hooks.register("construct_homepage_panels")
def add_review_home_panel(request, panels):
    if admin_scope_of(request).is_empty:
        return
    report_types = list(report_types_filed())
    if report_types:
        panels.append(ReviewHomePanel(request, report_types))
