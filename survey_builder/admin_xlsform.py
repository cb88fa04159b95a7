"""导入XLSForm and 导出XLSForm in the back office's 问卷发布和统计 (the work is in `xlsform/`)."""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from . import selectors
from .enums import DesignStep
from .models import Questionnaire
from .xlsform import XLSFormExportRefused, XLSFormRefused, questionnaire_export_xlsform, questionnaire_import_xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSForm workbook (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def _page(request, **context):
    title = _("Import XLSForm")
    context.update(header_title=title, page_title=title, header_icon="form", breadcrumbs_items=[
        {"url": reverse("wagtailadmin_home"), "label": _("Home")},
        {"url": reverse("survey_admin:list"), "label": _("Questionnaire publishing and statistics")},
        {"url": "", "label": title}])
    return TemplateResponse(request, "survey_builder/admin/xlsform_import.html", context)


def xlsform_import(request):
    """导入XLSForm: upload a workbook → a new draft (then the designer's step 1), or the problems by sheet/row/column."""
    selectors.survey_scope(request.user)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = getattr(settings, "EXCEL_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)
        content = upload.read(limit + 1)
        try:
            questionnaire, notices = questionnaire_import_xlsform(actor=request.user, content=content, filename=upload.name)
        except XLSFormRefused as exc:
            problems = exc.messages
        else:
            for notice in notices:
                messages.warning(request, notice)
            messages.success(request, _("Imported “%(title)s” as a draft: check its theme, then its questions.") % {
                "title": questionnaire.title})
            return redirect("survey_admin:design", questionnaire.pk, DesignStep.THEME)
    return _page(request, form=form, problems=problems)


def xlsform_export(request, pk):
    """导出XLSForm: the questionnaire as an XLSForm workbook."""
    try:
        questionnaire = selectors.questionnaire_visible_get(user=request.user, pk=pk)
    except Questionnaire.DoesNotExist:
        raise Http404
    try:
        content = questionnaire_export_xlsform(questionnaire=questionnaire, actor=request.user)
    except (PermissionDenied, XLSFormExportRefused) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
        return redirect("survey_admin:list")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{questionnaire.code}-xlsform.xlsx"'
    return response
