"""Enterprise report pages (SPEC §5 "Enterprise pages"): home, history, wizard, submit, detail, import.

Views parse input, call one service or selector and render.
"""
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from enterprises.enums import RegistrationStatus
from enterprises.selectors import enterprise_can_fill, enterprise_current, enterprises_for_user
from formdefs.selectors import wizard_draft_unsaved_steps
from formdefs.services import wizard_draft_key
from formdefs.views.wizard import DefinitionWizardView
from survey_builder.selectors import questionnaire_items
from workflow import review_values, services as workflow
from workflow.notifications import flagged_cell_path
from reporting.enums import EDITABLE
from workflow.transitions import TransitionRefused

from . import excel_io
from .forms import HistoryFilterForm, ImportForm
from .models import ReportType, Submission
from .owners import ReportOwner
from .periods import PERIOD_MONTHS, month_add, period_current, period_is_open, period_label, period_parse
from .presenters import answers_present
from .selectors import (enterprise_periods, history_window, history_years, report_draft_key, report_type_for,
                        report_types_for, submission_find, submission_for_enterprise, submission_level_label,
                        submission_status_label)
from .services import ReportRefused, information_changes_settle, report_submit
from .views_receipt import submitted_message


def home(request):
    """The portal's front door: a landing page for visitors, the enterprise home for its users."""
    user = request.user
    if user.is_authenticated and (user.is_staff or getattr(user, "is_administrator", False)):
        return redirect("/admin/")
    if not user.is_authenticated:
        return render(request, "enterprises/landing.html")
    enterprise = enterprise_current(request)
    context = {"enterprise": enterprise, "rows": [], "report_type": None}
    if enterprise is not None and enterprise.status == RegistrationStatus.APPROVED:
        information_changes_settle(enterprise=enterprise)
        report_types = report_types_for(enterprise)
        report_type = _chosen(report_types, request.GET.get("type"))
        if report_type is not None:
            last = period_current(report_type)
            first = month_add(last, -2 * PERIOD_MONTHS[report_type.frequency])  # the last three periods
            context.update(report_type=report_type, report_types=report_types, rows=enterprise_periods(
                enterprise=enterprise, report_type=report_type, first=first, last=last, user=user),
                can_fill=enterprise_can_fill(user, enterprise))
    return render(request, "reporting/home.html", context)


def _chosen(report_types, key):
    """The type named by `?type=` among the enterprise's, else its first (old links without a type)."""
    return next((t for t in report_types if t.key == key), report_types[0] if report_types else None)


def _enterprise(request):
    enterprise = enterprise_current(request)
    if enterprise is None or enterprise.status != RegistrationStatus.APPROVED:
        raise PermissionDenied(_("Your enterprise's registration has not been approved yet."))
    return enterprise


@login_required
def history(request):
    """历史报送."""
    enterprise = _enterprise(request)
    information_changes_settle(enterprise=enterprise)
    report_types = report_types_for(enterprise)
    report_type = _chosen(report_types, request.GET.get("type"))
    years = history_years(enterprise=enterprise, report_type=report_type) if report_type is not None else []
    form = HistoryFilterForm(request.GET or None, years=years)
    # By default the last 13 months up to the current period, across years (in January: last year's too).
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows, window = [], None
    if report_type is not None and not form.errors:
        window = history_window(report_type, year_from=chosen.get("year_from"), year_to=chosen.get("year_to"))
        rows = enterprise_periods(enterprise=enterprise, report_type=report_type, first=window[0], last=window[1],
                                  status=chosen.get("status", ""), user=request.user)
    return render(request, "reporting/history.html", {"form": form, "rows": rows, "enterprise": enterprise,
                                                      "report_type": report_type, "report_types": report_types,
                                                      "window": window})


@login_required
def current(request):
    """当期报送: the latest finished period of the report type chosen (`?type=`, by default the first)."""
    report_type = report_type_for(_enterprise(request), request.GET.get("type"))
    if report_type is None:
        raise Http404
    return redirect("reporting:fill", report_type.key, f"{period_current(report_type):%Y-%m}")


class FlaggedCellsWizardMixin:
    """审核人标记 in a report's wizard: the cells the reviewer flagged when returning it (有疑问), while it is
    returned, marked at their inputs on their step and all listed (wizard.html); `?step=` (the SMS's and
    the detail page's link) opens a flagged cell's step even when the draft was started afresh, since a
    returned report was filled through every step. `returned_submission` names the report."""

    def returned_submission(self):
        raise NotImplementedError

    def flagged(self) -> list:
        if not hasattr(self, "_flagged"):
            submission = self.returned_submission()
            self._flagged = review_values.returned_flagged_cells(submission) if submission is not None else []
        return self._flagged

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get("step")
        if wanted and any(cell.step == wanted for cell in self.flagged()):
            form_list = list(self.get_form_list())
            if wanted in form_list:
                extra = dict(self.storage.extra_data)
                if extra.get("reached", 0) < form_list.index(wanted):
                    extra["reached"] = form_list.index(wanted)
                    self.storage.extra_data = extra
        return super().get(request, *args, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        flagged = self.flagged()
        if flagged:
            submission = self.returned_submission()
            context.update(flagged_reason=submission.return_reason,
                           flagged_cells=[{"cell": c, "here": c.step == self.steps.current,
                                           "url": flagged_cell_path(submission, c)} for c in flagged],
                           flagged_names=[c.input_name for c in flagged if c.step == self.steps.current])
        return context


class ReportWizardView(FlaggedCellsWizardMixin, DefinitionWizardView):
    """The monthly report's steps 1–3 on the engine; step 4 (questionnaires, 上报) is `submit_page`."""

    template_name = "reporting/wizard.html"  # the engine's page with the type switcher above it

    def dispatch(self, request, *args, **kwargs):
        """No dead end (issue 21 §3): 当期报送 or an old 编辑 link to a report already under review, approved or
        frozen opens that report, saying why, instead of a refusal."""
        done = self._report_not_editable(request) if request.method == "GET" else None  # a POST keeps its refusal
        if done is not None:
            messages.info(request, _("%(report)s of %(period)s is %(status)s and can no longer be changed; here it is.")
                          % {"report": done.report_type.localized_title, "period": period_label(done.report_type.frequency, done.period),
                             "status": done.get_status_display()})
            return redirect("reporting:detail", done.pk)
        return super().dispatch(request, *args, **kwargs)

    def _report_not_editable(self, request) -> Submission | None:
        if not request.user.is_authenticated:
            return None
        enterprise = enterprise_current(request)
        period = period_parse(self.kwargs["period"])
        if enterprise is None or enterprise.status != RegistrationStatus.APPROVED or period is None:
            return None  # the owner refuses these with its own message
        self._settled = self._settle(enterprise)  # a frozen report whose check is due may be unfrozen first
        report_type = next((t for t in self._settled[1] if t.key == self.kwargs["key"]), None)
        submission = report_type and submission_find(report_type=report_type, enterprise=enterprise, period=period)
        return submission if submission and submission.status not in EDITABLE else None

    @staticmethod
    def _settle(enterprise):
        """(enterprise, its report types) once its information changes due are settled."""
        information_changes_settle(enterprise=enterprise)
        return enterprise, report_types_for(enterprise)

    def get_owner(self):
        settled = getattr(self, "_settled", None)  # read by dispatch on a GET (an approved enterprise's)
        enterprise, self.report_types = settled or self._settle(_enterprise(self.request))
        report_type = next((t for t in self.report_types if t.key == self.kwargs["key"]), None)
        if report_type is None:
            raise Http404
        period = period_parse(self.kwargs["period"])
        if period is None:
            raise Http404
        return ReportOwner(user=self.request.user, enterprise=enterprise, report_type=report_type, period=period)

    def returned_submission(self):
        return self.owner.submission

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(report_types=self.report_types, report_type=self.owner.report_type)
        return context


def _report_type(enterprise, key) -> ReportType:
    """A type the enterprise files, by the key in the URL; 404 for any other (inactive, by tasks only,
    not applicable to it)."""
    report_type = next((t for t in report_types_for(enterprise) if t.key == key), None)
    if report_type is None:
        raise Http404
    return report_type


def _period_args(request, key, period_text):
    enterprise = _enterprise(request)
    report_type = _report_type(enterprise, key)
    period = period_parse(period_text)
    if period is None:
        raise Http404
    return enterprise, report_type, period


@login_required
def submit_page(request, key, period):
    """Step 4 调查问卷 and 上报: the questionnaires that apply, their state, and the submit button."""
    enterprise, report_type, period_date = _period_args(request, key, period)
    information_changes_settle(enterprise=enterprise)
    submission = submission_find(report_type=report_type, enterprise=enterprise, period=period_date)
    if submission is None:
        return redirect("reporting:fill", key, period)
    # Steps left in the wizard with errors: their typed values are only in the draft, so 上报 would submit
    # the older answers the enterprise no longer sees. Refused until they are corrected and saved.
    unsaved = wizard_draft_unsaved_steps(
        user=request.user, key=wizard_draft_key(report_draft_key(report_type, enterprise, period_date)),
        version=submission.version) if submission.status in EDITABLE else []
    if request.method == "POST" and unsaved:
        messages.error(request, _("Not submitted: correct and save %(steps)s first; the changes made there are not in the report yet.")
                       % {"steps": "、".join(f"“{s['title']}”" for s in unsaved)})
        return redirect("reporting:submit", key, period)
    if request.method == "POST":
        try:
            report_submit(submission=submission, actor=request.user)
        except ReportRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
        except (TransitionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, submitted_message(submission))  # with the link to its 回执
            return redirect(f"{reverse('reporting:history')}?{urlencode({'type': report_type.key})}")
        return redirect("reporting:submit", key, period)
    # The questionnaires' rule (survey_builder.selectors.questionnaire_answerable): `closed` says why they can
    # no longer be answered or changed (this report under review or approved, or the period closed).
    questionnaires = questionnaire_items(enterprise=enterprise, period=period_date)
    items = [{"questionnaire": i["questionnaire"], "answered": i["response"] is not None} for i in questionnaires["items"]]
    ready = all(i["answered"] for i in items if i["questionnaire"].mandatory)
    return render(request, "reporting/submit.html", {
        "submission": submission, "report_type": report_type, "period": period, "period_date": period_date, "items": items, "unsaved": unsaved,
        "questionnaires_closed": questionnaires["closed"],
        "ready": ready and not unsaved and submission.status in EDITABLE and enterprise_can_fill(request.user, enterprise),
        "editable": submission.status in EDITABLE, "status_label": submission_status_label(submission, office=True)})


def _own_submission(request, pk) -> Submission:
    try:
        return submission_for_enterprise(pk=pk, enterprises=enterprises_for_user(request.user))
    except Submission.DoesNotExist:
        raise Http404


def _detail_context(submission):
    return {"flagged_cells": [{"cell": c, "url": flagged_cell_path(submission, c)}
                              for c in review_values.returned_flagged_cells(submission)],
            "flagged_reason": submission.return_reason,
            "submission": submission, "status_label": submission_status_label(submission, office=True),
            "level_label": submission_level_label(submission),
            "steps": answers_present(version=submission.version, answers=submission.answers, issues=submission.issues),
            "events": submission.events.select_related("actor__admin_profile__region", "to_holder__user",
                                                       "to_holder__region"),
            "changes": submission.changes.all()}


@login_required
def detail(request, pk):
    """The detail of a report: every table, the violated checks, the filler's note, the audit trail."""
    submission = _own_submission(request, pk)
    information_changes_settle(enterprise=submission.enterprise)
    context = _detail_context(submission)
    context["can_edit"] = submission.status in EDITABLE and period_is_open(submission.report_type, submission.period)
    return render(request, "reporting/detail.html", context)


@login_required
def detail_print(request, pk):
    """A print view (landscape)."""
    return render(request, "reporting/print.html", _detail_context(_own_submission(request, pk)))


@login_required
def detail_export(request, pk):
    """The detail as an Excel workbook."""
    submission = _own_submission(request, pk)
    content = excel_io.submission_export(submission)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="report-{submission.period:%Y-%m}-{submission.pk}.xlsx"'
    return response


@login_required
@require_POST
def withdraw(request, pk):
    """撤销."""
    submission = _own_submission(request, pk)
    try:
        workflow.submission_withdraw(submission=submission, actor=request.user)
    except (TransitionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Withdrawn. You can edit the report and submit it again."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("reporting:detail", pk)


@login_required
def template_download(request, key):
    """The Excel template of the enterprise's month (`?period=2026-11`, by default 当期), from the report's definition."""
    enterprise = _enterprise(request)
    report_type = _report_type(enterprise, key)
    period = period_parse(request.GET["period"]) if request.GET.get("period") else period_current(report_type)
    if period is None or not period_is_open(report_type, period):
        raise Http404
    content, filename = excel_io.report_template(report_type, enterprise=enterprise, period=period, user=request.user,
                                                 lang=get_language())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: The portal's held uploads awaiting 确认导入, by token (imports.portal).
IMPORT_HELD = "reporting_import_held"


@login_required
def import_page(request):
    """上报导入: choose month and filler, upload → 预检 (errors by sheet, row and column; else the cells the import
    changes and the saved report it replaces, the file held) → 确认导入 writes, 取消 changes nothing."""
    from imports import portal

    enterprise = _enterprise(request)
    report_types = report_types_for(enterprise)
    report_type = _chosen(report_types, request.GET.get("type"))
    if report_type is None:
        raise Http404
    held = request.session.get(IMPORT_HELD, {})
    token = request.POST.get("held", "")
    if request.method == "POST" and token:  # 确认导入 / 取消 of a 预检
        entry = held.pop(token, None)
        request.session[IMPORT_HELD] = held
        if request.POST.get("action") == "cancel" or entry is None or entry["type"] != report_type.key:
            if entry is not None:
                portal.portal_import_cancel(held=entry["name"])
            messages.info(request, _("Nothing was imported."))
            return redirect(f"{reverse('reporting:import')}?{urlencode({'type': report_type.key})}")
        try:
            submission = portal.portal_import_confirm(
                actor=request.user, report_type=report_type, enterprise=enterprise,
                period=period_parse(entry["period"]), held=entry["name"], saved=entry["saved"],
                filler_name=entry["filler_name"])
        except excel_io.ImportRefused as exc:
            for error in exc.errors:
                messages.error(request, error)
            return redirect(f"{reverse('reporting:import')}?{urlencode({'type': report_type.key})}")
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(f"{reverse('reporting:import')}?{urlencode({'type': report_type.key})}")
        messages.success(request, _("Imported. Check the report and submit it."))
        return redirect("reporting:detail", submission.pk)
    last = period_current(report_type)
    # Two years of months: a quarterly or annual type keeps only its own periods (period_is_open).
    periods = [(p, period_label(report_type.frequency, p))
               for p in (month_add(last, -i) for i in range(24)) if period_is_open(report_type, p)]
    initial = {"filler_name": request.user.real_name or request.user.username, "period": f"{last:%Y-%m}"}
    form = ImportForm(request.POST or None, request.FILES or None, periods=periods, initial=initial)
    errors, precheck, token = [], None, ""
    if request.method == "POST" and form.is_valid():
        period = period_parse(form.cleaned_data["period"])
        try:  # 预检: the same reading and checks as the import, nothing saved; the file held for 确认导入
            precheck = portal.portal_import_precheck(actor=request.user, report_type=report_type,
                                                     enterprise=enterprise, period=period,
                                                     data=form.cleaned_data["file"].read())
        except excel_io.ImportRefused as exc:
            errors = exc.errors
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            token = uuid.uuid4().hex
            held[token] = {"name": precheck.held, "type": report_type.key, "period": f"{period:%Y-%m}",
                           "saved": precheck.saved, "filler_name": form.cleaned_data["filler_name"]}
            request.session[IMPORT_HELD] = held
    chosen = form["period"].value()  # the template link follows the month chosen (reporting/import.js)
    chosen = chosen if chosen in {f"{p:%Y-%m}" for p, _label in periods} else initial["period"]
    return render(request, "reporting/import.html", {"form": form, "errors": errors, "report_type": report_type,
                                                     "report_types": report_types, "template_period": chosen,
                                                     "precheck": precheck, "precheck_period": chosen, "held": token,
                                                     "prechecked": request.method == "POST"})
