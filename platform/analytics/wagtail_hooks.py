"""Back-office (Wagtail admin) integration of the standard queries: URLs, the 数据查询 menu with its
ten queries and 我的导出, and the administrator home's charts panel."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from accounts.selectors import admin_scope_of
from config.routers import heavy_reads
from reporting.periods import period_current, period_parse

from . import admin_urls
from .definition import report_analytics
from .indicators import indicators
from .queries import QUERIES
from .selectors import analytics_report_type, analytics_report_types


@hooks.register("register_admin_urls")
def analytics_urls():
    return [path("analytics/", include(admin_urls, namespace="analytics"))]


def _is_administrator(request) -> bool:
    if not hasattr(request, "_analytics_is_admin"):
        request._analytics_is_admin = not admin_scope_of(request).is_empty
    return request._analytics_is_admin


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_administrator(request)


class AdministratorSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _is_administrator(request)


@hooks.register("register_admin_menu_item")
def analytics_menu():
    """数据查询: the ten standard queries (SPEC §8) and the administrator's own exports."""
    items = [AdministratorMenuItem(cls.title, reverse("analytics:query", args=[key]), name=f"analytics-{key}",
                                   icon_name="table", order=10 * index)
             for index, (key, cls) in enumerate(QUERIES.items(), 1)]
    items.insert(0, AdministratorMenuItem(_("Reporting progress"), reverse("analytics:progress"),
                                          name="analytics-progress", icon_name="site", order=5))
    items.append(AdministratorMenuItem(_("My exports"), reverse("exports:list"), name="exports", icon_name="download",
                                       order=1000))
    return AdministratorSubmenu(_("Data queries"), Menu(items=items), name="analytics", icon_name="table", order=250)


class ChartsHomePanel(Component):
    """Administrator home: approved vs reported reports per region for the month, and a 13-month
    trend of a chosen indicator (ECharts)."""

    name = "analytics_home_charts"
    order = 20
    template_name = "analytics/admin/home_charts.html"

    def __init__(self, request, report_type):
        self.request, self.report_type = request, report_type

    def get_context_data(self, parent_context=None):
        from workflow.selectors import home_summary

        from .selectors import analytics_scope, indicator_trend_comparable

        period = period_parse(self.request.GET.get("month", "")) or period_current(self.report_type)
        analytics = report_analytics(self.report_type)
        choices = indicators(analytics)
        defaults = analytics.default_indicators("summary") if analytics is not None else []
        chosen = self.request.GET.get("trend") or (defaults[0] if defaults else "")
        indicator = next((i for i in choices if i.id == chosen), choices[0] if choices else None)
        scope = analytics_scope(self.request.user)
        with heavy_reads():
            summary = home_summary(user=self.request.user, report_type=self.report_type, period=period)
            trend, same = indicator_trend_comparable(scope=scope, report_type=self.report_type, period=period,
                                                     indicator=indicator.id) if indicator else ([], 0)
        return {
            "period": period, "indicators": choices, "indicator": indicator,
            "bars": {"regions": [r.name for r in summary.rows], "reported": [r.reported for r in summary.rows],
                     "approved": [r.approved for r in summary.rows],
                     "labels": {"reported": str(_("Reported")), "approved": str(_("Approved"))}},
            "trend": {"months": [m for m, _v in trend], "values": [v for _m, v in trend],
                      "name": indicator.heading if indicator else ""},
            "trend_basis": _("Summed over the same %(n)d enterprises in every month shown.") % {"n": same},
        }


@hooks.register("construct_homepage_panels")
def add_charts_panel(request, panels):
    """The charts of the first report type with indicators (else the first active one)."""
    scope = admin_scope_of(request)
    if scope.is_empty:
        return
    report_type = (analytics_report_type(types=analytics_report_types(scope=scope, indicators=True))
                   or analytics_report_type(types=analytics_report_types(scope=scope)))
    if report_type is None:
        return
    panels.append(ChartsHomePanel(request, report_type))
