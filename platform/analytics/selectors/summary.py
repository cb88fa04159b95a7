"""经济指标月报汇总查询 (SPEC §8.5): GROUP BY over the facts table, year on year.

Three aggregate queries, whatever the number of enterprises:
1. 企业数 — the month's reports (Submission) per group;
2. 本月止累计 and 其中亏损 — the month's `ytd` facts per group and indicator (SUM, and COUNT of
   negative 利润总额);
3. 去年同期累计 — the `ytd` facts of the same month a year earlier, of the same enterprises (those
   selected in step 1), per group and indicator.
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
from .common import exclude_large_listed, group_expression, group_labels


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


def _facts(*, report_type, period, rows):
    return IndicatorFact.objects.filter(definition_id=report_type.definition_id, period=period, field=GRID_FIELD,
                                        column=YTD_COLUMN, row__in=rows)


def summary_compute(*, scope: AdminScope, report_type: ReportType, period: datetime.date, status: str = "",
                    grouping: str = Grouping.OVERALL, exclude_large: bool = False, exclude_disabled: bool = False,
                    indicators: list[str] | tuple[str, ...] = ()) -> Summary:
    """The summary of `period` for the scope, one SummaryGroup per group with reports, plus the total."""
    indicators = list(indicators)
    key = group_expression(grouping, scope)
    filters = dict(scope=scope, status=status, exclude_large=exclude_large, exclude_disabled=exclude_disabled)
    submissions = _selected(Submission.objects.filter(report_type=report_type, period=period), **filters)
    counts = dict(submissions.annotate(group=key).values("group").order_by("group")
                  .annotate(n=Count("pk")).values_list("group", "n"))
    rows = sorted(set(indicators) | {PROFIT_ROW})
    selected = submissions.values("enterprise_id")
    # The facts carry the report's status; the same filters select exactly the reports counted above.
    current = (_selected(_facts(report_type=report_type, period=period, rows=rows), **filters)
               .annotate(group=key).values("group", "row").order_by("group", "row")
               .annotate(total=Sum("value"), negative=Count("pk", filter=Q(value__lt=0))))
    last = (_facts(report_type=report_type, period=month_add(period, -12), rows=indicators)
            .filter(enterprise_id__in=selected, **({"status": status} if status else {}))
            .annotate(group=key).values("group", "row").order_by("group", "row")
            .annotate(total=Sum("value")))
    labels = group_labels(grouping, scope)
    groups: dict[str, SummaryGroup] = {}

    def group(k):
        k = k if k is not None else ""
        if k not in groups:
            groups[k] = SummaryGroup(key=k, label=labels.get(k, k))
        return groups[k]

    for k, n in counts.items():
        group(k).enterprises = n
    for item in current:
        g = group(item["group"])
        if item["row"] in indicators:
            g.current[item["row"]] = item["total"]
        if item["row"] == PROFIT_ROW:
            g.losses = item["negative"]
    for item in last:
        group(item["group"]).last[item["row"]] = item["total"]
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
