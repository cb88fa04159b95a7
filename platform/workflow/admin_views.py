"""Back-office (Wagtail admin) views of the review workflow: 企业上报数据审核, bulk receive,
企业信息变更 review. They parse input, call one selector or service, and render.

Scope and permission are decided by `workflow.selectors` (through `admin_scope`) and by the
services; PermissionDenied becomes a 403, an object outside the scope a 404.

The review list is a custom view rather than a Wagtail generic IndexView: its rows are enterprises
joined to one month's report (未填报 is derived), its filters act on that join, and each row carries
POST actions for the current holder only.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from enterprises.models import Enterprise
from reporting.carry import indicator_trends
from reporting.models import InformationChange, Submission
from reporting.periods import PERIOD_MONTHS, month_add, period_of, period_parse, period_previous
from reporting.presenters import answers_present
from reporting.services import changes as change_services
from reporting.selectors import submission_level_label, submission_status_label

from . import review_values, selectors, services
from .actions import available_actions
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


def review_list(request):
    """企业上报数据审核: the month's monitored enterprises of my region with their reports."""
    scope = selectors.review_scope(request.user)
    form = ReviewFilterForm(request.GET or None, scope=scope)
    filters = form.filters()
    rows, page = [], None
    if filters["report_type"] is not None:
        enterprises = selectors.review_enterprises(scope=scope, **filters)
        page = Paginator(enterprises, PER_PAGE).get_page(request.GET.get("p"))
        rows = selectors.review_rows(scope=scope, enterprises=page.object_list,
                                     report_type=filters["report_type"], period=filters["period"])
    profile = scope.profile
    return _render(request, "workflow/admin/review_list.html", title=_("Report data review"),
                   form=form, rows=rows, page=page, period=filters["period"],
                   previous_period=(period_previous(filters["report_type"].frequency, filters["period"])
                                    if filters["period"] and filters["report_type"] else None),
                   report_type=filters["report_type"], can_one_click=profile.can_one_click,
                   can_skip_level=profile.can_skip_level, bulk=_bulk_preview(scope, filters))


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
        context.update(
            status_label=submission_status_label(submission), level_label=submission_level_label(submission),
            steps=review_values.annotate_steps(steps, comparison=comparison, since=since),
            comparison=comparison, since_return=since,
            grid_trends=indicator_trends(enterprise=enterprise, report_type=report_type, period=period,
                                         version=submission.version),
            events=events, changes=submission.changes.all(),
            actions=available_actions(submission, request.user, scope=scope), return_form=ReturnForm())
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
    """退回 with a reason."""
    submission = _submission_or_404(request, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_return(submission=submission, actor=request.user, reason=form.cleaned_data["reason"])
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("%(enterprise)s %(period)s returned to the enterprise.") % {
                "enterprise": submission.enterprise.name, "period": submission.period_key})
            return redirect(_back(request, reverse("workflow_review:list")))
    return _render(request, "workflow/admin/return_form.html", title=_("Return the report"), crumbs=[_list_crumb()],
                   submission=submission, form=form, status_label=submission_status_label(submission),
                   next=_back(request, ""))


def bulk_return(request):
    """批量退回: the ticked reports with one reason; each is returned on its own (services.submissions_return)
    and the message counts those actually returned, naming the others with why."""
    ids = request.POST.getlist("submission") if request.method == "POST" else request.GET.getlist("submission")
    chosen = selectors.review_submissions_chosen(user=request.user, ids=ids)
    back = _back(request, reverse("workflow_review:list"))
    if not ids:
        messages.error(request, _("Tick the reports to return first."))
        return redirect(back)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.submissions_return(actor=request.user, submission_ids=ids,
                                                  reason=form.cleaned_data["reason"])
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            _bulk_return_messages(request, outcome)
            return redirect(back)
    return _render(request, "workflow/admin/bulk_return.html", title=_("Return several reports"),
                   crumbs=[_list_crumb()], chosen=[(s, submission_status_label(s)) for s in chosen], form=form,
                   outside=len(set(ids)) - len(chosen), next=back)


def _bulk_return_messages(request, outcome: services.BulkOutcome) -> None:
    if outcome.moved:
        messages.success(request, ngettext("%(count)d report returned to its enterprise.",
                                           "%(count)d reports returned to their enterprises.",
                                           len(outcome.moved)) % {"count": len(outcome.moved)})
    if outcome.refused:
        details = "；".join(f"{s.enterprise.name} {s.period_key}: {why}" for s, why in outcome.refused[:20])
        messages.warning(request, ngettext("%(count)d report was not returned: %(details)s",
                                           "%(count)d reports were not returned: %(details)s",
                                           len(outcome.refused)) % {"count": len(outcome.refused), "details": details})
    if outcome.outside:
        messages.warning(request, ngettext("%(count)d report is not in your region and was not returned.",
                                           "%(count)d reports are not in your region and were not returned.",
                                           outcome.outside) % {"count": outcome.outside})


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
