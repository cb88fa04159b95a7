"""The filter drawer of 企业上报数据审核 (django-filter through Wagtail's listing view), SPEC §6.

The report type and the month choose the list's rows (each enterprise joined to that month's report:
`selectors.review_enterprises_month`); the other filters narrow them (`selectors.review_enterprises_filter`).
An invalid value is ignored (the list falls back to "all" for that filter), as ReviewFilterForm did.
"""
import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from config.widgets import IsoMonthInput
from enterprises.models import Enterprise
from reporting.enums import NOT_FILLED, EntryMethod, Screening, SubmissionStatus as S
from reporting.periods import period_current, period_parse

from . import selectors
from .forms import region_choices, review_report_types
from .selectors import ReportedFilter


def _chosen_by_the_base_queryset(queryset, name, value):
    return queryset


class ReviewFilterSet(WagtailFilterSet):
    report_type = django_filters.ModelChoiceFilter(label=_("Report"),
                                                   queryset=lambda request: review_report_types(
                                                       selectors.review_scope(request.user)),
                                                   empty_label=None, method=_chosen_by_the_base_queryset)
    month = django_filters.CharFilter(label=_("Month"), widget=IsoMonthInput(numeric=False),
                                      method=_chosen_by_the_base_queryset)
    region = django_filters.ChoiceFilter(label=_("Region"), empty_label=_("All regions"),
                                         method=_chosen_by_the_base_queryset)
    reported = django_filters.ChoiceFilter(label=_("Reported"), empty_label=_("All"), method=_chosen_by_the_base_queryset,
                                           choices=[(ReportedFilter.REPORTED, _("Reported")),
                                                    (ReportedFilter.NOT_REPORTED, _("Not reported"))])
    status = django_filters.ChoiceFilter(label=_("Review status"), empty_label=_("All"),
                                         method=_chosen_by_the_base_queryset, choices=[
                                             (S.PENDING, _("Pending review")), (S.APPROVED, _("Approved")),
                                             (S.RETURNED, _("Returned")), (NOT_FILLED, _("Not filled"))])
    screening = django_filters.ChoiceFilter(label=_("Screening"), empty_label=_("All"),
                                            method=_chosen_by_the_base_queryset,
                                            choices=[(Screening.PASSED, Screening.PASSED.label),
                                                     (Screening.ANOMALOUS, Screening.ANOMALOUS.label)])
    entry_method = django_filters.ChoiceFilter(label=_("Entry method"), empty_label=_("All"),
                                               method=_chosen_by_the_base_queryset, choices=EntryMethod.choices)

    class Meta:
        model = Enterprise
        fields = ["report_type", "month", "region", "reported", "status", "screening", "entry_method"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, scope=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.scope = scope
        asked = (data or {}).get("region", "")
        self.filters["region"].extra["choices"] = region_choices(scope, asked) if scope is not None else []

    def _valid(self) -> dict:
        # The fields that are valid; an invalid one counts as "all" (the form's cleaned_data keeps the others).
        self.is_valid()
        return getattr(self.form, "cleaned_data", {})

    @property
    def chosen_report_type(self):
        return self._valid().get("report_type") or self.form.fields["report_type"].queryset.first()

    @property
    def chosen_period(self):
        report_type = self.chosen_report_type
        period = period_parse(self._valid().get("month") or "")
        if period is None and report_type is not None:
            period = period_current(report_type)
        return period

    def filter_queryset(self, queryset):
        data = self._valid()
        return selectors.review_enterprises_filter(
            queryset, region=data.get("region") or "", reported=data.get("reported") or "",
            status=data.get("status") or "", screening=data.get("screening") or "",
            entry_method=data.get("entry_method") or "")
