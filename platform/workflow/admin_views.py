"""Back-office (Wagtail admin) views of the review workflow: 企业上报数据审核, bulk receive,
企业信息变更 review. They parse input, call one selector or service, and render.

Scope and permission are decided by `workflow.selectors` (through `admin_scope`) and by the
services; PermissionDenied becomes a 403, an object outside the scope a 404.

The review list is a Wagtail generic IndexView whose rows are enterprises joined to one month's report
(未填报 is derived); its batch actions are Wagtail bulk actions on the ticked reports (bulk_actions.py).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table, TitleColumn
from wagtail.admin.widgets import HeaderButton

from accounts.listing import AdministratorIndexView
from enterprises.models import Enterprise
from reporting.carry import indicator_trends
from reporting.models import InformationChange, Submission
from reporting.periods import PERIOD_MONTHS, month_add, period_current, period_of, period_parse, period_previous
from reporting.presenters import answers_present
from reporting.services import changes as change_services
from reporting.selectors import submission_level_label, submission_status_label

from . import review_values, selectors, services
from .admin_filters import ReviewFilterSet
from .actions import available_actions
from .enums import Action
from .forms import AuditFilterForm, ChangeFilterForm, ReturnForm, ReviewFilterForm
from .transitions import TransitionRefused

PER_PAGE = 50


def _render(request, template, *, title, crumbs=(), icon="tasks", **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon=icon)
    return TemplateResponse(request, template, context)


def _list_crumb():
    return {"url": reverse("workflow_review:list"), "label": _("Report data review")}


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _refused(request, exc) -> None:
    messages.error(request, getattr(exc, "message", None) or str(exc) or _("You cannot do this."))


class _ReviewTable(Table):
    """Each row names its enterprise's credit code (`data-enterprise`), as tests and the browser find rows.
    On a phone each row is a card of labelled lines (static/css/task_base.css `tm-cards`)."""

    classname = "listing tm-cards"

    def get_row_attrs(self, instance):
        return {**super().get_row_attrs(instance), "data-enterprise": instance.enterprise.credit_code}


class _SelectColumn(BulkActionsCheckboxColumn):
    """Wagtail's bulk-action checkbox on the rows that have a report (its id is the report's)."""

    cell_template_name = "workflow/admin/review_cells/select.html"

    def get_aria_describedby(self, instance):
        return f"submission_{instance.submission.pk}_title" if instance.submission else ""


class _LabelledColumn(Column):
    """A plain cell that names its column on a phone card."""

    cell_template_name = "backoffice/tables/labelled_cell.html"


class _CellColumn(Column):
    def __init__(self, name, template, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = f"workflow/admin/review_cells/{template}.html"

    def get_cell_context_data(self, instance, parent_context):
        # A cell is rendered on its own context: its POST forms (接收) need the request's CSRF token.
        context = super().get_cell_context_data(instance, parent_context)
        if context.get("request") is not None:
            context["csrf_token"] = get_token(context["request"])
        return context


class ReviewIndexView(AdministratorIndexView):
    """企业上报数据审核: the month's monitored enterprises of my region with their reports (未填报 included).

    The rows are enterprises joined to one month's report (`selectors.review_enterprises_month`), filtered
    in Wagtail's drawer (`ReviewFilterSet`); each page of rows gets its reports and the actions the
    reviewer may take (`selectors.review_rows`). The ticked reports go to the bulk actions registered
    for reporting.Submission (bulk_actions.py); 一键接收 / 越级接收 are header buttons with a confirm dialog."""

    model = Enterprise
    page_title = gettext_lazy("Report data review")
    header_icon = "tasks"
    template_name = "workflow/admin/review_list.html"
    results_template_name = "workflow/admin/review_list_results.html"
    index_url_name = "workflow_review:list"
    index_results_url_name = "workflow_review:list_results"
    filterset_class = ReviewFilterSet
    table_class = _ReviewTable
    is_searchable = True
    search_kwarg = "q"
    default_ordering = None

    def dispatch(self, request, *args, **kwargs):
        self.scope = selectors.review_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_paginate_by(self, queryset):
        return PER_PAGE

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "scope": self.scope}

    @cached_property
    def report_type(self):
        return self.filters.chosen_report_type

    @cached_property
    def period(self):
        return self.filters.chosen_period

    def get_base_queryset(self):
        if self.report_type is None:
            return Enterprise.objects.none()
        return selectors.review_enterprises_month(scope=self.scope, report_type=self.report_type, period=self.period)

    def get_valid_orderings(self):
        return ["name", "-name", "region_code", "-region_code"]

    def filter_queryset(self, queryset):
        # Unlike Wagtail's default, an invalid value drops that filter only (the list falls back to "all").
        return self.filters.filter_queryset(queryset)

    def search_queryset(self, queryset):
        return selectors.review_enterprises_filter(queryset, query=self.search_query)

    @cached_property
    def back_url(self) -> str:
        """This list as the reviewer sees it (not the drawer's results URL): where row actions come back."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{query.urlencode()}" if query else self.index_url

    def _period_url(self, **changes) -> str:
        query = self.request.GET.copy()
        for key in ("_w_filter_fragment", self.page_kwarg):
            query.pop(key, None)
        for key, value in changes.items():
            query[key] = value
        return f"{self.index_url}?{query.urlencode()}"

    @cached_property
    def period_nav(self) -> dict:
        """上月 / 下月 (上期 / 下期) and the report types, kept visible above the rows."""
        report_type, period = self.report_type, self.period
        if report_type is None:
            return {}
        previous = period_previous(report_type.frequency, period)
        following = month_add(period_of(report_type.frequency, period), PERIOD_MONTHS[report_type.frequency])
        return {"previous_url": self._period_url(month=f"{previous:%Y-%m}"),
                "next_url": (self._period_url(month=f"{following:%Y-%m}")
                             if following <= period_current(report_type) else ""),
                "types": [(t, self._period_url(report_type=str(t.pk)) if len(types) > 1 else "")
                          for types in [list(self.filters.form.fields["report_type"].queryset)] for t in types]}

    @cached_property
    def bulk(self) -> dict:
        if self.report_type is None:
            return {}
        return _bulk_preview(self.scope, {"report_type": self.report_type, "period": self.period})

    @cached_property
    def header_buttons(self):
        profile, buttons = self.scope.profile, []
        if self.report_type is None:
            return buttons
        for allowed, key, label, testid, priority in (
                (profile.can_one_click, "one_click", pgettext_lazy("action", "One-click receive"), "receive-all", 10),
                (profile.can_skip_level, "skip", pgettext_lazy("action", "Skip-level receive"), "skip-receive", 20)):
            if not allowed:
                continue
            attrs = {"type": "button", "data-testid": testid, "data-a11y-dialog-show": self._dialog_id(key)}
            if not self.bulk[key]:
                attrs["disabled"] = ""
            buttons.append(HeaderButton(f"{label} ({self.bulk[key]})", icon_name="tasks", attrs=attrs,
                                        priority=priority))
        return buttons

    def _dialog_id(self, key: str) -> str:
        # One dialog per report type and month: the drawer's live filtering re-renders it with the list.
        return f"wf-{key}-{self.report_type.pk}-{self.period:%Y-%m}"

    def get_table(self, object_list):
        rows = selectors.review_rows(scope=self.scope, enterprises=object_list, report_type=self.report_type,
                                     period=self.period) if self.report_type is not None else []
        month_name = "workflow_review:month"
        previous = period_previous(self.report_type.frequency, self.period) if self.report_type else None
        for row in rows:
            row.month_url = f"{reverse(month_name, args=[row.enterprise.pk, f'{self.period:%Y-%m}'])}?report_type={self.report_type.pk}"
            row.previous_url = f"{reverse(month_name, args=[row.enterprise.pk, f'{previous:%Y-%m}'])}?report_type={self.report_type.pk}"
            row.monthly = self.report_type.frequency == "monthly"
            row.back = self.back_url
        return super().get_table(rows)

    @cached_property
    def columns(self):
        return [
            _SelectColumn("bulk_actions", obj_type="submission"),
            TitleColumn("name", label=gettext_lazy("Enterprise"), accessor="enterprise.name", sort_key="name",
                        get_url=lambda row: row.month_url,
                        get_title_id=lambda row: f"submission_{row.submission.pk}_title" if row.submission else ""),
            _LabelledColumn("credit_code", label=gettext_lazy("Credit code"), accessor="enterprise.credit_code"),
            _LabelledColumn("region", label=gettext_lazy("Region"), accessor="enterprise.region.name", sort_key="region_code"),
            _CellColumn("status", "status", label=gettext_lazy("Status")),
            _CellColumn("screening", "screening", label=gettext_lazy("Screening")),
            _LabelledColumn("entry_method", label=gettext_lazy("Entry method"),
                   accessor=lambda row: row.submission.get_entry_method_display() if row.submission else ""),
            _LabelledColumn("submitted_at", label=gettext_lazy("Submitted at"),
                   accessor=lambda row: _local(row.submission.submitted_at) if row.submission else ""),
            _CellColumn("actions", "actions", label=gettext_lazy("Actions")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.report_type is not None and self.report_type.frequency != "monthly":
            # The form was cleaned already: its bound field keeps its own copy of the label.
            self.filters.form.fields["month"].label = self.filters.form["month"].label = _("Report period")
        context.update(report_type=self.report_type, period=self.period, period_nav=self.period_nav,
                       bulk=self.bulk, can_one_click=self.scope.profile.can_one_click,
                       can_skip_level=self.scope.profile.can_skip_level,
                       one_click_dialog=self._dialog_id("one_click") if self.report_type else "",
                       skip_dialog=self._dialog_id("skip") if self.report_type else "", back_url=self.back_url)
        return context


def _local(moment) -> str:
    """A time as the reviewer reads it: Asia/Shanghai."""
    return localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _bulk_preview(scope, filters) -> dict:
    """The counts 一键接收 / 越级接收 confirm with: they act on the list's report type and month only."""
    profile, kwargs = scope.profile, {"report_type": filters["report_type"], "period": filters["period"]}
    preview = {}
    if profile.can_one_click:
        waiting, anomalous = selectors.one_click_candidates(profile, **kwargs)
        preview["one_click"], preview["one_click_anomalous"] = waiting.count(), anomalous.count()
    if profile.can_skip_level:
        passed, others = selectors.skip_receive_candidates(scope, **kwargs)
        preview["skip"], preview["skip_anomalous"] = passed.count(), others.count()
    return preview


def _bulk_filters(request) -> dict:
    """The report type and month a bulk form was posted from (the list's filters)."""
    form = ReviewFilterForm(request.POST, scope=selectors.review_scope(request.user))
    filters = form.filters()
    return {"report_type": filters["report_type"], "period": filters["period"]}


def _month_context(request, enterprise: Enterprise, report_type, period):
    submission = selectors.review_submission(enterprise=enterprise, report_type=report_type, period=period)
    context = {"enterprise": enterprise, "period": period, "report_type": report_type, "submission": submission,
               "previous_period": period_previous(report_type.frequency, period),
               "next_period": month_add(period_of(report_type.frequency, period), PERIOD_MONTHS[report_type.frequency])}
    if submission is not None:
        scope = selectors.review_scope(request.user)
        events = list(selectors.submission_events(submission))
        comparison = review_values.value_comparison(submission)
        since = review_values.changes_since_return(submission, events)
        steps = answers_present(version=submission.version, answers=submission.answers, issues=submission.issues)
        actions = available_actions(submission, request.user, scope=scope)
        return_form = ReturnForm(submission=submission)
        if Action.RETURN in actions:
            review_values.annotate_ticks(steps, version=submission.version, answers=submission.answers or {},
                                         checked=return_form.fields["flagged"].initial)
        context.update(
            status_label=submission_status_label(submission), level_label=submission_level_label(submission),
            steps=review_values.annotate_steps(steps, comparison=comparison, since=since),
            comparison=comparison, since_return=since,
            grid_trends=indicator_trends(enterprise=enterprise, report_type=report_type, period=period,
                                         version=submission.version),
            events=events, changes=submission.changes.all(),
            actions=actions, return_form=return_form)
    return context


def enterprise_month(request, enterprise_id: int, month: str):
    """本月 / 上月: the enterprise's profile and its report of a month (indicators, products, checks,
    the filler's note, the audit trail), with 接收 / 退回 for the current holder."""
    try:
        enterprise = selectors.review_enterprise_get(user=request.user, pk=enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404
    period = period_parse(month)
    form = ReviewFilterForm(request.GET or None, scope=selectors.review_scope(request.user))
    report_type = form.filters()["report_type"]
    if period is None or report_type is None:
        raise Http404
    context = _month_context(request, enterprise, report_type, period)
    title = f"{enterprise.name} {period:%Y-%m}"
    return _render(request, "workflow/admin/enterprise_month.html", title=title, crumbs=[_list_crumb()], **context)


def submission_view(request, pk: int):
    """A report by id: the enterprise's month view."""
    try:
        submission = selectors.review_submission_get(user=request.user, pk=pk)
    except Submission.DoesNotExist:
        raise Http404
    url = reverse("workflow_review:month", args=[submission.enterprise_id, submission.period_key])
    return redirect(f"{url}?report_type={submission.report_type_id}")


def _submission_or_404(request, pk) -> Submission:
    try:
        return selectors.review_submission_get(user=request.user, pk=pk)
    except Submission.DoesNotExist:
        raise Http404


@require_POST
def submission_receive(request, pk: int):
    """接收."""
    submission = _submission_or_404(request, pk)
    try:
        moved = services.submission_receive(submission=submission, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(enterprise)s %(period)s received: %(status)s") % {
            "enterprise": submission.enterprise.name, "period": submission.period_key,
            "status": submission_status_label(moved)})
    return redirect(_back(request, reverse("workflow_review:list")))


def submission_return(request, pk: int):
    """退回 with a reason and the cells in question (有疑问), ticked here or on the review page."""
    submission = _submission_or_404(request, pk)
    form = ReturnForm(request.POST or None, submission=submission)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_return(submission=submission, actor=request.user, reason=form.cleaned_data["reason"],
                                       flagged_fields=form.cleaned_data.get("flagged") or [])
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("%(enterprise)s %(period)s returned to the enterprise.") % {
                "enterprise": submission.enterprise.name, "period": submission.period_key})
            return redirect(_back(request, reverse("workflow_review:list")))
    return _render(request, "workflow/admin/return_form.html", title=_("Return the report"), crumbs=[_list_crumb()],
                   submission=submission, form=form, status_label=submission_status_label(submission),
                   next=_back(request, ""))


def _bulk_messages(request, outcome: services.BulkOutcome, done_message: str) -> None:
    messages.success(request, done_message % {"count": len(outcome.moved)})
    if outcome.refused:
        details = "；".join(f"{s.enterprise.name} {s.period_key}: {why}" for s, why in outcome.refused[:20])
        messages.warning(request, ngettext("%(count)d report did not move: %(details)s",
                                           "%(count)d reports did not move: %(details)s",
                                           len(outcome.refused)) % {"count": len(outcome.refused), "details": details})
    if outcome.remaining:
        messages.info(request, _("%(count)d more reports wait for the next action.") % {"count": outcome.remaining})


@require_POST
def receive_all(request):
    """一键接收."""
    try:
        outcome = services.submissions_receive_all(actor=request.user, **_bulk_filters(request))
    except PermissionDenied as exc:
        _refused(request, exc)
    else:
        _bulk_messages(request, outcome, _("One-click receive: %(count)d reports received."))
    return redirect(_back(request, reverse("workflow_review:list")))


@require_POST
def skip_receive(request):
    """越级接收."""
    try:
        outcome = services.submissions_skip_receive(actor=request.user, **_bulk_filters(request))
    except PermissionDenied as exc:
        _refused(request, exc)
    else:
        _bulk_messages(request, outcome, _("Skip-level receive: %(count)d reports approved."))
    return redirect(_back(request, reverse("workflow_review:list")))


# -- 企业信息变更 -------------------------------------------------------------------------------

def _changes_crumb():
    return {"url": reverse("workflow_review:changes"), "label": _("Information changes")}


def changes(request):
    """企业信息变更: before / after of name, credit code and industry, waiting for review."""
    form = ChangeFilterForm(request.GET or {"status": "open"})
    data = form.cleaned_data if form.is_valid() else {"status": "open"}
    status, query = data.get("status", "open"), data.get("q", "")
    page = Paginator(selectors.information_changes_for_review(user=request.user, status=status, query=query),
                     PER_PAGE).get_page(request.GET.get("p"))
    return _render(request, "workflow/admin/changes.html", title=_("Information changes"), icon="edit",
                   form=form, page=page, changes=page.object_list, open_statuses=selectors.CHANGES_OPEN)


def _change_or_404(request, pk) -> InformationChange:
    try:
        return selectors.information_change_get(user=request.user, pk=pk)
    except InformationChange.DoesNotExist:
        raise Http404


@require_POST
def change_approve(request, pk: int):
    change = _change_or_404(request, pk)
    try:
        change_services.information_change_approve(change=change, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Change of %(enterprise)s approved; the profile is updated and the report unfrozen.")
                         % {"enterprise": change.after.get("name")})
    return redirect(_back(request, reverse("workflow_review:changes")))


def change_return(request, pk: int):
    change = _change_or_404(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change_services.information_change_return(change=change, actor=request.user, reason=form.cleaned_data["reason"])
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Change of %(enterprise)s returned; the report went back to the enterprise.")
                             % {"enterprise": change.enterprise.name})
            return redirect(reverse("workflow_review:changes"))
    return _render(request, "workflow/admin/change_return.html", title=_("Return the information change"),
                   crumbs=[_changes_crumb()], icon="edit", change=change, form=form)


def audit(request):
    """操作日志: who did what to which report and when, in my region (receive, return, submit ...)."""
    form = AuditFilterForm(request.GET or None)
    events = selectors.review_events_for_audit(user=request.user, **form.filters())
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("p"))
    return _render(request, "workflow/admin/audit.html", title=_("Operation log"), icon="history",
                   crumbs=[_list_crumb()], form=form, page=page, events=page.object_list)
