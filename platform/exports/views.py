"""Export pages in the Wagtail admin (/admin/exports/): my exports, a job's progress, its download.

`export_response` is the one helper other apps' views call to answer an 导出 button.
"""
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _, pgettext
from django.views.decorators.http import require_POST

from ops.task_views import TaskProgress

from . import selectors, services
from .models import ExportJob

PROGRESS = TaskProgress(template="exports/admin/_progress.html", url_name="exports:progress", name="export")


def _attachment(response, file_name: str):
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    return response


def export_response(request, *, kind: str, params: dict, back: str = ""):
    """Answer an export request: the file itself when small, else a redirect to the job's page.

    A refusal (ExportRefused) becomes an error message and a redirect to `back` (or the referring
    page); PermissionDenied propagates (403).
    """
    try:
        outcome = services.export_start(actor=request.user, kind=kind, params=params, language=request.LANGUAGE_CODE)
    except services.ExportRefused as exc:
        messages.error(request, exc.message)
        target = back or request.headers.get("Referer", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("wagtailadmin_home")
        return HttpResponseRedirect(target)
    if isinstance(outcome, ExportJob):
        messages.info(request, _("The export is large: it runs in the background. Download it here when it is done."))
        return redirect("exports:job", outcome.pk)
    response = FileResponse(outcome.file, content_type=services.XLSX)
    return _attachment(response, outcome.file_name)


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon="download")
    return TemplateResponse(request, template, context)


def _job(request, pk) -> ExportJob:
    try:
        return selectors.export_job_get(user=request.user, pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404


def job_list(request):
    jobs = selectors.export_jobs_for(request.user)[:50]
    return _render(request, "exports/admin/list.html", title=_("My exports"), jobs=jobs)


def job_detail(request, pk):
    job = _job(request, pk)
    return _render(request, "exports/admin/job.html", title=job.title or pgettext("export", "Export"),
                   crumbs=[{"url": reverse("exports:list"), "label": _("My exports")}], job=job, **PROGRESS.context(job))


def job_progress(request, pk):
    """The progress block, polled by htmx while the job is queued or running."""
    return PROGRESS.response(request, _job(request, pk))


def job_download(request, pk):
    job = _job(request, pk)
    if not job.file or job.status != "done":
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404
    return _attachment(FileResponse(handle, content_type=services.XLSX if job.file_name.endswith(".xlsx")
                                     else "application/octet-stream"), job.file_name)


@require_POST
def job_delete(request, pk):
    job = _job(request, pk)
    try:
        services.export_job_delete(actor=request.user, job=job)
    except PermissionDenied:
        raise Http404
    messages.success(request, _("Export deleted."))
    return redirect("exports:list")
