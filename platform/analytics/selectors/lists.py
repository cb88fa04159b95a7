"""Row-per-enterprise and row-per-report queries: 企业基本信息, 未报送企业, 企业信息变更, 经济指标月报明细,
产品产销存 (SPEC §8.1–8.4, 8.6). Every queryset starts from the administrator's scope."""
import datetime

from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT

from accounts.selectors import AdminScope
from enterprises.models import Enterprise
from reminders.selectors import non_reporters
from reporting.enums import ChangeStatus
from reporting.models import InformationChange, ReportType, Submission
from reporting.enums import NOT_FILLED

from ..enums import ChangeFilter, UserState
from .common import scoped_enterprises, scoped_submissions


def _search(qs: QuerySet, query: str, prefix: str = "") -> QuerySet:
    query = (query or "").strip()
    if not query:
        return qs
    return qs.filter(Q(**{f"{prefix}name__icontains": query}) | Q(**{f"{prefix}credit_code__istartswith": query})
                     | Q(**{f"{prefix}user__username__icontains": query}))


def enterprise_list(*, scope: AdminScope, region: str = "", state: str = "", query: str = "",
                    administrator: str = "") -> QuerySet[Enterprise]:
    """企业基本信息查询: the scope's registered enterprises; `state` 启用/停用; `administrator` the
    login name of the direct reviewer (地方管理员)."""
    qs = scoped_enterprises(scope)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if state == UserState.ENABLED:
        qs = qs.filter(is_disabled=False)
    elif state == UserState.DISABLED:
        qs = qs.filter(is_disabled=True)
    if administrator.strip():
        qs = qs.filter(direct_reviewer__user__username__icontains=administrator.strip())
    return (_search(qs, query).select_related("user", "holding_type", "registration_type",
                                              "direct_reviewer__user")
            .order_by("region_code", "name", "pk"))


def unfiled_list(*, scope: AdminScope, report_type: ReportType, period: datetime.date, region: str = "",
                 status: str = "") -> QuerySet[Enterprise]:
    """未报送企业查询: the month's non-reporters (编辑, 冻结, 解除冻结, 退回, 未填报) of the scope, as the
    reminders use them; `status` one of those (NOT_FILLED for 未填报)."""
    qs = non_reporters(scope=scope, report_type=report_type, period=period)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if status == NOT_FILLED:
        qs = qs.filter(report_status__isnull=True)
    elif status:
        qs = qs.filter(report_status=status)
    return qs


def change_list(*, scope: AdminScope, period: datetime.date | None, status: str = "", region: str = "",
                query: str = "") -> QuerySet[InformationChange]:
    """企业信息变更查询: information changes of the scope's enterprises recorded by a report of `period`."""
    qs = InformationChange.objects.filter(scope.region_q("enterprise__region_code"))
    if period is not None:
        qs = qs.filter(submission__period=period)
    if region:
        qs = qs.filter(enterprise__region_code__startswith=region)
    if status == ChangeFilter.PENDING:
        qs = qs.filter(status__in=(ChangeStatus.PENDING, ChangeStatus.HELD))
    elif status == ChangeFilter.APPROVED:
        qs = qs.filter(status__in=(ChangeStatus.APPROVED, ChangeStatus.AUTO_APPROVED))
    elif status == ChangeFilter.RETURNED:
        qs = qs.filter(status=ChangeStatus.RETURNED)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(enterprise__name__icontains=query) | Q(after__name__icontains=query)
                       | Q(enterprise__user__username__icontains=query) | Q(enterprise__credit_code__istartswith=query))
    return qs.select_related("enterprise__user", "submission").order_by("-submission__period", "enterprise__region_code", "pk")


def cell_key(grid: str, indicator: str, column: str) -> str:
    return f"v_{grid}_{indicator}_{column}"


def detail_list(*, scope: AdminScope, report_type: ReportType, period: datetime.date, last: datetime.date | None = None,
                region: str = "", industry: str = "", status: str = "", entry_method: str = "",
                cells: list[tuple[str, str, str]] = ()) -> QuerySet[Submission]:
    """经济指标月报明细查询: the reports of `period` (or of the months `period` to `last`) of the scope;
    each `(grid, indicator, column)` of `cells` is read from the answers in SQL (annotation
    `cell_key(...)`), so no JSON is parsed in Python."""
    qs = scoped_submissions(scope, report_type)
    qs = qs.filter(period__gte=period, period__lte=last) if last else qs.filter(period=period)
    if region:
        qs = qs.filter(enterprise__region_code__startswith=region)
    if industry:
        qs = qs.filter(enterprise__industry__section=industry)
    if status:
        qs = qs.filter(status=status)
    if entry_method:
        qs = qs.filter(entry_method=entry_method)
    annotations = {cell_key(g, i, c): KT(f"answers__{g}__{i}__{c}") for g, i, c in cells}
    return (qs.annotate(**annotations)
            .select_related("enterprise__user", "enterprise__industry", "enterprise__holding_type",
                            "enterprise__registration_type")
            .defer("answers", "issues", "explanation")
            .order_by("period", "enterprise__region_code", "enterprise__name", "pk"))


def detail_versions(reports: QuerySet[Submission]) -> list[int]:
    """The definition versions the reports were filled on (one query)."""
    return sorted(set(reports.order_by().values_list("version_id", flat=True).distinct()))


def product_list(*, scope: AdminScope, report_type: ReportType, period: datetime.date, status: str = "",
                 query: str = "") -> QuerySet[Submission]:
    """产品产销存月报查询: the month's reports of the scope that list products."""
    qs = scoped_submissions(scope, report_type).filter(period=period)
    if status:
        qs = qs.filter(status=status)
    return (_search(qs, query, prefix="enterprise__").select_related("enterprise__user")
            .order_by("enterprise__region_code", "enterprise__name", "pk"))
