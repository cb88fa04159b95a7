"""经济指标月报汇总查询 (SPEC §8.5): GROUP BY over the facts table, year on year.

Two aggregate queries, whatever the number of enterprises:
1. 企业数 — the month's reports (Submission) per group;
2. per group and indicator, over the `ytd` facts of the month and of the same month a year earlier:
   本月止累计 (SUM this month), 其中亏损 (COUNT of negative 利润总额 this month) and 去年同期累计 (SUM last
   year, of the same enterprises: those selected in step 1).
An enterprise's group is decided by its current profile (region, industry, holding type, size), so
both years of one enterprise fall in the same group. The status filter applies to both years.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from accounts.selectors import AdminScope
from reporting.models import IndicatorFact, ReportType, Submission
from reporting.periods import month_add

from ..enums import GRID_FIELD, PROFIT_ROW, YTD_COLUMN, Grouping
from ..indicators import growth, share
from .common import exclude_large_listed, group_expression, group_key, group_labels, sector_of


@dataclass
class SummaryGroup:
    key: str
    label: str
    enterprises: int = 0  # 企业数
    losses: int = 0  # 其中: 亏损
    current: dict = field(default_factory=dict)  # {indicator: 本月止累计}
    last: dict = field(default_factory=dict)  # {indicator: 去年同期累计}

    @property
    def loss_share(self) -> Decimal | None:
        """亏损面 (%)."""
        return share(self.losses, self.enterprises) if self.enterprises else Decimal("0.00")

    def growth(self, indicator: str) -> Decimal | None:
        return growth(self.current.get(indicator), self.last.get(indicator))


@dataclass
class Summary:
    period: datetime.date
    grouping: str
    indicators: list[str]
    groups: list[SummaryGroup]
    total: SummaryGroup


def _selected(qs, *, scope, status, exclude_large, exclude_disabled):
    """The scope and the enterprise filters, on any queryset with an `enterprise` (reports or facts)."""
    qs = qs.filter(scope.region_q("enterprise__region_code"))
    if status:
        qs = qs.filter(status=status)
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


def summary_compute(*, scope: AdminScope, report_type: ReportType, period: datetime.date, status: str = "",
                    grouping: str = Grouping.OVERALL, exclude_large: bool = False, exclude_disabled: bool = False,
                    indicators: list[str] | tuple[str, ...] = ()) -> Summary:
    """The summary of `period` for the scope, one SummaryGroup per group with reports, plus the total."""
    indicators = list(indicators)
    key, fold = _fine_key(grouping, scope)
    filters = dict(scope=scope, status=status, exclude_large=exclude_large, exclude_disabled=exclude_disabled)
    submissions = _selected(Submission.objects.filter(report_type=report_type, period=period), **filters)
    counts = dict(submissions.annotate(group=key).values("group").order_by("group")
                  .annotate(n=Count("enterprise")).values_list("group", "n"))
    last_year = month_add(period, -12)
    # One pass over both months' `ytd` facts. The facts carry their report's status, so the same
    # filters select this month exactly the reports counted above; last year's facts count only for
    # the enterprises selected this month. Only columns of the facts index are read (no COUNT(id)), so
    # PostgreSQL answers from the index alone.
    facts = _selected(IndicatorFact.objects.filter(
        definition_id=report_type.definition_id, period__in=[period, last_year], field=GRID_FIELD, column=YTD_COLUMN,
        row__in=sorted(set(indicators) | {PROFIT_ROW})), **filters)
    cells = (facts.filter(enterprise_id__in=submissions.values("enterprise_id"))
             .annotate(group=key).values("group", "row").order_by("group", "row")
             .annotate(total=Sum("value", filter=Q(period=period)),
                       negative=Count("enterprise", filter=Q(period=period, value__lt=0)),
                       last=Sum("value", filter=Q(period=last_year))))
    labels = group_labels(grouping, scope)
    groups: dict[str, SummaryGroup] = {}

    def group(k):
        k = group_key(fold(k))
        if k not in groups:
            groups[k] = SummaryGroup(key=k, label=labels.get(k, k))
        return groups[k]

    for k, n in counts.items():
        group(k).enterprises += n
    for item in cells:
        g = group(item["group"])
        if item["row"] in indicators:
            for target, value in ((g.current, item["total"]), (g.last, item["last"])):
                if value is not None:
                    target[item["row"]] = target.get(item["row"], 0) + value
        if item["row"] == PROFIT_ROW:
            g.losses += item["negative"]
    # A constant group key (综合) makes the ORM aggregate without GROUP BY: one row even with no data.
    groups = {k: g for k, g in groups.items() if g.enterprises}
    order = list(labels)
    ordered = sorted(groups.values(), key=lambda g: (order.index(g.key) if g.key in order else len(order), g.key))
    total = SummaryGroup(key="", label="")
    for g in ordered:
        total.enterprises += g.enterprises
        total.losses += g.losses
        for target, source in ((total.current, g.current), (total.last, g.last)):
            for indicator, value in source.items():
                target[indicator] = target.get(indicator, 0) + value
    return Summary(period=period, grouping=grouping, indicators=indicators, groups=ordered, total=total)
