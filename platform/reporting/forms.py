from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from config.widgets import IsoMonthInput
from reporting.enums import NOT_FILLED, NOT_FILLED_LABEL, SubmissionStatus
from reporting.periods import period_parse


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (config.widgets.IsoMonthInput; 202610 and 2026/10 parse too) → its first day:
    报表月份 in the queries, 月份 in 导入记录's filter."""

    widget = IsoMonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        period = period_parse(value)
        if period is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return period


class HistoryFilterForm(forms.Form):
    """历史报送: by year or year range and status; without a year, the last 13 months (across years)."""

    year_from = forms.TypedChoiceField(label=_("Period"), required=False, coerce=int, empty_value=None)
    year_to = forms.TypedChoiceField(label=_("To year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + [(NOT_FILLED, NOT_FILLED_LABEL)] + list(SubmissionStatus.choices))

    def __init__(self, *args, years=(), **kwargs):
        """`years`: the years offered, newest first (`selectors.history_years`)."""
        super().__init__(*args, **kwargs)
        options = [(str(year), pgettext("history year option", "%(year)d") % {"year": year}) for year in years]
        self.fields["year_from"].choices = [("", _("Last 13 months"))] + options
        self.fields["year_to"].choices = [("", "—")] + options

    def clean(self):
        data = super().clean()
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            self.add_error("year_to", _("The end year is before the start year."))
        return data


class ImportForm(forms.Form):
    """上报导入: month, filler and the filled template."""

    period = forms.ChoiceField(label=_("Month"))
    filler_name = forms.CharField(label=_("Filled in by"), max_length=64)
    file = forms.FileField(label=_("Filled template (.xlsx)"))

    def __init__(self, *args, periods=(), **kwargs):
        """`periods`: (date, label) pairs; the value is the period's key (`2026-09`) for every frequency."""
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{p:%Y-%m}", label) for p, label in periods]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx template downloaded from this page."))
        return upload
