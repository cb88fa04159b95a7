"""Back-office forms of the review workflow: the review list's filters and the return reason."""
from django import forms
from django.utils.translation import gettext_lazy as _

from config.widgets import IsoDateField, IsoMonthInput
from regions.selectors import region_by_code
from reporting.models import ReportType
from reporting.periods import period_current, period_parse
from reporting.selectors import report_type_in_region

from .enums import Action
from reporting.enums import NOT_FILLED, EntryMethod, Screening, SubmissionStatus as S
from .selectors import ReportedFilter, review_region_choices
from .review_values import flaggable_cells, screening_flags
from .services import RETURN_REASON_MAX


def region_by_prefix(prefix: str):
    """The region whose subtree prefix is `prefix` (2, 4 or 6 digits)."""
    if not prefix.isdigit() or len(prefix) not in (2, 4, 6):
        return None
    level = {2: 1, 4: 2, 6: 3}[len(prefix)]
    return region_by_code(prefix.ljust(6, "0"), level=level)


def region_choices(scope, asked: str = "") -> list[tuple[str, str]]:
    """The review list's region choices; a deeper region than the list offers (a link from the home page)
    is added when it is `asked` for and inside the scope."""
    choices = review_region_choices(scope)
    if asked and asked not in dict(choices):
        region = region_by_prefix(asked)
        if region is not None and scope.contains_region(region):
            choices.append((asked, region.name))
    return choices


def review_report_types(scope):
    """The report types the review list offers in the reviewer's regions (`report_type_in_region`: not
    上海市's report for 浙江省's reviewer), the first one its default."""
    types = ReportType.objects.filter(is_active=True).select_related("definition").order_by("pk")
    return types.filter(pk__in=[t.pk for t in types if report_type_in_region(t, scope.region_prefix)])


class ReviewFilterForm(forms.Form):
    """The filters of 企业上报数据审核 (SPEC §6). Invalid values fall back to "all"."""

    report_type = forms.ModelChoiceField(label=_("Report"), queryset=ReportType.objects.none(), required=False,
                                         empty_label=None)
    month = forms.CharField(label=_("Month"), required=False, widget=IsoMonthInput)
    region = forms.ChoiceField(label=_("Region"), required=False)
    reported = forms.ChoiceField(label=_("Reported"), required=False, choices=[
        ("", _("All")), (ReportedFilter.REPORTED, _("Reported")), (ReportedFilter.NOT_REPORTED, _("Not reported"))])
    status = forms.ChoiceField(label=_("Review status"), required=False, choices=[
        ("", _("All")), (S.PENDING, _("Pending review")), (S.APPROVED, _("Approved")), (S.RETURNED, _("Returned")),
        (NOT_FILLED, _("Not filled"))])
    screening = forms.ChoiceField(label=_("Screening"), required=False, choices=[
        ("", _("All")), (Screening.PASSED, Screening.PASSED.label), (Screening.ANOMALOUS, Screening.ANOMALOUS.label)])
    entry_method = forms.ChoiceField(label=_("Entry method"), required=False,
                                     choices=[("", _("All")), *EntryMethod.choices])
    q = forms.CharField(label=_("Enterprise name or credit code"), required=False, max_length=64)

    def __init__(self, data, *, scope):
        super().__init__(data)
        types = review_report_types(scope)
        self.fields["report_type"].queryset = types
        self.fields["region"].choices = [("", _("All regions")), *region_choices(scope, (data or {}).get("region", ""))]
        self.default_type = types.first()

    def filters(self) -> dict:
        """The selector's keyword arguments; the defaults for what is missing or invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        report_type = data.get("report_type") or self.default_type
        period = period_parse(data.get("month") or "") if data else None
        if report_type is not None and period is None:
            period = period_current(report_type)
        return {"report_type": report_type, "period": period, "region": data.get("region", ""),
                "reported": data.get("reported", ""), "status": data.get("status", ""),
                "screening": data.get("screening", ""), "entry_method": data.get("entry_method", ""),
                "query": data.get("q", "")}


class ReturnForm(forms.Form):
    """退回: the reason, and for a report (not an information change) the cells the reviewer questions
    (有疑问), ticked on the review page's value table or on the return page; the cells named by the
    report's violated checks start ticked."""

    reason = forms.CharField(label=_("Reason for returning"), max_length=RETURN_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Give the reason for returning the report.")})

    def __init__(self, *args, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        if submission is None:
            return
        cells, groups = flaggable_cells(submission.version), {}
        for path, cell in cells.items():
            label = f"{cell.label} · {cell.column}" if cell.column else cell.label
            groups.setdefault(cell.step_title, []).append((path, label))
        self.fields["flagged"] = forms.MultipleChoiceField(
            label=_("Cells in question"), required=False, choices=list(groups.items()),
            widget=forms.CheckboxSelectMultiple, initial=screening_flags(submission),
            error_messages={"invalid_choice": _("“%(value)s” is not a cell of this report and cannot be flagged.")})


class ChangeFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("open", _("Waiting for review")), ("approved", _("Approved")), ("returned", _("Returned")),
        ("", _("All"))])
    q = forms.CharField(label=_("Enterprise name or credit code"), required=False, max_length=64)


class AuditFilterForm(forms.Form):
    """操作日志 filters; an invalid value is reported on its field and the list is not filtered by it."""

    action = forms.ChoiceField(label=_("Operation"), required=False, choices=[("", _("All")), *Action.choices])
    actor = forms.CharField(label=_("Operator"), required=False, max_length=64)
    q = forms.CharField(label=_("Enterprise name or credit code"), required=False, max_length=64)
    date_from = IsoDateField(label=_("Date from"), required=False)
    date_to = IsoDateField(label=_("Date to"), required=False)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {"action": data.get("action", ""), "actor": data.get("actor", ""), "query": data.get("q", ""),
                "date_from": data.get("date_from"), "date_to": data.get("date_to")}
