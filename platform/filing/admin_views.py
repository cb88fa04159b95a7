"""Back office (Wagtail admin, /admin/filing/): 填报任务管理 — create, edit, open and close tasks of
my region, and accept or reject enterprises' applications. Scope: `selectors.filing_admin_scope`
(national, province or city administrators; a county issues no tasks); a task or an application
outside the scope is a 404.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .enums import ApplicationStatus, TaskStatus
from .forms import AdminTaskFilterForm, RejectForm, TaskForm
from .models import FilingApplication, FilingTask

PER_PAGE = 50


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon="clipboard-list")
    return TemplateResponse(request, template, context)


def _list_crumb():
    return {"url": reverse("filing_admin:tasks"), "label": _("Filing task management")}


def _task(request, pk) -> FilingTask:
    try:
        return selectors.filing_task_get_for_admin(user=request.user, pk=pk)
    except FilingTask.DoesNotExist:
        raise Http404


def _refused(request, exc) -> None:
    for message in getattr(exc, "messages", None) or [str(exc) or _("You cannot do this.")]:
        messages.error(request, message)


def task_list(request):
    form = AdminTaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    tasks = selectors.filing_tasks_for_admin(user=request.user, status=data.get("status", ""), name=data.get("name", ""))
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("p"))
    pending = selectors.filing_applications_for_admin(user=request.user).count()
    return _render(request, "filing/admin/task_list.html", title=_("Filing task management"), form=form, page=page,
                   pending=pending)


def _task_form_save(request, form, task=None):
    fields = dict(form.cleaned_data)
    try:
        if task is None:
            return services.filing_task_create(actor=request.user, **fields)
        return services.filing_task_update(task=task, actor=request.user, **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    return None


def task_create(request):
    scope = selectors.filing_admin_scope(request.user)
    form = TaskForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        task = _task_form_save(request, form)
        if task is not None:
            messages.success(request, _("Task created as a draft. Open it when enterprises may fill it."))
            return redirect("filing_admin:task", task.pk)
    return _render(request, "filing/admin/task_form.html", title=_("New filing task"), crumbs=[_list_crumb()], form=form)


def task_edit(request, pk):
    task = _task(request, pk)
    scope = selectors.filing_admin_scope(request.user)
    initial = {"title": task.title, "report_type": task.report_type, "period": task.period_key,
               "issuing_region": task.issuing_region, "fill_region": task.fill_region,
               "industry_prefix": task.industry_prefix, "requires_application": task.requires_application,
               "due_date": task.due_date}
    form = TaskForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _task_form_save(request, form, task) is not None:
            messages.success(request, _("Task saved."))
            return redirect("filing_admin:task", task.pk)
    return _render(request, "filing/admin/task_form.html", title=task.title, crumbs=[_list_crumb()], form=form, task=task)


def task_detail(request, pk):
    task = _task(request, pk)
    applications = selectors.filing_applications_for_admin(user=request.user, status="", task=task)
    progress = selectors.filing_task_progress(task)
    return _render(request, "filing/admin/task_detail.html", title=task.title, crumbs=[_list_crumb()], task=task,
                   applications=applications, progress=progress, reject_form=RejectForm(),
                   reference_gaps=selectors.filing_task_reference_gaps(task),
                   period_label=selectors.period_label(task.report_type.frequency, task.period),
                   can_open=task.status in (TaskStatus.DRAFT, TaskStatus.CLOSED), can_close=task.status == TaskStatus.OPEN)


@require_POST
def task_open(request, pk):
    task = _task(request, pk)
    try:
        services.filing_task_open(task=task, actor=request.user)
    except (services.FilingRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The task is open: its enterprises may fill it."))
    return redirect("filing_admin:task", pk)


@require_POST
def task_close(request, pk):
    task = _task(request, pk)
    try:
        services.filing_task_close(task=task, actor=request.user)
    except (services.FilingRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The task is closed."))
    return redirect("filing_admin:task", pk)


def application_list(request):
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values and status != "":
        status = ApplicationStatus.PENDING
    applications = selectors.filing_applications_for_admin(user=request.user, status=status)
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("p"))
    return _render(request, "filing/admin/applications.html", title=_("Task applications"), crumbs=[_list_crumb()],
                   page=page, status=status, statuses=ApplicationStatus.choices, reject_form=RejectForm())


def _application(request, pk) -> FilingApplication:
    try:
        return selectors.filing_application_get_for_admin(user=request.user, pk=pk)
    except FilingApplication.DoesNotExist:
        raise Http404


def _back(request, application):
    target = request.POST.get("next", "")
    if target == "task":
        return redirect("filing_admin:task", application.task_id)
    return redirect("filing_admin:applications")


@require_POST
def application_accept(request, pk):
    application = _application(request, pk)
    try:
        services.filing_application_accept(application=application, actor=request.user)
    except (services.FilingRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Accepted: %(name)s may fill the task.") % {"name": application.enterprise.name})
    return _back(request, application)


@require_POST
def application_reject(request, pk):
    application = _application(request, pk)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise services.FilingRefused([_("Give the reason for rejecting the application.")])
        services.filing_application_reject(application=application, actor=request.user, reason=form.cleaned_data["reason"])
    except (services.FilingRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Rejected: %(name)s.") % {"name": application.enterprise.name})
    return _back(request, application)
