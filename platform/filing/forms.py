"""Forms of task-based reporting: the enterprise's filters, the back office's task form and rejection."""
from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from config.widgets import IsoDateField, IsoMonthInput
from regions.models import Region
from reporting.enums import Frequency
from reporting.models import ReportType
from reporting.periods import period_parse
from reporting.enums import NOT_FILLED, NOT_FILLED_LABEL, SubmissionStatus as S

from .enums import TaskStatus
from .selectors import filing_issuing_regions


class TaskFilterForm(forms.Form):
    """我的填报任务: report period, status, task name."""

    period = forms.ChoiceField(label=_("Report period"), required=False)
    status = forms.ChoiceField(label=pgettext_lazy("filing", "Filing status"), required=False, choices=[
        ("", _("All")), (NOT_FILLED, NOT_FILLED_LABEL), (S.EDITING, S.EDITING.label),
        (S.PENDING, pgettext_lazy("filing status", "Submitted")), (S.RETURNED, S.RETURNED.label), (S.APPROVED, S.APPROVED.label)])
    name = forms.CharField(label=_("Task name"), required=False, max_length=100)

    def __init__(self, data, *, periods):
        super().__init__(data)
        self.fields["period"].choices = [("", _("All")), *periods]


class TaskImportForm(forms.Form):
    """上报导入 of a task's report: the filler and the filled template (the task gives report and period)."""

    filler_name = forms.CharField(label=_("Filled in by"), max_length=64)
    file = forms.FileField(label=_("Filled template (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx template downloaded from this page."))
        return upload


class ReportFilterForm(forms.Form):
    """填报数据查询: report period and report name."""

    period = forms.ChoiceField(label=_("Report period"), required=False)
    name = forms.CharField(label=_("Report name"), required=False, max_length=100)

    def __init__(self, data, *, periods):
        super().__init__(data)
        self.fields["period"].choices = [("", _("All")), *periods]


class AdminTaskFilterForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("filing", "Task status"), required=False,
                               choices=[("", _("All")), *TaskStatus.choices])
    name = forms.CharField(label=_("Task name"), required=False, max_length=100)


class TaskForm(forms.Form):
    """A task's fields; the service checks the rules (scope, period, industry) and names the field."""

    title = forms.CharField(label=_("Task name"), max_length=200)
    report_type = forms.ModelChoiceField(label=_("Report"), queryset=ReportType.objects.none(), empty_label=None)
    period = forms.CharField(label=_("Report period"), widget=IsoMonthInput(numeric=False), help_text=_(
        "The month; for a quarterly report the quarter's last month (March, June, September, December), "
        "for an annual one December."))
    issuing_region = forms.ModelChoiceField(label=_("Issued by"), queryset=Region.objects.none(), empty_label=None,
                                            help_text=_("A province issues provincial tasks, a city municipal ones."))
    fill_region = forms.ModelChoiceField(label=_("For enterprises of"), queryset=Region.objects.none(), required=False,
                                         empty_label=_("The whole issuing region"))
    industry_prefix = forms.CharField(label=_("Industry"), max_length=5, required=False,
                                      help_text=_("An industry code or its beginning, e.g. I65 for 软件和信息技术服务业; empty: every industry."))
    requires_application = forms.BooleanField(label=_("Accepted applications only"), required=False, help_text=_(
        "Enterprises apply for the task (填报任务申请) and fill it once accepted."))
    due_date = IsoDateField(label=_("Due date"))

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_type"].queryset = ReportType.objects.filter(is_active=True).order_by("pk")
        issuing = filing_issuing_regions(scope)
        self.fields["issuing_region"].queryset = issuing
        self.fields["issuing_region"].label_from_instance = lambda r: r.full_name
        narrower = scope.regions() if scope.profile.region is not None else Region.objects.filter(level__in=(1, 2))
        self.fields["fill_region"].queryset = narrower.select_related("parent__parent").order_by("code", "level")
        self.fields["fill_region"].label_from_instance = lambda r: r.full_name

    def clean_period(self):
        # A month, or a quarter (2026-Q3) or a year (2026) where a browser shows a text box; the
        # service checks that it is a period of the chosen report's frequency.
        text = self.cleaned_data["period"]
        period = (period_parse(text) or period_parse(text, Frequency.QUARTERLY)
                  or period_parse(text, Frequency.ANNUAL))
        if period is None:
            raise forms.ValidationError(_("Enter a month such as 2026-05, a quarter such as 2026-Q2 or a year such as 2026."))
        return period


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
