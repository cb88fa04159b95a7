"""Filter forms of the standard queries. Each parses request.GET (or an export job's stored params)
with the spec's defaults; the cleaned values are what the selectors take."""
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from config.widgets import IsoDateField
from regions.models import Industry
from reporting.periods import month_add, period_current, period_due
from reporting.forms import MonthField
from reporting.enums import NOT_FILLED, NOT_FILLED_LABEL, EntryMethod, SubmissionStatus
from workflow.selectors import review_region_choices

from .definition import report_analytics
from .enums import Analysis, ChangeFilter, Grouping, RankBy, UserState, YearMode
from .indicators import indicators

#: 全部 as a value of its own: Wagtail's drawer writes the filters into the address without the empty ones,
#: so an empty 全部 came back as the field's default (e.g. 审核通过) on a reload, a shared link or 导出 from a
#: reloaded page. `AllChoiceField` cleans it to "" (no filter); "" itself is still taken (older links, jobs).
ALL_VALUE = "all"
ALL = [(ALL_VALUE, pgettext_lazy("analytics", "All"))]
UNFILED_STATUSES = [(NOT_FILLED, NOT_FILLED_LABEL), (SubmissionStatus.EDITING, SubmissionStatus.EDITING.label),
                    (SubmissionStatus.FROZEN, SubmissionStatus.FROZEN.label),
                    (SubmissionStatus.UNFROZEN, SubmissionStatus.UNFROZEN.label),
                    (SubmissionStatus.RETURNED, SubmissionStatus.RETURNED.label)]


class AllChoiceField(forms.ChoiceField):
    """A filter choice whose 全部 is ALL_VALUE in the address and "" in cleaned_data."""

    def to_python(self, value):
        value = super().to_python(value)
        return "" if value == ALL_VALUE else value


def choice_label(field, value) -> str:
    """The label of a cleaned choice (全部 for "" of an AllChoiceField)."""
    if value in ("", None) and isinstance(field, AllChoiceField):
        value = ALL_VALUE
    return dict((str(k), v) for k, v in field.choices).get(str(value), value)


class TickBoxes(forms.CheckboxSelectMultiple):
    """Checkboxes with an empty marker of the same name: the drawer then always sends the field, so that
    nothing ticked is a choice of its own in the address (data-aq-keep-empty, analytics/query_address.js)
    rather than an absent field, which takes the default."""

    def render(self, name, value, attrs=None, renderer=None):
        marker = format_html('<input type="hidden" name="{}" value="" data-aq-keep-empty>', name)
        return marker + super().render(name, value, attrs, renderer)


class TickedField(forms.MultipleChoiceField):
    """Columns or indicators to show (TickBoxes). Absent: the form's default; sent with nothing ticked
    (only the marker): refused with `empty_message`, on the page, the results fragment and 导出 alike."""

    widget = TickBoxes

    def __init__(self, *, empty_message, **kwargs):
        self.empty_message = empty_message
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        marked = isinstance(value, (list, tuple)) and "" in value
        value = [v for v in (value or []) if v != ""]
        if marked and not value and self.choices:
            raise ValidationError(self.empty_message, code="none_ticked")
        return super().clean(value)


class DayField(IsoDateField):
    """A deadline day, yyyy-mm-dd (config.widgets)."""


class QueryForm(forms.Form):
    """Base: knows the scope, the report type and its analytics block (`analytics`, None without one);
    `defaults()` are the spec's initial filters. `report_types`: the 报表类型 choice (ReportTypeForm)."""

    def __init__(self, data=None, *, scope, report_type, report_types=None, **kwargs):
        self.scope, self.report_type = scope, report_type
        self.analytics = report_analytics(report_type)
        defaults = self.defaults()
        merged = {**defaults, **(data or {})}
        if "type" in self.base_fields and report_type is not None and not merged.get("type"):
            merged["type"] = report_type.key
        super().__init__(merged, **kwargs)
        if "type" in self.fields:
            types = list(report_types or [])
            if report_type is not None and report_type not in types:
                types.insert(0, report_type)
            self.fields["type"].choices = [(t.key, t.localized_title) for t in types]
        if "region" in self.fields:
            self.fields["region"].choices = [(ALL_VALUE, _("All my regions")), *review_region_choices(scope)]
        if "indicators" in self.fields:
            self.fields["indicators"].choices = [(i.id, i.label) for i in indicators(self.analytics)]
        for name, default in defaults.items():
            field = self.fields.get(name)
            if default and field is not None and not field.required and not isinstance(field, forms.MultipleChoiceField):
                # emptied, it means 全部 (e.g. 报表月份 of 企业信息变更查询): analytics/query_address.js keeps it in the address
                field.widget.attrs["data-aq-keep-empty"] = ""

    def default_indicators(self, use: str) -> list[str]:
        return self.analytics.default_indicators(use) if self.analytics is not None else []

    def current(self) -> datetime.date:
        return period_current(self.report_type)

    def latest_approved(self) -> datetime.date | None:
        """The latest period with approved reports in the scope (None: none yet), read once."""
        if not hasattr(self, "_latest_approved"):
            from .selectors import latest_approved_period

            self._latest_approved = (latest_approved_period(self.scope, self.report_type)
                                     if self.report_type is not None else None)
        return self._latest_approved

    def approved_month(self) -> datetime.date:
        """Where the indicator and count queries open: the latest month with approved data (issue 21
        §4), else the current reporting period."""
        return self.latest_approved() or self.current()

    def defaults(self) -> dict:
        return {}


class ReportTypeForm(QueryForm):
    """A query over one report type: 报表类型 first among the filters."""

    type = forms.ChoiceField(label=_("Report type"))


class BasicForm(QueryForm):
    COLUMN_CHOICES = [
        ("credit_code", _("Organisation code")), ("legal_representative", _("Legal representative")),
        ("industry", _("Industry")), ("region", pgettext_lazy("analytics", "Region")), ("holding_type", _("Holding type")),
        ("registration_type", _("Registration type")), ("postcode", _("Postcode")), ("address", _("Postal address")),
        ("size", _("Enterprise size")), ("email", _("E-mail")), ("main_business", _("Main business / products")),
        ("website", _("Website")), ("contact", _("Contact person")), ("phone", pgettext_lazy("analytics", "Phone")), ("fax", _("Fax")),
        ("opened_on", _("Opening date")), ("is_listed", _("Listed")), ("reviewer", pgettext_lazy("analytics", "Direct reviewer")),
    ]
    DEFAULT_COLUMNS = ["region", "holding_type", "size", "contact"]

    region = AllChoiceField(label=pgettext_lazy("analytics", "Region"), required=False)
    state = AllChoiceField(label=_("User status"), required=False, choices=ALL + UserState.choices)
    query = forms.CharField(label=_("Enterprise name"), required=False, max_length=64)
    administrator = forms.CharField(label=_("Local administrator"), required=False, max_length=32)
    columns = TickedField(label=_("Columns"), choices=COLUMN_CHOICES, empty_message=_("Tick at least one column."))

    def defaults(self):
        return {"columns": list(self.DEFAULT_COLUMNS)}


class UnfiledForm(ReportTypeForm):
    region = AllChoiceField(label=pgettext_lazy("analytics", "Region"), required=False)
    status = AllChoiceField(label=_("Report status"), required=False, choices=ALL + UNFILED_STATUSES)
    month = MonthField(label=_("Report month"))

    def defaults(self):
        return {"month": f"{self.current():%Y-%m}"}


class ChangesForm(QueryForm):
    region = AllChoiceField(label=pgettext_lazy("analytics", "Region"), required=False)
    status = AllChoiceField(label=_("Review status"), required=False, choices=ALL + ChangeFilter.choices)
    month = MonthField(label=_("Report month"), required=False)
    query = forms.CharField(label=_("Enterprise name or ID"), required=False, max_length=64)

    def defaults(self):
        return {"month": f"{self.current():%Y-%m}"}


class _MonthStatusForm(ReportTypeForm):
    month = MonthField(label=_("Report month"))
    status = AllChoiceField(label=_("Report status"), required=False, choices=ALL + SubmissionStatus.choices)

    def defaults(self):
        return {"month": f"{self.approved_month():%Y-%m}"}


class DetailForm(_MonthStatusForm):
    entry_method = AllChoiceField(label=_("Data source"), required=False, choices=ALL + EntryMethod.choices)
    region = AllChoiceField(label=pgettext_lazy("analytics", "Region"), required=False)
    industry = AllChoiceField(label=_("Industry"), required=False)
    indicators = TickedField(label=pgettext_lazy("analytics", "Indicators"),
                             empty_message=_("Tick at least one indicator."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = ALL + [(i.section, f"{i.section} {i.name}") for i in
                                                 Industry.objects.filter(parent__isnull=True).order_by("code")]

    last = MonthField(label=_("To month"), required=False)

    def defaults(self):
        return {**super().defaults(), "indicators": self.default_indicators("detail")}

    def clean(self):
        data = super().clean()
        first, last = data.get("month"), data.get("last")
        if first and last:
            if first > last:
                self.add_error("last", _("The last month must not be before the first."))
            elif (last.year - first.year) * 12 + last.month - first.month >= 24:
                self.add_error("last", _("The range may cover at most 24 months."))
        return data


class SummaryForm(_MonthStatusForm):
    grouping = forms.ChoiceField(label=_("Summary type"), choices=Grouping.choices)
    exclude_large = forms.BooleanField(label=_("Exclude large and listed enterprises"), required=False)
    exclude_disabled = forms.BooleanField(label=_("Exclude disabled users"), required=False)
    indicators = TickedField(label=pgettext_lazy("analytics", "Indicators"),
                             empty_message=_("Tick at least one indicator."))

    def defaults(self):
        return {**super().defaults(), "status": SubmissionStatus.APPROVED, "grouping": Grouping.OVERALL,
                "indicators": self.default_indicators("summary")}


class ProductsForm(_MonthStatusForm):
    query = forms.CharField(label=_("Enterprise name or ID"), required=False, max_length=64)


class LeaderboardForm(ReportTypeForm):
    month = MonthField(label=_("Report month"))
    deadline = DayField(label=_("Deadline"), required=False)
    by = forms.ChoiceField(label=_("Ranking"), choices=RankBy.choices)

    def defaults(self):
        return {"month": f"{self.approved_month():%Y-%m}", "by": RankBy.REGION}

    def clean(self):
        data = super().clean()
        if data.get("month") and not data.get("deadline"):
            data["deadline"] = period_due(self.report_type, data["month"])
        return data


def _year_choices():
    from reporting.periods import today

    this = today().year
    return [(str(y), str(y)) for y in range(this, this - 6, -1)]


class YearDetailForm(ReportTypeForm):
    mode = forms.ChoiceField(label=_("Query by"), choices=YearMode.choices)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    first = MonthField(label=_("From month"), required=False)
    last = MonthField(label=_("To month"), required=False)
    region = AllChoiceField(label=pgettext_lazy("analytics", "Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()

    def defaults(self):
        return {"mode": YearMode.YEAR, "year": str(self.current().year)}

    def clean(self):
        data = super().clean()
        if data.get("mode") == YearMode.RANGE:
            first, last = data.get("first"), data.get("last")
            if not first or not last:
                raise forms.ValidationError(_("Choose the first and the last month of the range."))
            if first > last:
                self.add_error("last", _("The last month must not be before the first."))
            elif (last.year - first.year) * 12 + last.month - first.month >= 24:
                self.add_error("last", _("The range may cover at most 24 months."))
        elif not data.get("year"):
            self.add_error("year", _("Choose a year."))
        return data


class YearCountsForm(ReportTypeForm):
    year = forms.TypedChoiceField(label=_("Report year"), coerce=int)
    approved_only = forms.BooleanField(label=_("Count approved reports only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()

    def defaults(self):
        return {"year": str(self.approved_month().year)}


class AnalysisForm(ReportTypeForm):
    analysis = forms.ChoiceField(label=_("Analysis"), choices=Analysis.choices)
    month = MonthField(label=_("Report month"))
    deadline = DayField(label=_("This month's deadline"), required=False)
    previous_deadline = DayField(label=_("Last month's deadline"), required=False)
    exclude_large = forms.BooleanField(label=_("Exclude large and listed enterprises"), required=False)

    def defaults(self):
        return {"analysis": Analysis.COMPOSITE, "month": f"{self.approved_month():%Y-%m}"}

    def clean(self):
        data = super().clean()
        month = data.get("month")
        if month:
            data["deadline"] = data.get("deadline") or period_due(self.report_type, month)
            data["previous_deadline"] = data.get("previous_deadline") or period_due(self.report_type, month_add(month, -1))
        return data
