"""经济指标月报汇总查询 (SPEC §8.5): GROUP BY over the facts table, year on year over comparable enterprises.

Two aggregate queries, whatever the number of enterprises:
1. 企业数 — the month's reports (Submission) per group;
2. per group and indicator, over the month's `ytd` and `ly_ytd` facts and last year's approved `ytd`
   facts: 本月止累计 (SUM this month), 其中亏损 (COUNT of negative 利润总额 this month), 去年同期累计 and
   可比企业数 (below).

Year on year compares like with like (issue 22 §6, as DHIS2 and statistical practice do): an
enterprise's last-year figure for an indicator is its own report's 上年1-本月 where it filled it, else
the 本年1-本月 of its approved report of the same month a year earlier. Growth is computed over the
enterprises that have both this year's and a last-year figure (去年同期累计 and the growth's own
本月止累计 are sums over that comparable set); enterprises with neither are left out of the growth and
counted: 可比企业数 is the number of the month's enterprises with a last-year figure for at least one
of the summary's indicators. 本月止累计 itself stays the sum over all the month's enterprises.

An enterprise's group is decided by its current profile (region, industry, holding type, size), so
both years of one enterprise fall in the same group. The status filter applies to this month's
reports; last year's figure comes from the report itself or from an approved report, whatever the filter.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Count, DecimalField, F, Max, Q, Sum, Value
from django.db.models.functions import Coalesce

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType, Submission
from reporting.periods import month_add
from reporting.enums import SubmissionStatus

from ..definition import ReportAnalytics, report_analytics_required
from ..enums import Grouping
from ..indicators import growth, share
from .common import exclude_large_listed, group_expression, group_key, group_labels, sector_of

#: The facts table's precision (DecimalField(decimal_places=6)): raw SQLite sums come back as floats.
_PLACES = Decimal("0.000001")


@dataclass
class SummaryGroup:
    key: str
    label: str
    enterprises: int = 0  # 企业数
    comparable: int = 0  # 可比企业数: enterprises with a last-year figure
    losses: int = 0  # 其中: 亏损
    current: dict = field(default_factory=dict)  # {indicator: 本月止累计} over all the month's enterprises
    last: dict = field(default_factory=dict)  # {indicator: 去年同期累计} over the comparable enterprises
    current_comparable: dict = field(default_factory=dict)  # {indicator: 本月止累计} of the same comparable enterprises

    @property
    def loss_share(self) -> Decimal | None:
        """亏损面 (%)."""
        return share(self.losses, self.enterprises) if self.enterprises else Decimal("0.00")

    def growth(self, indicator: str) -> Decimal | None:
        """同比增长 (%) over the enterprises with both years' figures of `indicator`."""
        return growth(self.current_comparable.get(indicator), self.last.get(indicator))


@dataclass
class Summary:
    period: datetime.date
    grouping: str
    indicators: list[str]
    groups: list[SummaryGroup]
    total: SummaryGroup


def _enterprise_filters(qs, *, scope, exclude_large, exclude_disabled):
    """The scope and the enterprise filters, on any queryset with an `enterprise` (reports or facts)."""
    qs = qs.filter(scope.region_q("enterprise__region_code"))
    if exclude_large:
        qs = exclude_large_listed(qs)
    if exclude_disabled:
        qs = qs.filter(enterprise__is_disabled=False)
    return qs


def _fine_key(grouping: str, scope: AdminScope):
    """(SQL group key, fold): what the summary's two queries group by, and the function that maps one
    of its values to the group's key. By sector the queries group by industry section, and the
    sections fold into the three sectors here: a CASE for each of the month's facts costs the summary
    ~10 % (bench/summary.py). The other groupings fold nothing."""
    if grouping == Grouping.SECTOR:
        return group_expression(Grouping.INDUSTRY, scope), sector_of
    return group_expression(grouping, scope), lambda value: value


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(_PLACES)


def _cells(cells, indicators: list[str]) -> list[tuple]:
    """Fold the per-enterprise cells into (group, row, 本月止累计, its comparable part, 去年同期累计,
    negatives, None) per group and row, plus (group, None, ..., 可比企业数) per group: one statement,
    one read of the facts (the CTE is read twice, the facts once). Portable SQL (PostgreSQL, SQLite):
    the ORM cannot group over a grouped subquery. 可比企业数 groups by enterprise rather than COUNT
    (DISTINCT): a hash, not a sort, on PostgreSQL."""
    db = cells.db
    inner, params = cells.query.get_compiler(using=db).as_sql()
    last = "COALESCE(own_ly, approved_ly)"
    chosen = ", ".join(["%s"] * len(indicators)) or "NULL"
    sql = (f"WITH cells AS ({inner}) "
           f"SELECT grp, cell, SUM(cur), SUM(CASE WHEN {last} IS NOT NULL THEN cur END), "
           f"SUM(CASE WHEN cur IS NOT NULL THEN {last} END), COUNT(CASE WHEN cur < 0 THEN 1 END), NULL "
           f"FROM cells GROUP BY grp, cell "
           f"UNION ALL "
           f"SELECT grp, NULL, NULL, NULL, NULL, NULL, COUNT(*) FROM (SELECT grp, ent FROM cells "
           f"WHERE cur IS NOT NULL AND {last} IS NOT NULL AND cell IN ({chosen}) GROUP BY grp, ent) comparable "
           f"GROUP BY grp")
    with connections[db].cursor() as cursor:
        cursor.execute(sql, (*params, *indicators))
        return cursor.fetchall()


def _any(conditions: list[Q]) -> Q | None:
    out = None
    for condition in conditions:
        out = condition if out is None else out | condition
    return out


def _cell_filters(analytics: ReportAnalytics, rows: list[str], period: datetime.date, last_year: datetime.date):
    """What each enterprise's cells read, from the block: per row its `SummaryBasis`.

    Returns (columns, periods, months rows, single, summed): the columns and periods the facts query
    needs, the rows summed over the year's months, and for the single-period rows (ytd, end) and the
    summed rows each a dict of Q conditions {"cur", "own_ly", "approved_ly"} (None where no row needs
    it). A row filter is left out where one basis covers every row (the monthly report: one CASE per
    aggregate, as before the block)."""
    january, last_january = period.replace(month=1), last_year.replace(month=1)
    bases: dict[tuple, list[str]] = {}
    for row in rows:
        basis = analytics.summary_basis(row)
        if basis is not None:
            bases.setdefault((basis.kind == "months", basis.column, basis.last_year), []).append(row)
    columns, periods, months_rows = set(), {period, last_year}, []
    single = {"cur": [], "own_ly": [], "approved_ly": []}
    summed = {"cur": [], "own_ly": [], "approved_ly": []}
    whole = len(bases) == 1
    for (months, column, last_column), members in bases.items():
        of_rows = Q() if whole else Q(row__in=members)
        columns.add(column)
        if last_column:
            columns.add(last_column)
        if months:
            months_rows += members
            this_year, a_year_ago = Q(period__gte=january, period__lte=period), Q(period__gte=last_january, period__lte=last_year)
            periods.update(month_add(january, k) for k in range(period.month))
            periods.update(month_add(last_january, k) for k in range(last_year.month))
            target = summed
        else:
            this_year, a_year_ago, target = Q(period=period), Q(period=last_year), single
        target["cur"].append(of_rows & this_year & Q(column=column))
        if last_column:
            target["own_ly"].append(of_rows & this_year & Q(column=last_column))
        target["approved_ly"].append(of_rows & a_year_ago & Q(column=column))
    return (sorted(columns), sorted(periods), months_rows, {k: _any(v) for k, v in single.items()},
            {k: _any(v) for k, v in summed.items()})


def _aggregate(single: Q | None, summed: Q | None):
    """An enterprise's value of a cell: MAX over its one fact of the period (single-period rows), SUM over
    the year's months (summed rows); a row is of one kind only, so at most one is not NULL."""
    parts = ([Max("value", filter=single)] if single is not None else []) + \
            ([Sum("value", filter=summed)] if summed is not None else [])
    if not parts:  # no row has such a column
        return Value(None, output_field=DecimalField(max_digits=24, decimal_places=6))
    return parts[0] if len(parts) == 1 else Coalesce(*parts)


def summary_compute(*, scope: AdminScope, report_type: ReportType, period: datetime.date, status: str = "",
                    grouping: str = Grouping.OVERALL, exclude_large: bool = False, exclude_disabled: bool = False,
                    indicators: list[str] | tuple[str, ...] = ()) -> Summary:
    """The summary of `period` for the scope, one SummaryGroup per group with reports, plus the total.

    The report type's `analytics` block says where the indicators are (NoIndicators without one): the
    grid, per row its cumulative (`ytd`), stock (`end`, the period's own value, never summed over
    months) or monthly (`month`, summed from January) column and the report's own last-year column,
    and the row whose negative value is 亏损."""
    analytics = report_analytics_required(report_type)
    indicators = list(indicators)
    profit = analytics.profit_row
    key, fold = _fine_key(grouping, scope)
    filters = dict(scope=scope, exclude_large=exclude_large, exclude_disabled=exclude_disabled)
    submissions = _enterprise_filters(Submission.objects.filter(report_type=report_type, period=period), **filters)
    if status:
        submissions = submissions.filter(status=status)
    counts = dict(submissions.annotate(group=key).values("group").order_by("group")
                  .annotate(n=Count("enterprise")).values_list("group", "n"))
    last_year = month_add(period, -12)
    # One read of the facts: this month's cumulative (or stock) and own last-year cells (the facts carry
    # their report's status, so the same filters select exactly the reports counted above) and last
    # year's approved cells of the enterprises selected this month; rows without a cumulative or stock
    # column read every month of the year instead. Grouped per enterprise and indicator first, so that
    # each enterprise's last-year figure is its own 上年 column or else last year's report, and only
    # enterprises with both years count in the growth; then per group. An enterprise has one fact per
    # cell and month (one report per period), so MAX is its value: on PostgreSQL MAX(numeric) keeps a
    # plain value per group where SUM keeps an aggregate state (1.7 MB against 7.4 MB of hash table
    # per 6,400 cells). Only columns of the facts index are read (no COUNT(id)), so PostgreSQL can
    # answer from the index alone.
    rows = sorted(set(indicators) | ({profit} if profit else set()))
    columns, periods, months_rows, single, summed = _cell_filters(analytics, rows, period, last_year)
    selected = submissions.values("enterprise_id")
    this_month = Q(period=period, status=status) if status else Q(period=period)
    if months_rows:  # the year's earlier months of the same enterprises, under the same status filter
        earlier = Q(period__gte=period.replace(month=1), period__lt=period, row__in=months_rows,
                    enterprise_id__in=selected)
        this_month |= earlier & Q(status=status) if status else earlier
    approved_last_year = Q(status=SubmissionStatus.APPROVED, enterprise_id__in=selected) & (
        _any([q for q in (single["approved_ly"], summed["approved_ly"]) if q is not None]) or Q(pk__in=[]))
    facts = _enterprise_filters(IndicatorFact.objects.filter(
        definition_id=report_type.definition_id, period__in=periods if months_rows else [period, last_year],
        field=analytics.grid, column__in=columns, row__in=rows)
        .filter(this_month | approved_last_year), **filters)
    cells = (facts.annotate(grp=key, ent=F("enterprise_id"), cell=F("row")).values("grp", "ent", "cell").order_by()
             .annotate(cur=_aggregate(single["cur"], summed["cur"]),
                       own_ly=_aggregate(single["own_ly"], summed["own_ly"]),
                       approved_ly=_aggregate(single["approved_ly"], summed["approved_ly"])))
    labels = group_labels(grouping, scope)
    groups: dict[str, SummaryGroup] = {}

    def group(k):
        k = group_key(fold(k))
        if k not in groups:
            groups[k] = SummaryGroup(key=k, label=labels.get(k, k))
        return groups[k]

    for k, n in counts.items():
        group(k).enterprises += n
    for grp, row, total, total_comparable, last, negative, comparable in _cells(cells, indicators):
        g = group(grp)
        if row is None:
            g.comparable += comparable
            continue
        if row in indicators:
            for target, value in ((g.current, total), (g.current_comparable, total_comparable), (g.last, last)):
                if value is not None:
                    target[row] = target.get(row, 0) + _decimal(value)
        if profit and row == profit:
            g.losses += negative
    groups = {k: g for k, g in groups.items() if g.enterprises}
    order = list(labels)
    ordered = sorted(groups.values(), key=lambda g: (order.index(g.key) if g.key in order else len(order), g.key))
    total = SummaryGroup(key="", label="")
    for g in ordered:
        total.enterprises += g.enterprises
        total.comparable += g.comparable
        total.losses += g.losses
        for target, source in ((total.current, g.current), (total.current_comparable, g.current_comparable),
                               (total.last, g.last)):
            for indicator, value in source.items():
                target[indicator] = target.get(indicator, 0) + value
    return Summary(period=period, grouping=grouping, indicators=indicators, groups=ordered, total=total)
