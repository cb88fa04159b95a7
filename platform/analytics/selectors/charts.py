"""Data of the administrator home's charts (ECharts)."""
import datetime

from django.db.models import Count, Sum

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType
from reporting.periods import month_add

from ..definition import report_analytics
from .reporting import REPORTED

TREND_MONTHS = 13


def indicator_trend(*, scope: AdminScope, report_type: ReportType, period: datetime.date, indicator: str,
                    months: int = TREND_MONTHS) -> list[tuple[str, float | None]]:
    """(YYYY-MM, total) points of `indicator_trend_comparable` (the same enterprises every month)."""
    return indicator_trend_comparable(scope=scope, report_type=report_type, period=period, indicator=indicator,
                                      months=months)[0]


def indicator_trend_comparable(*, scope: AdminScope, report_type: ReportType, period: datetime.date, indicator: str,
                               months: int = TREND_MONTHS) -> tuple[list[tuple[str, float | None]], int]:
    """The 13-month trend of `indicator` counting like with like (issue 21 §4): (YYYY-MM, total of
    本年本月) over the `months` months ending with `period`, summed over the same enterprises every
    month: those of the scope with a submitted or approved report in every month of the window that has
    any (a month nobody reported stays blank). Raw sums of whoever has reported so far would make the
    current month drop while reports come in. Returns (points, number of enterprises in the set).
    The block of the report type says where: the row's month column, else its stock (期末数), else its
    cumulative value. Two GROUP BYs over the facts table."""
    first = month_add(period, -(months - 1))
    analytics = report_analytics(report_type)
    column = analytics.trend_column(indicator) if analytics is not None else None
    totals, count = {}, 0
    if column is not None:
        facts = IndicatorFact.objects.filter(
            scope.region_q("region_code"), definition_id=report_type.definition_id, period__gte=first,
            period__lte=period, field=analytics.grid, row=indicator, column=column, status__in=REPORTED)
        present = facts.values("period").distinct().count()
        same = (facts.values("enterprise_id").annotate(n=Count("period", distinct=True)).filter(n=present)
                .values_list("enterprise_id", flat=True))
        same = list(same)
        count = len(same)
        totals = dict(facts.filter(enterprise_id__in=same).values("period").order_by("period")
                      .annotate(total=Sum("value")).values_list("period", "total"))
    out = []
    for k in range(months):
        month = month_add(first, k)
        value = totals.get(month)
        out.append((f"{month:%Y-%m}", float(value) if value is not None else None))
    return out, count
