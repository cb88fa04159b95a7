"""企业上报导入 pages in the Wagtail admin: template, 预检, upload, a job's progress and per-row results."""
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import admin_scope
from ops.task_views import TaskProgress
from reporting.periods import period_current, period_parse
from reporting.selectors import report_types_filed

from . import selectors, services
from .precheck import import_precheck
from .enums import RowOutcome
from .models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Reloads once the job ends, to show every row's result.
PROGRESS = TaskProgress(template="imports/admin/_job_progress.html", url_name="imports:job_progress", name="job",
                        reload_when_finished=True)


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon="upload")
    return TemplateResponse(request, template, context)


def _report_types(request, source):
    """The report types enterprises file directly and the one chosen (`type`, by default the first)."""
    if admin_scope(request.user).is_empty:
        raise PermissionDenied
    report_types = list(report_types_filed())
    report_type = next((t for t in report_types if t.key == source.get("type")), report_types[0] if report_types else None)
    if report_type is None:
        raise Http404(_("No report type is active."))
    return report_types, report_type


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


#: Jobs listed on the import page; every job is on 导入记录 (admin_list.ImportJobIndexView).
RECENT_JOBS = 5
#: Session key of the uploads held while their importer confirms overwriting drafts: {token: {...}}.
HELD = "imports_held"


def index(request):
    """企业上报导入: 预检 (what each row would do, nothing written) or import; an import that would overwrite
    enterprises' saved reports or wizard drafts lists them and asks first (the file is held meanwhile)."""
    report_types, report_type = _report_types(request, request.POST if request.method == "POST" else request.GET)
    current = period_current(report_type)
    period_text = request.POST.get("period", "") if request.method == "POST" else f"{current:%Y-%m}"
    context = {}
    if request.method == "POST":
        try:
            job = _post(request, report_type, period_parse(period_text), context)
        except (PermissionDenied, services.ImportRefused) as exc:
            messages.error(request, getattr(exc, "message", None) or str(exc) or _("You may not do this."))
        else:
            if job is not None:
                return redirect("imports:job", job.pk)
    return _render(request, "imports/admin/index.html", title=_("Batch import"), report_type=report_type,
                   report_types=report_types,
                   period_text=period_text, current=current,
                   can_import=admin_scope(request.user).profile.can_review_report,
                   jobs=selectors.import_jobs_for(request.user).order_by("-created_at")[:RECENT_JOBS],
                   recent_jobs=RECENT_JOBS, **context)


def _post(request, report_type, period, context):
    """The job created, or None with `context` filled (预检 rows, or the drafts to confirm)."""
    held = request.session.get(HELD, {})
    token = request.POST.get("held", "")
    if token:
        entry = held.pop(token, None)
        request.session.modified = True
        data = services.import_file_take(name=entry["name"]) if entry else None
        if request.POST.get("action") == "cancel":
            messages.info(request, _("Nothing was imported."))
            return None
        if data is None or entry["type"] != report_type.key:
            raise services.ImportRefused(_("The file to confirm is no longer kept; upload it again."))
        return services.import_job_create(actor=request.user, report_type=report_type,
                                          period=period_parse(entry["period"]), file=data,
                                          file_name=entry["file_name"], language=request.LANGUAGE_CODE)
    upload = request.FILES.get("file")
    if upload is None or period is None:
        raise services.ImportRefused(_("Choose the month and the Excel file."))
    data = upload.read()
    if request.POST.get("action") == "precheck":
        context["precheck"] = import_precheck(actor=request.user, report_type=report_type, period=period, file=data)
        return None
    drafts = import_precheck(actor=request.user, report_type=report_type, period=period, file=data,
                             validate=False).drafts
    if drafts:
        token = uuid.uuid4().hex
        held[token] = {"name": services.import_file_hold(data=data), "file_name": upload.name[-255:],
                       "type": report_type.key, "period": f"{period:%Y-%m}"}
        request.session[HELD] = held
        context.update(drafts=drafts, held=token, held_period=period)
        return None
    return services.import_job_create(actor=request.user, report_type=report_type, period=period, file=data,
                                      file_name=upload.name, language=request.LANGUAGE_CODE)


def template(request):
    data, name = selectors.import_template(report_type=_report_types(request, request.GET)[1], lang=request.LANGUAGE_CODE)
    return _download(data, name)


def _job(request, job_id) -> ImportJob:
    try:
        return selectors.import_job_get(user=request.user, pk=job_id)
    except ImportJob.DoesNotExist:
        raise Http404


def job_detail(request, job_id):
    job = _job(request, job_id)
    outcome = request.GET.get("outcome", "")
    page = Paginator(selectors.job_rows(job, outcome=outcome), 100).get_page(request.GET.get("page"))
    return _render(request, "imports/admin/job.html", title=_("Import of %(period)s") % {"period": f"{job.period:%Y-%m}"},
                   crumbs=[{"url": reverse("imports:index"), "label": _("Batch import")}],
                   job=job, page=page, outcome=outcome, outcomes=RowOutcome.choices, **PROGRESS.context(job))


def job_progress(request, job_id):
    """The progress block, polled by htmx while the job is queued or running."""
    job = _job(request, job_id)
    services.import_job_advance(job=job)
    return PROGRESS.response(request, job)


def job_export(request, job_id):
    job = _job(request, job_id)
    return _download(selectors.job_rows_export(job), f"import-{job.period:%Y-%m}-{job.pk}-results.xlsx")


def job_file(request, job_id):
    """The uploaded batch file, to the administrators who may see the job only (it is stored privately)."""
    job = _job(request, job_id)
    if not job.file:
        raise Http404
    try:
        stream = job.file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(stream, as_attachment=True, filename=job.file_name or "import.xlsx", content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
