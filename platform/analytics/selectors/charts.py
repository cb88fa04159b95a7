"""Data of the administrator home's charts (ECharts)."""
import datetime

from django.db.models import Sum

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType
from reporting.periods import month_add

from ..definition import report_analytics
from .reporting import REPORTED

TREND_MONTHS = 13


def indicator_trend(*, scope: AdminScope, report_type: ReportType, period: datetime.date, indicator: str,
                    months: int = TREND_MONTHS) -> list[tuple[str, float | None]]:
    """(YYYY-MM, total of 本年本月) of `indicator` over the `months` months ending with `period`, summed
    over the scope's submitted and approved reports (one GROUP BY over the facts table). The block of the
    report type says where: the row's month column, else its stock (期末数), else its cumulative value."""
    first = month_add(period, -(months - 1))
    analytics = report_analytics(report_type)
    column = analytics.trend_column(indicator) if analytics is not None else None
    totals = {}
    if column is not None:
        totals = dict(IndicatorFact.objects.filter(
            scope.region_q("region_code"), definition_id=report_type.definition_id, period__gte=first,
            period__lte=period, field=analytics.grid, row=indicator, column=column, status__in=REPORTED)
            .values("period").order_by("period").annotate(total=Sum("value")).values_list("period", "total"))
    out = []
    for k in range(months):
        month = month_add(first, k)
        value = totals.get(month)
        out.append((f"{month:%Y-%m}", float(value) if value is not None else None))
    return out
