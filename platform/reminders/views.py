"""催报 pages in the Wagtail admin: the month's non-reporters, send one or all, a run's progress."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import admin_scope
from enterprises.models import Enterprise
from ops.task_views import TaskProgress
from reporting.periods import month_add, period_current, period_parse, periods_between
from reporting.selectors import report_types_filed

from . import selectors, services
from .models import ReminderRun

PAGE_SIZE = 50
PERIOD_CHOICES = 24
# Reloads once the run ends, to show every result row.
PROGRESS = TaskProgress(template="reminders/admin/_run_progress.html", url_name="reminders:run_progress", name="run",
                        reload_when_finished=True)


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon="mail")
    return TemplateResponse(request, template, context)


def _setup(request, source):
    """The administrator's scope, the report types, the one chosen (`type`, by default the first) and the
    chosen period (default: its current one; a month that is not one of its periods falls back to it)."""
    scope = admin_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied
    report_types = list(report_types_filed())
    report_type = next((t for t in report_types if t.key == source.get("type")), report_types[0] if report_types else None)
    if report_type is None:
        raise Http404(_("No report type is active."))
    current = period_current(report_type)
    period = period_parse(source.get("period", ""), report_type.frequency) or current
    return scope, report_types, report_type, min(period, current), current


def _index_url(report_type, period, search: str = "") -> str:
    query = {"type": report_type.key, "period": f"{period:%Y-%m}"} | ({"q": search} if search else {})
    return f"{reverse('reminders:index')}?{urlencode(query)}"


def index(request):
    scope, report_types, report_type, period, current = _setup(request, request.GET)
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.non_reporters(scope=scope, report_type=report_type, period=period, search=search),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"enterprise": e, "status": selectors.report_status_label(e.report_status),
             "mobile": selectors.enterprise_reminder_mobile(e), "last_reminded": e.last_reminded}
            for e in page.object_list]
    return _render(request, "reminders/admin/index.html", title=_("Reminders"),
                   report_type=report_type, report_types=report_types, period=period, search=search, page=page, rows=rows,
                   periods=periods_between(report_type, month_add(current, 1 - PERIOD_CHOICES), current),
                   can_remind=scope.profile.can_sms_remind,
                   runs=selectors.reminder_runs_for(request.user).filter(report_type=report_type, period=period)[:10])


@require_POST
def send_one(request):
    scope, _types, report_type, period, _current = _setup(request, request.POST)
    enterprise = get_object_or_404(Enterprise.objects.select_related("region", "user", "filler"),
                                   pk=request.POST.get("enterprise") or 0)
    try:
        delivery = services.reminder_send(actor=request.user, enterprise=enterprise, report_type=report_type, period=period)
    except (PermissionDenied, services.ReminderRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("You may not do this."))
    else:
        messages.success(request, _("Reminder sent to %(name)s (%(mobile)s).") % {
            "name": enterprise.name, "mobile": delivery.mobile})
    return redirect(_index_url(report_type, period, request.POST.get("q", "")))


def send_all(request):
    """一键催报: GET (or a POST without the confirmation) shows what would be sent, the SMS exactly as it
    goes out, the count and the period, and asks; only the confirmed POST starts the run."""
    source = request.POST if request.method == "POST" else request.GET
    _scope, _types, report_type, period, _current = _setup(request, source)
    if request.method != "POST" or source.get("confirmed") != "1":
        return _send_all_preview(request, report_type, period)
    try:
        run = services.reminder_run_start(actor=request.user, report_type=report_type, period=period)
    except (PermissionDenied, services.ReminderRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("You may not do this."))
        return redirect(_index_url(report_type, period))
    return redirect("reminders:run", run.pk)


def _send_all_preview(request, report_type, period):
    try:
        preview = services.reminder_run_preview(actor=request.user, report_type=report_type, period=period)
    except (PermissionDenied, services.ReminderRefused) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc) or _("You may not do this."))
        return redirect(_index_url(report_type, period))
    return _render(request, "reminders/admin/send_all_confirm.html", title=_("Remind all non-reporters"),
                   crumbs=[{"url": _index_url(report_type, period), "label": _("Reminders")}], preview=preview,
                   report_type=report_type, period=period, cancel_url=_index_url(report_type, period))


def _run(request, run_id) -> ReminderRun:
    try:
        return selectors.reminder_run_get(user=request.user, pk=run_id)
    except ReminderRun.DoesNotExist:
        raise Http404


def run_detail(request, run_id):
    run = _run(request, run_id)
    page = Paginator(selectors.run_deliveries(run), 100).get_page(request.GET.get("page"))
    return _render(request, "reminders/admin/run.html", title=_("Reminder to all non-reporters of %(period)s") % {
        "period": f"{run.period:%Y-%m}"}, crumbs=[{"url": _index_url(run.report_type, run.period), "label": _("Reminders")}],
        run=run, page=page, **PROGRESS.context(run))


def run_progress(request, run_id):
    """The progress block, polled by htmx while the run is queued or running."""
    return PROGRESS.response(request, _run(request, run_id))
