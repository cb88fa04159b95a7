"""Counting reports: 报送龙虎榜, 年度报送明细查询, 年度报送企业数统计, 月度报送情况分析 (SPEC §8.7–8.10).

Each count is one GROUP BY (conditional COUNTs) over enterprises joined to the month's report.
"""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import ExtractMonth, Substr

from accounts.selectors import AdminScope
from enterprises.models import Enterprise
from regions.enums import INDUSTRIAL_SECTIONS, SECONDARY_SECTIONS, EnterpriseSize
from reporting.models import ReportType, Submission
from reporting.enums import SubmissionStatus as S

from ..enums import AGRICULTURE_SECTION, CONSTRUCTION_SECTION, RankBy
from ..indicators import share
from .common import (child_prefix_length, child_regions, deadline_end, exclude_large_listed, group_expression,
                     group_key, group_labels, monitored_enterprises, scoped_submissions)

#: 已上报: submitted (待审核) or approved.
REPORTED = (S.PENDING, S.APPROVED)
SMALL_MICRO = (EnterpriseSize.SMALL, EnterpriseSize.MICRO)
BELOW_SCALE_REVENUE_THOUSANDS = 20_000  # 规模以下工业: revenue under 20 million yuan (revenue in 千元)


def _with_month(qs: QuerySet, report_type: ReportType, period: datetime.date) -> QuerySet:
    return qs.annotate(cur=FilteredRelation(
        "submissions", condition=Q(submissions__report_type=report_type, submissions__period=period)))


# -- 报送龙虎榜 ----------------------------------------------------------------------------------

LEADERBOARD_STATUSES = ("pending", "returned", "editing", "approved", "frozen", "unfrozen")


@dataclass
class LeaderboardRow:
    rank: int
    key: str
    name: str
    monitored: int = 0  # 监测企业数
    pending: int = 0  # 等待审核
    returned: int = 0  # 退回
    editing: int = 0  # 编辑
    approved: int = 0  # 审核通过
    frozen: int = 0  # 冻结
    unfrozen: int = 0  # 解冻


def leaderboard(*, scope: AdminScope, report_type: ReportType, period: datetime.date, deadline: datetime.date,
                by: str = RankBy.REGION) -> list[LeaderboardRow]:
    """报送龙虎榜: per child region (or per direct reviewer in the scope's subtree), the monitored
    enterprises and their reports of `period` by status; 待审核 and 审核通过 count only reports submitted
    by the end of `deadline` (on time); ranked by approved reports, then reports waiting, then name."""
    end = deadline_end(deadline)
    qs = _with_month(monitored_enterprises(scope), report_type, period)
    on_time = Q(cur__submitted_at__lte=end)
    counts = dict(
        monitored=Count("pk"),
        pending=Count("pk", filter=Q(cur__status=S.PENDING) & on_time),
        returned=Count("pk", filter=Q(cur__status=S.RETURNED)),
        editing=Count("pk", filter=Q(cur__status=S.EDITING)),
        approved=Count("pk", filter=Q(cur__status=S.APPROVED) & on_time),
        frozen=Count("pk", filter=Q(cur__status=S.FROZEN)),
        unfrozen=Count("pk", filter=Q(cur__status=S.UNFROZEN)),
    )
    if by == RankBy.ADMINISTRATOR:
        admins = {p.pk: p.user.username for p in scope.administrators()}
        qs = qs.filter(direct_reviewer_id__in=list(admins))
        grouped = qs.values("direct_reviewer_id").order_by("direct_reviewer_id").annotate(**counts)
        rows = [LeaderboardRow(rank=0, key=str(item.pop("direct_reviewer_id")), name="", **item) for item in grouped]
        for row in rows:
            row.name = admins.get(int(row.key), row.key)
    else:
        names = child_regions(scope)
        length = child_prefix_length(scope)
        grouped = (qs.annotate(area=Substr("region_code", 1, length)).values("area").order_by("area")
                   .annotate(**counts))
        rows = [LeaderboardRow(rank=0, key=item.pop("area"), name="", **item) for item in grouped]
        for row in rows:
            row.name = names.get(row.key, row.key)
    rows.sort(key=lambda r: (-r.approved, -r.pending, r.name))
    for index, row in enumerate(rows, 1):
        row.rank = index
    return rows


# -- 年度报送明细查询 --------------------------------------------------------------------------

def year_enterprises(*, scope: AdminScope, report_type: ReportType, region: str = "", first: datetime.date | None = None,
                     last: datetime.date | None = None, months: int = 0) -> QuerySet[Enterprise]:
    """Monitored enterprises of the scope (and region); with `first`/`last`, only those whose reports
    of every month from `first` to `last` (`months` of them) are approved."""
    qs = monitored_enterprises(scope)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if first and last:
        approved = (Submission.objects.filter(report_type=report_type, period__gte=first, period__lte=last,
                                              status=S.APPROVED)
                    .values("enterprise_id").order_by("enterprise_id").annotate(n=Count("pk"))
                    .filter(n=months).values("enterprise_id"))
        qs = qs.filter(pk__in=approved)
    return qs.select_related("user").order_by("region_code", "name", "pk")


def year_statuses(*, report_type: ReportType, enterprise_ids, year: int) -> dict[int, dict[int, str]]:
    """{enterprise id: {month: status}} of the enterprises' reports of `year` (one query)."""
    out: dict[int, dict[int, str]] = {}
    for enterprise_id, period, status in (Submission.objects.filter(report_type=report_type,
                                                                    enterprise_id__in=list(enterprise_ids),
                                                                    period__year=year)
                                          .values_list("enterprise_id", "period", "status")):
        out.setdefault(enterprise_id, {})[period.month] = status
    return out


# -- 年度报送企业数统计 ------------------------------------------------------------------------

@dataclass
class YearCountRow:
    key: str
    name: str
    months: list[int] = field(default_factory=lambda: [0] * 12)

    @property
    def total(self) -> int:
        return sum(self.months)


def year_counts(*, scope: AdminScope, report_type: ReportType, year: int, approved_only: bool = False) -> list[YearCountRow]:
    """Per child region, the reports of each month of `year` (submitted or approved; approved only on
    request); the first row is the total (合计)."""
    length = child_prefix_length(scope)
    qs = scoped_submissions(scope, report_type).filter(period__year=year)
    qs = qs.filter(status=S.APPROVED) if approved_only else qs.filter(status__in=REPORTED)
    grouped = (qs.annotate(area=Substr("enterprise__region_code", 1, length), month=ExtractMonth("period"))
               .values("area", "month").order_by("area", "month").annotate(n=Count("pk")))
    names = child_regions(scope)
    rows = {key: YearCountRow(key=key, name=name) for key, name in names.items()}
    for item in grouped:
        row = rows.setdefault(item["area"], YearCountRow(key=item["area"], name=item["area"]))
        row.months[item["month"] - 1] = item["n"]
    total = YearCountRow(key="", name="")
    for row in rows.values():
        total.months = [a + b for a, b in zip(total.months, row.months)]
    return [total, *sorted(rows.values(), key=lambda r: r.key)]


# -- 月度报送情况分析 --------------------------------------------------------------------------

def reported_by(*, scope: AdminScope, report_type: ReportType, period: datetime.date, deadline: datetime.date,
                exclude_large: bool = False, approved_only: bool = False) -> QuerySet[Submission]:
    """The month's reports submitted by the end of `deadline` (approved ones only on request)."""
    qs = scoped_submissions(scope, report_type).filter(period=period, submitted_at__lte=deadline_end(deadline),
                                                       enterprise__is_disabled=False)
    qs = qs.filter(status=S.APPROVED) if approved_only else qs.filter(status__in=REPORTED)
    return exclude_large_listed(qs) if exclude_large else qs


@dataclass
class ShareRow:
    label: str
    count: int
    share: Decimal | None
    heading: bool = False


@dataclass
class CompositeAnalysis:
    total: int
    industrial: int
    sections: list[tuple[str, list[ShareRow]]]


def analysis_composite(*, scope: AdminScope, report_type: ReportType, period: datetime.date, deadline: datetime.date,
                       exclude_large: bool = False) -> CompositeAnalysis:
    """综合分析: the reporting enterprises by economic type, size, region, sector and industrial class."""
    from django.utils.translation import gettext as _

    from ..enums import Grouping

    qs = reported_by(scope=scope, report_type=report_type, period=period, deadline=deadline, exclude_large=exclude_large)
    totals = qs.aggregate(total=Count("pk"), industrial=Count(
        "pk", filter=Q(enterprise__industry__section__in=sorted(INDUSTRIAL_SECTIONS))),
        manufacturing=Count("pk", filter=Q(enterprise__industry__section="C")))
    total = totals["total"]
    sections = []
    for grouping, title in ((Grouping.HOLDING, _("By economic type")), (Grouping.SIZE, _("Analysis by enterprise size")),
                            (Grouping.REGION, _("Analysis by region")), (Grouping.SECTOR, _("Analysis by sector"))):
        labels = group_labels(grouping, scope)
        counts = dict(qs.annotate(group=group_expression(grouping, scope)).values("group").order_by("group")
                      .annotate(n=Count("pk")).values_list("group", "n"))
        counts = {group_key(k): n for k, n in counts.items()}
        rows = [ShareRow(label=labels.get(k, k), count=counts.get(k, 0), share=share(counts.get(k, 0), total))
                for k in [*labels, *sorted(set(counts) - set(labels))] if counts.get(k)]
        sections.append((title, rows))
    industrial = totals["industrial"]
    sections.append((_("By industrial class"), [
        ShareRow(label=_("Industrial enterprises"), count=industrial, share=share(industrial, total)),
        ShareRow(label=_("of which manufacturing"), count=totals["manufacturing"], share=share(totals["manufacturing"], total)),
        ShareRow(label=_("Non-industrial enterprises"), count=total - industrial, share=share(total - industrial, total)),
    ]))
    return CompositeAnalysis(total=total, industrial=industrial, sections=sections)


@dataclass
class SizeRow:
    key: str
    name: str
    approved: int = 0  # 当月审核通过企业报送数
    previous: int = 0  # last month's
    small_micro: int = 0
    industrial: int = 0
    below_scale: int = 0
    industrial_small_micro: int = 0
    construction: int = 0
    agriculture: int = 0
    tertiary: int = 0

    @property
    def change(self) -> int:  # 比上月增加企业户数
        return self.approved - self.previous

    @property
    def small_micro_share(self):
        return share(self.small_micro, self.approved)

    @property
    def industrial_share(self):
        return share(self.industrial, self.approved)

    @property
    def below_scale_share(self):  # of industrial
        return share(self.below_scale, self.industrial)

    @property
    def industrial_small_micro_share(self):  # of industrial
        return share(self.industrial_small_micro, self.industrial)

    @property
    def construction_share(self):
        return share(self.construction, self.approved)

    @property
    def agriculture_share(self):
        return share(self.agriculture, self.approved)

    @property
    def tertiary_share(self):
        return share(self.tertiary, self.approved)


SIZE_FIELDS = ("approved", "small_micro", "industrial", "below_scale", "industrial_small_micro", "construction",
               "agriculture", "tertiary")


def analysis_size(*, scope: AdminScope, report_type: ReportType, period: datetime.date, deadline: datetime.date,
                  previous_deadline: datetime.date, exclude_large: bool = False) -> list[SizeRow]:
    """规模分布上报情况分析: per child region, approved reports of the month (by `deadline`) and of the
    month before (by `previous_deadline`), with the shares of small and micro, industrial, below-scale
    industrial, construction, agriculture and tertiary enterprises; the last row is the total."""
    from reporting.periods import month_add

    length = child_prefix_length(scope)
    industrial = Q(enterprise__industry__section__in=sorted(INDUSTRIAL_SECTIONS))
    small = Q(enterprise__size__in=SMALL_MICRO)
    below = industrial & (Q(enterprise__revenue_last_year__lt=BELOW_SCALE_REVENUE_THOUSANDS)
                          | Q(enterprise__revenue_last_year__isnull=True))
    tertiary = ~Q(enterprise__industry__section__in=sorted(SECONDARY_SECTIONS | {AGRICULTURE_SECTION}))
    counts = dict(approved=Count("pk"), small_micro=Count("pk", filter=small), industrial=Count("pk", filter=industrial),
                  below_scale=Count("pk", filter=below), industrial_small_micro=Count("pk", filter=industrial & small),
                  construction=Count("pk", filter=Q(enterprise__industry__section=CONSTRUCTION_SECTION)),
                  agriculture=Count("pk", filter=Q(enterprise__industry__section=AGRICULTURE_SECTION)),
                  tertiary=Count("pk", filter=tertiary))
    this = (reported_by(scope=scope, report_type=report_type, period=period, deadline=deadline,
                        exclude_large=exclude_large, approved_only=True)
            .annotate(area=Substr("enterprise__region_code", 1, length)).values("area").order_by("area")
            .annotate(**counts))
    before = dict(reported_by(scope=scope, report_type=report_type, period=month_add(period, -1),
                              deadline=previous_deadline, exclude_large=exclude_large, approved_only=True)
                  .annotate(area=Substr("enterprise__region_code", 1, length)).values("area").order_by("area")
                  .annotate(n=Count("pk")).values_list("area", "n"))
    names = child_regions(scope)
    rows = {key: SizeRow(key=key, name=name) for key, name in names.items()}
    for item in this:
        area = item.pop("area")
        row = rows.setdefault(area, SizeRow(key=area, name=area))
        for key, value in item.items():
            setattr(row, key, value)
    for area, n in before.items():
        rows.setdefault(area, SizeRow(key=area, name=area)).previous = n
    ordered = sorted(rows.values(), key=lambda r: r.key)
    total = SizeRow(key="", name="")
    for row in ordered:
        for key in (*SIZE_FIELDS, "previous"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return [*ordered, total]


