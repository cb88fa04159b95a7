"""数据查询 pages in the Wagtail admin: one listing view renders any of the ten queries on Wagtail's
listing UI (`listing.QueryListingView`: filter drawer, table, pagination, 导出), one answers its export,
one sends a 催报 SMS from a row of 未报送企业查询.

The rows are read on settings.QUERY_DATABASE (`config.routers`).
Scope: `analytics_scope` (PermissionDenied → 403 for non-administrators); the query classes and
their selectors filter everything by it.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.routers import heavy_reads
from enterprises.models import Enterprise
from exports.views import export_response
from reporting.periods import period_current, period_parse

from .listing import QueryListingView, query_for  # noqa: F401 (QueryListingView: admin_urls)
from .selectors import analytics_report_type, analytics_report_types, analytics_scope, reporting_progress


def _query(request, key, *, export=False):
    return query_for(request, key, export=export)


def query_export(request, key):
    query = _query(request, key, export=True)
    back = f"{reverse('analytics:query', args=[key])}?{request.GET.urlencode()}"
    if not query.valid:
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(back)
    if query.unavailable():
        messages.error(request, query.unavailable())
        return redirect(back)
    return export_response(request, kind=f"analytics.{key}", params=query.params(), back=back)


@require_POST
def remind(request):
    """催报 one enterprise from 未报送企业查询 (the reminders app's single-reminder service)."""
    from reminders import services as reminders

    scope = analytics_scope(request.user)
    report_type = analytics_report_type(types=analytics_report_types(scope=scope), key=request.POST.get("type"))
    period = period_parse(request.POST.get("month", ""))
    enterprise = (Enterprise.objects.filter(scope.region_q("region_code")).select_related("region", "user", "filler")
                  .filter(pk=request.POST.get("enterprise") or 0).first())
    if enterprise is None or period is None or report_type is None:
        raise Http404
    try:
        delivery = reminders.reminder_send(actor=request.user, enterprise=enterprise, report_type=report_type,
                                           period=period)
    except (PermissionDenied, reminders.ReminderRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("You may not do this."))
    else:
        messages.success(request, _("Reminder sent to %(name)s (%(mobile)s).") % {
            "name": enterprise.name, "mobile": delivery.mobile})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("analytics:query", args=["unfiled"])
    return redirect(target)


def progress_page(request):
    """报送进度: reporting progress of the child regions of a region in the scope, as a map (or bars where
    no geometry ships) beside a table; a region's link or shape opens its children."""
    scope = analytics_scope(request.user)
    types = analytics_report_types(scope=scope)
    report_type = analytics_report_type(types=types, key=request.GET.get("type"))
    if report_type is None:
        raise Http404
    period = period_parse(request.GET.get("month", "")) or period_current(report_type)
    with heavy_reads():
        progress = reporting_progress(scope=scope, report_type=report_type, period=period,
                                      region_code=request.GET.get("region", ""))
    base = f"{reverse('analytics:progress')}?type={report_type.key}&month={period:%Y-%m}&region="
    rows = [{"code": r.code, "name": r.name, "registered": r.registered, "reported": r.reported,
             "approved": r.approved, "reported_share": r.reported_share, "approved_share": r.approved_share,
             "url": base + r.code if r.drillable else ""} for r in progress.rows]
    title = _("Reporting progress")
    return TemplateResponse(request, "analytics/admin/progress.html", {
        "progress": progress, "report_type": report_type, "report_types": types, "period": period, "rows": rows,
        "base": base, "header_title": title, "page_title": title, "header_icon": "site",
        "chart": {"geo": f"{progress.geo_code}.json" if progress.geo_code else "", "rows": rows,
                  "labels": {"reported": _("Share reported"), "approved": _("Share approved"),
                             "registered": _("Monitored enterprises")}},
        "breadcrumbs_items": [{"url": reverse("wagtailadmin_home"), "label": _("Home")},
                              {"url": "", "label": _("Data queries")}, {"url": "", "label": title}],
    })
