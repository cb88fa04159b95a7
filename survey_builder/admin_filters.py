"""Filters of 问卷发布和统计's list (django-filter through Wagtail's listing view, in its filter drawer).

The filter set only reads the request: `selectors.questionnaire_list` decides what each filter means
(调查频率 with 必填 / 选填, the overlap of 起止日期, 我发布的问卷), so the page and the selector's tests agree.
"""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import RangeWidget
from wagtail.admin.filters import WagtailFilterSet

from config.widgets import IsoDateInput

from . import selectors
from .enums import ListFrequency, QuestionnaireStatus
from .models import Questionnaire

MINE = "1"


class DateRangeInput(RangeWidget):
    """Two yyyy-mm-dd inputs (`period_from`, `period_to`), the platform's own date input (config.widgets):
    Wagtail's DateRangePickerWidget writes an inline `initDateChooser` script per input, which the
    Content-Security-Policy blocks."""

    suffixes = ["from", "to"]
    template_name = "django/forms/widgets/multiwidget.html"  # django_filters is not an installed app

    def __init__(self, attrs=None):
        dates = [IsoDateInput() for _n in range(2)]
        forms.MultiWidget.__init__(self, dates, attrs)


class QuestionnaireFilterSet(WagtailFilterSet):
    frequency = django_filters.ChoiceFilter(label=_("Survey frequency"), choices=ListFrequency.choices,
                                            empty_label=_("All"), method="by_selector")
    status = django_filters.ChoiceFilter(label=_("Survey status"), choices=QuestionnaireStatus.choices,
                                         empty_label=_("All"), method="by_selector")
    period = django_filters.DateFromToRangeFilter(label=_("Survey period"),
                                                  widget=DateRangeInput, method="by_selector")
    mine = django_filters.ChoiceFilter(label=_("Questionnaires I published"), choices=[(MINE, _("Yes"))],
                                       empty_label=_("No"), method="by_selector")

    class Meta:
        model = Questionnaire
        fields = ["frequency", "status", "period", "mine"]

    def by_selector(self, queryset, name, value):
        return queryset  # every filter is applied at once by `filter_queryset`, through the selector

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        period = data.get("period")
        chosen = selectors.questionnaire_list(
            user=self.request.user, frequency=data.get("frequency") or "", status=data.get("status") or "",
            date_from=period.start if period else None, date_to=period.stop if period else None,
            mine=data.get("mine") == MINE)
        return queryset.filter(pk__in=chosen.values("pk"))
