"""Data of the administrator home's charts (ECharts)."""
import datetime

from django.db.models import Sum

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType
from reporting.periods import month_add

from ..enums import GRID_FIELD
from .reporting import REPORTED

TREND_MONTHS = 13


def indicator_trend(*, scope: AdminScope, report_type: ReportType, period: datetime.date, indicator: str,
                    months: int = TREND_MONTHS) -> list[tuple[str, float | None]]:
    """(YYYY-MM, total of 本年本月) of `indicator` over the `months` months ending with `period`, summed
    over the scope's submitted and approved reports (one GROUP BY over the facts table)."""
    first = month_add(period, -(months - 1))
    totals = dict(IndicatorFact.objects.filter(scope.region_q("region_code"), definition_id=report_type.definition_id,
                                               period__gte=first, period__lte=period, field=GRID_FIELD,
                                               row=indicator, column="month", status__in=REPORTED)
                  .values("period").order_by("period").annotate(total=Sum("value")).values_list("period", "total"))
    out = []
    for k in range(months):
        month = month_add(first, k)
        value = totals.get(month)
        out.append((f"{month:%Y-%m}", float(value) if value is not None else None))
    return out
