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
from django.db.models import Count, F, Max, Q

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType, Submission
from reporting.periods import month_add
from reporting.enums import SubmissionStatus

from ..enums import GRID_FIELD, LY_YTD_COLUMN, PROFIT_ROW, YTD_COLUMN, Grouping
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


def summary_compute(*, scope: AdminScope, report_type: ReportType, period: datetime.date, status: str = "",
                    grouping: str = Grouping.OVERALL, exclude_large: bool = False, exclude_disabled: bool = False,
                    indicators: list[str] | tuple[str, ...] = ()) -> Summary:
    """The summary of `period` for the scope, one SummaryGroup per group with reports, plus the total."""
    indicators = list(indicators)
    key, fold = _fine_key(grouping, scope)
    filters = dict(scope=scope, exclude_large=exclude_large, exclude_disabled=exclude_disabled)
    submissions = _enterprise_filters(Submission.objects.filter(report_type=report_type, period=period), **filters)
    if status:
        submissions = submissions.filter(status=status)
    counts = dict(submissions.annotate(group=key).values("group").order_by("group")
                  .annotate(n=Count("enterprise")).values_list("group", "n"))
    last_year = month_add(period, -12)
    # One read of the facts: this month's `ytd` and `ly_ytd` (the facts carry their report's status,
    # so the same filters select exactly the reports counted above) and last year's approved `ytd` of
    # the enterprises selected this month. Grouped per enterprise and indicator first, so that each
    # enterprise's last-year figure is its own 上年1-本月 or else last year's report, and only
    # enterprises with both years count in the growth; then per group. An enterprise has one fact per
    # cell and month (one report per period), so MAX is its value: on PostgreSQL MAX(numeric) keeps a
    # plain value per group where SUM keeps an aggregate state (1.7 MB against 7.4 MB of hash table
    # per 6,400 cells). Only columns of the facts index are read (no COUNT(id)), so PostgreSQL can
    # answer from the index alone.
    this_month = Q(period=period, status=status) if status else Q(period=period)
    approved_last_year = Q(period=last_year, column=YTD_COLUMN, status=SubmissionStatus.APPROVED,
                           enterprise_id__in=submissions.values("enterprise_id"))
    facts = _enterprise_filters(IndicatorFact.objects.filter(
        definition_id=report_type.definition_id, period__in=[period, last_year], field=GRID_FIELD,
        column__in=[YTD_COLUMN, LY_YTD_COLUMN], row__in=sorted(set(indicators) | {PROFIT_ROW}))
        .filter(this_month | approved_last_year), **filters)
    cells = (facts.annotate(grp=key, ent=F("enterprise_id"), cell=F("row")).values("grp", "ent", "cell").order_by()
             .annotate(cur=Max("value", filter=Q(period=period, column=YTD_COLUMN)),
                       own_ly=Max("value", filter=Q(period=period, column=LY_YTD_COLUMN)),
                       approved_ly=Max("value", filter=Q(period=last_year))))
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
        if row == PROFIT_ROW:
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
