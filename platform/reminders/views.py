"""催报 pages in the Wagtail admin: the month's non-reporters on Wagtail's listing UI, send one, the ticked ones
(bulk_actions.py) or all, a run's progress."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
import django_filters
from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _, gettext_lazy as _lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table, TitleColumn
from wagtail.admin.widgets.button import HeaderButton

from accounts.listing import AdministratorIndexView

from accounts.selectors import admin_scope
from enterprises.models import Enterprise
from enterprises.selectors import region_filter_choices
from ops.task_views import TaskProgress
from reporting.enums import Frequency
from reporting.periods import month_add, period_current, period_label, period_parse, periods_between
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


class NonReporterFilterSet(WagtailFilterSet):
    """报表, 月份 and 地区 of 催报's list (the search box: name, credit code or user ID). 报表 and 月份 choose
    the list itself (`selectors.non_reporters`, taken by the view from the same query string); 地区 narrows it."""

    type = django_filters.ChoiceFilter(label=_lazy("Report"), empty_label=None, method="chosen_by_the_view",
                                       widget=forms.Select(attrs={"data-testid": "report-type"}))
    period = django_filters.ChoiceFilter(label=_lazy("Month"), empty_label=None, method="chosen_by_the_view")
    region = django_filters.ChoiceFilter(label=_lazy("Region"), method="filter_region", empty_label=_lazy("All regions"))

    class Meta:
        model = Enterprise
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, report_types=(), report_type=None,
                 periods=()):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["type"].extra["choices"] = [(t.key, t.localized_title) for t in report_types]
        self.filters["period"].extra["choices"] = [
            (f"{p:%Y-%m}", f"{p:%Y-%m}" if report_type.frequency == Frequency.MONTHLY else period_label(report_type.frequency, p))
            for p in reversed(periods)]
        self.filters["region"].extra["choices"] = region_filter_choices(request.user) if request else []

    def chosen_by_the_view(self, queryset, name, value):
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_code__startswith=value) if value else queryset


#: Columns left out on a phone (static/css/task_base.css): the enterprise, status, mobile and 催报 stay.
HIDE = "tm-phone-hide"


class NonReporterTable(Table):
    """On a phone each row is a card (task_base.css tm-cards), its cells labelled by `LabelledColumn`
    (templates/backoffice/tables/labelled_cell.html, shared with the review list)."""

    classname = "listing tm-cards"

    def get_row_attrs(self, instance):
        return {**super().get_row_attrs(instance), "data-enterprise": instance.user.username}


class LabelledColumn(Column):
    cell_template_name = "backoffice/tables/labelled_cell.html"


class SendColumn(Column):
    """催报 on the row: a POST to reminders:send (the single-reminder service)."""

    cell_template_name = "reminders/admin/_send_cell.html"

    def __init__(self, view):
        super().__init__("send", label=_lazy("Actions"), accessor="pk")
        self.view = view

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        view = self.view
        context.update(enterprise=instance, report_type=view.report_type, period=view.period,
                       search=view.search_query, can_remind=view.can_remind)
        return context

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        return self.cell_template.render(context, request=context["request"])  # the form's {% csrf_token %}


class NonReporterIndexView(AdministratorIndexView):
    """催报: the month's non-reporters of the administrator's region on Wagtail's listing (filter drawer,
    search, pagination), 催报 per row, 一键催报 (preview, then confirm) and 催报 of the ticked ones (a Wagtail
    bulk action, `bulk_actions.RemindBulkAction`)."""

    model = Enterprise
    page_title = _lazy("Reminders")
    header_icon = "mail"
    template_name = "reminders/admin/index.html"
    results_template_name = "reminders/admin/index_results.html"
    index_url_name = "reminders:index"
    index_results_url_name = "reminders:index_results"
    filterset_class = NonReporterFilterSet
    search_fields = ["name", "credit_code", "user__username"]
    search_backend_name = None  # the ORM's icontains over search_fields
    is_searchable = True
    paginate_by = PAGE_SIZE
    default_ordering = ("region_code", "name")
    table_class = NonReporterTable

    def dispatch(self, request, *args, **kwargs):
        self.scope, self.report_types, self.report_type, self.period, self.current = _setup(request, request.GET)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_remind(self) -> bool:
        return bool(self.scope.profile.can_sms_remind)

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "report_types": self.report_types, "report_type": self.report_type,
                "periods": periods_between(self.report_type, month_add(self.current, 1 - PERIOD_CHOICES), self.current)}

    def get_base_queryset(self):
        return selectors.non_reporters(scope=self.scope, report_type=self.report_type, period=self.period)

    def get_valid_orderings(self):
        return ["name", "-name", "region_code", "-region_code", self.default_ordering]

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, {"url": "", "label": self.page_title}]

    @cached_property
    def total(self) -> int:
        """Every non-reporter of the type and month in the region: what 一键催报 takes."""
        return self.get_base_queryset().count()

    @cached_property
    def header_buttons(self):
        if not self.can_remind or not self.total:
            return []
        url = f"{reverse('reminders:send_all')}?{urlencode({'type': self.report_type.key, 'period': f'{self.period:%Y-%m}'})}"
        label = ngettext("Remind all %(n)s non-reporter", "Remind all %(n)s non-reporters", self.total) % {"n": self.total}
        return [HeaderButton(label, url=url, icon_name="mail", attrs={"data-testid": "send-all"})]

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "attrs": {"data-testid": "non-reporters"}}

    @cached_property
    def columns(self):
        columns = [BulkActionsCheckboxColumn("bulk_actions", obj_type="enterprise")] if self.can_remind else []
        return columns + [
            TitleColumn("name", label=_lazy("Enterprise"), sort_key="name",
                        get_title_id=lambda e: f"enterprise_{e.pk}_title"),
            LabelledColumn("credit_code", label=_lazy("Credit code"), classname=HIDE),
            LabelledColumn("region", label=_lazy("Region"), accessor="region.name", sort_key="region_code", classname=HIDE),
            LabelledColumn("status", label=_lazy("Status"), accessor=lambda e: selectors.report_status_label(e.report_status)),
            LabelledColumn("mobile", label=_lazy("Mobile"), accessor=lambda e: selectors.enterprise_reminder_mobile(e) or "—"),
            LabelledColumn("direct_reviewer", label=_lazy("Direct reviewer"), classname=HIDE,
                           accessor=lambda e: e.direct_reviewer.user.username if e.direct_reviewer_id else "—"),
            LabelledColumn("last_reminded", label=_lazy("Last reminded"),
                           accessor=lambda e: date_format(localtime(e.last_reminded), "Y-m-d H:i") if e.last_reminded else "—"),
            SendColumn(self),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report_type=self.report_type, period=self.period, can_remind=self.can_remind,
                       runs=selectors.reminder_runs_for(self.request.user).filter(
                           report_type=self.report_type, period=self.period)[:10])
        return context


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
