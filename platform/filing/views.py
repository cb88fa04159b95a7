"""Enterprise pages of task-based reporting (/tasks/): 我的填报任务, 填报任务申请, the wizard, 上报 with
the severe-warning dialog, 取消上报, 填报数据查询 with view, export and batch export.

Views parse input, call one selector or service, and render.
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext as _
from django.views.decorators.http import require_POST

from enterprises.enums import RegistrationStatus
from enterprises.selectors import enterprise_can_fill, enterprise_current
from formdefs.selectors import wizard_draft_unsaved_steps
from formdefs.services import SubmissionBlocked, wizard_draft_key
from formdefs.views.wizard import DefinitionWizardView
from ops.task_views import TaskProgress
from reporting import excel_io
from reporting.presenters import answers_present
from reporting.selectors import report_draft_key, submission_level_label, submission_status_label
from reporting.views import FlaggedCellsWizardMixin
from reporting.views_receipt import submitted_message
from workflow.transitions import TransitionRefused

from . import selectors, services
from .forms import ReportFilterForm, TaskFilterForm, TaskImportForm
from .models import FilingTask
from .owners import TaskReportOwner

BATCH_KIND = "filing.reports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PROGRESS = TaskProgress(template="filing/_export_progress.html", url_name="filing:export_job", name="export")


def _enterprise(request):
    enterprise = enterprise_current(request)
    if enterprise is None or enterprise.status != RegistrationStatus.APPROVED:
        raise PermissionDenied(_("Your enterprise's registration has not been approved yet."))
    return enterprise


def _row(request, pk):
    enterprise = _enterprise(request)
    try:
        return enterprise, selectors.filing_task_get_for_enterprise(enterprise=enterprise, pk=pk, actor=request.user)
    except FilingTask.DoesNotExist:
        raise Http404


def _period(text: str):
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _refused(request, exc) -> None:
    for message in getattr(exc, "messages", None) or [getattr(exc, "message", None) or str(exc)]:
        messages.error(request, message)


@login_required
def task_list(request):
    """我的填报任务."""
    enterprise = _enterprise(request)
    form = TaskFilterForm(request.GET or None, periods=selectors.filing_task_periods_for_enterprise(enterprise=enterprise))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.filing_tasks_for_enterprise(enterprise=enterprise, period=_period(filters.get("period", "")),
                                                 status=filters.get("status") or None, name=filters.get("name") or None,
                                                 actor=request.user)
    return render(request, "filing/task_list.html", {
        "form": form, "rows": rows, "enterprise": enterprise, "can_fill": enterprise_can_fill(request.user, enterprise)})


@login_required
def application_list(request):
    """填报任务申请: open tasks that take applications, with mine."""
    enterprise = _enterprise(request)
    name = request.GET.get("name", "")[:100]
    rows = selectors.filing_tasks_for_application(enterprise=enterprise, name=name)
    return render(request, "filing/applications.html", {"rows": rows, "name": name, "enterprise": enterprise,
                                                        "can_fill": enterprise_can_fill(request.user, enterprise)})


@login_required
@require_POST
def apply(request, pk):
    enterprise = _enterprise(request)
    task = next((r.task for r in selectors.filing_tasks_for_application(enterprise=enterprise) if r.task.pk == pk), None)
    if task is None:
        raise Http404
    try:
        services.filing_application_create(task=task, enterprise=enterprise, actor=request.user)
    except (services.FilingRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Applied. The task appears in My filing tasks once the application is accepted."))
    return redirect("filing:applications")


class TaskWizardView(FlaggedCellsWizardMixin, DefinitionWizardView):
    """The task's definition on the engine's wizard. Every valid step is saved into the report as it is
    left (TaskReportOwner.save_progress); the last step saves and leads to 上报, where severe warnings
    are explained one by one (so the wizard asks for no single filler's note)."""

    def get_owner(self):
        enterprise, row = _row(self.request, self.kwargs["pk"])
        return TaskReportOwner(user=self.request.user, enterprise=enterprise, row=row)

    template_name = "filing/wizard.html"  # the engine's page with the returned report's flagged cells

    def get_form_kwargs(self, step=None):
        return {**super().get_form_kwargs(step), "explain": False}

    def returned_submission(self):
        return self.owner.row.submission

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(has_severe=False, is_last=False)  # the next page is 上报, with its own dialog
        return context

    def done(self, form_list, **kwargs):
        answers = {}
        for form in form_list:
            answers.update(form.answers)
        try:
            url = self.owner.submit(answers=answers, result=None, explanation="", actor=self.request.user)
        except SubmissionBlocked as exc:
            form = form_list[-1]
            for message in exc.messages:
                form.add_error(None, message)
            return self.render(form)
        messages.success(self.request, _("Saved. Check the warnings and submit the report."))
        return redirect(url)


@login_required
def submit(request, pk):
    """上报: the report's checks; severe warnings are listed in a dialog, each with its 审核说明."""
    enterprise, row = _row(request, pk)
    if row.submission is None:
        return redirect("filing:fill", pk)
    # The explanations given at the last submit (a cancelled or returned report) are offered again.
    explanations = {i["code"]: i["explanation"] for i in row.submission.issues if i.get("explanation")}
    unexplained = set()
    # Steps left in the wizard with errors: their typed values are only in the draft, so 上报 would submit
    # the older answers the enterprise no longer sees. Refused until they are corrected and saved.
    unsaved = wizard_draft_unsaved_steps(
        user=request.user, key=wizard_draft_key(report_draft_key(row.task.report_type, enterprise, row.task.period)),
        version=row.submission.version) if row.can_submit else []
    if request.method == "POST" and unsaved:
        messages.error(request, _("Not submitted: correct and save %(steps)s first; the changes made there are not in the report yet.")
                       % {"steps": "、".join(f"“{s['title']}”" for s in unsaved)})
        return redirect("filing:submit", pk)
    if request.method == "POST":
        explanations = {key[len("explain_"):]: value[:services.EXPLANATION_MAX]
                        for key, value in request.POST.items() if key.startswith("explain_")}
        try:
            submitted = services.filing_report_submit(task=row.task, enterprise=enterprise, actor=request.user,
                                                      explanations=explanations)
        except services.FilingRefused as exc:
            _refused(request, exc)
            unexplained = {i["code"] for i in exc.unexplained}
        except (TransitionRefused, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, submitted_message(submitted))  # with the link to its 回执
            return redirect("filing:tasks")
        enterprise, row = _row(request, pk)
    if row.can_submit:
        issues = services.filing_report_issues(task=row.task, enterprise=enterprise)
    else:
        issues = row.submission.issues  # as submitted, with their explanations
    severe = [dict(i, explanation=explanations.get(i["code"], ""), missing=i["code"] in unexplained)
              for i in issues if i["severity"] == "severe"] if row.can_submit else []
    return render(request, "filing/submit.html", {
        "row": row, "task": row.task, "submission": row.submission, "issues": issues, "severe": severe,
        "open_dialog": bool(unexplained), "unsaved": unsaved,
        "can_submit": row.can_submit and enterprise_can_fill(request.user, enterprise)})


@login_required
@require_POST
def cancel(request, pk):
    """取消上报."""
    enterprise, row = _row(request, pk)
    try:
        services.filing_report_cancel(task=row.task, enterprise=enterprise, actor=request.user)
    except (services.FilingRefused, TransitionRefused, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Submission cancelled. You can change the report and submit it again."))
    return redirect("filing:tasks")


@login_required
def template_download(request, pk):
    """The Excel template of the task's report for my enterprise."""
    enterprise, row = _row(request, pk)
    content, filename = selectors.filing_report_template(row=row, enterprise=enterprise, user=request.user,
                                                         lang=get_language())
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def import_page(request, pk):
    """上报导入 of a task's report: upload the filled template; errors by sheet, row and column; all or nothing."""
    enterprise, row = _row(request, pk)
    form = TaskImportForm(request.POST or None, request.FILES or None,
                          initial={"filler_name": request.user.real_name or request.user.username})
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.filing_report_import(task=row.task, enterprise=enterprise, file=form.cleaned_data["file"],
                                          filler_name=form.cleaned_data["filler_name"], actor=request.user)
        except services.FilingRefused as exc:
            errors = exc.messages
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(request, _("Imported. Check the report and submit it."))
            return redirect("filing:submit", pk)
    return render(request, "filing/import.html", {"form": form, "errors": errors, "row": row, "task": row.task,
                                                  "can_fill": row.can_fill and enterprise_can_fill(request.user, enterprise)})


# -- 填报数据查询 -----------------------------------------------------------------------------------

@login_required
def report_list(request):
    enterprise = _enterprise(request)
    form = ReportFilterForm(request.GET or None, periods=selectors.filing_task_periods_for_enterprise(enterprise=enterprise))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.filing_reports_for_enterprise(enterprise=enterprise, period=_period(filters.get("period", "")),
                                                   name=filters.get("name") or None)
    return render(request, "filing/report_list.html", {"form": form, "rows": rows})


def _report(request, pk):
    from reporting.models import Submission

    try:
        return selectors.filing_report_get_for_enterprise(enterprise=_enterprise(request), pk=pk)
    except Submission.DoesNotExist:
        raise Http404


@login_required
def report_detail(request, pk):
    row = _report(request, pk)
    submission = row.submission
    return render(request, "filing/report_detail.html", {
        "row": row, "submission": submission, "status_label": submission_status_label(submission, office=True),
        "level_label": submission_level_label(submission),
        "steps": answers_present(version=submission.version, answers=submission.answers, issues=submission.issues),
        "events": submission.events.select_related("actor__admin_profile__region", "to_holder__user",
                                                   "to_holder__region"), "changes": []})


@login_required
def report_export(request, pk):
    row = _report(request, pk)
    response = HttpResponse(excel_io.submission_export(row.submission), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="task-{row.task.pk}-{row.submission.period:%Y-%m}.xlsx"'
    return response


@login_required
@require_POST
def report_batch_export(request):
    """批量导出: one workbook for one report; a zip of workbooks for several, as a background job."""
    from exports.services import export_job_create

    enterprise = _enterprise(request)
    ids = sorted({int(v) for v in request.POST.getlist("ids") if v.isdigit()})
    if not ids:
        messages.error(request, _("Choose the reports to export."))
        return redirect("filing:reports")
    if len(ids) == 1:
        return report_export(request, ids[0])
    job = export_job_create(actor=request.user, kind=BATCH_KIND, params={"enterprise": enterprise.pk, "ids": ids},
                            language=request.LANGUAGE_CODE, total=len(ids))
    return redirect("filing:export_job", job.pk)


def _job(request, pk):
    from exports.models import ExportJob
    from exports.selectors import export_job_get

    try:
        job = export_job_get(user=request.user, pk=pk)
    except ExportJob.DoesNotExist:
        raise Http404
    if job.kind != BATCH_KIND:
        raise Http404
    return job


@login_required
def export_job(request, pk):
    """The batch export's progress (polled) and its download."""
    job = _job(request, pk)
    if request.headers.get("HX-Request"):
        return EXPORT_PROGRESS.response(request, job)
    return render(request, "filing/export_job.html", {"job": job, **EXPORT_PROGRESS.context(job)})


@login_required
def export_download(request, pk):
    job = _job(request, pk)
    if job.status != "done" or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
