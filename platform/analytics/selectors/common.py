"""What every query shares: the administrator's scope, its child regions, the enterprises and reports
it may see, and the group keys of summaries (SQL expressions over the enterprise profile)."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone

from accounts.selectors import AdminScope, admin_scope
from enterprises.enums import RegistrationStatus
from enterprises.models import Enterprise
from regions.enums import INDUSTRIAL_SECTIONS, SECONDARY_SECTIONS, EnterpriseSize, Sector
from regions.models import HoldingType, Industry, Region
from reporting.enums import SubmissionStatus
from reporting.models import ReportType, Submission

from ..enums import Grouping


def analytics_scope(user) -> AdminScope:
    """The scope of an administrator running the standard queries; PermissionDenied for anyone else."""
    scope = admin_scope(user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


# -- regions ----------------------------------------------------------------------------------

_PREFIX_LENGTH = {None: 2, 1: 4, 2: 6, 3: 6}
_CHILD_LEVEL = {None: 1, 1: 2, 2: 3, 3: 3}


def child_prefix_length(scope: AdminScope) -> int:
    """Length of the region-code prefix that names the scope's child regions (2, 4 or 6)."""
    own = scope.profile.region
    return _PREFIX_LENGTH[own.level if own else None]


def child_regions(scope: AdminScope) -> dict[str, str]:
    """{prefix: name} of the regions one level below the scope's (a county: itself)."""
    own = scope.profile.region
    level = own.level if own else None
    length = _PREFIX_LENGTH[level]
    regions = [own] if level == 3 else scope.regions().filter(level=_CHILD_LEVEL[level]).order_by("code")
    names: dict[str, str] = {}
    for region in regions:
        names.setdefault(region.code[:length], region.name)
    return names


def region_names(codes) -> dict[str, str]:
    """{six-digit code: 浙江省 宁波市 海曙区} for enterprise rows (one query)."""
    codes = set(codes)
    wanted = set()
    for code in codes:
        wanted.update({code[:2] + "0000", code[:4] + "00", code})
    names: dict[tuple[str, int], str] = {}
    for region in Region.objects.filter(code__in=wanted).only("code", "name", "level"):
        names[(region.code, region.level)] = region.name
    out = {}
    for code in codes:
        parts = [names.get((code[:2] + "0000", 1)), names.get((code[:4] + "00", 2)), names.get((code, 3))]
        out[code] = " ".join(p for p in parts if p)
    return out


def region_label(names: dict[str, str], prefix: str) -> str:
    return names.get(prefix) or prefix


# -- enterprises and reports ------------------------------------------------------------------

def scoped_enterprises(scope: AdminScope) -> QuerySet[Enterprise]:
    """Registered (approved) enterprises of the scope, enabled or not."""
    return Enterprise.objects.filter(scope.region_q("region_code"), status=RegistrationStatus.APPROVED)


def monitored_enterprises(scope: AdminScope) -> QuerySet[Enterprise]:
    """监测企业: approved, enabled enterprises of the scope."""
    return scoped_enterprises(scope).filter(is_disabled=False)


def scoped_submissions(scope: AdminScope, report_type: ReportType) -> QuerySet[Submission]:
    return Submission.objects.filter(scope.region_q("enterprise__region_code"), report_type=report_type)


def latest_approved_period(scope: AdminScope, report_type: ReportType) -> datetime.date | None:
    """The latest period with an approved report of `report_type` in the scope (None: none yet), the
    month the indicator and count queries open on."""
    return (scoped_submissions(scope, report_type).filter(status=SubmissionStatus.APPROVED)
            .order_by("-period").values_list("period", flat=True).first())


def exclude_large_listed(qs: QuerySet, prefix: str = "enterprise__") -> QuerySet:
    """剔除大型和上市企业."""
    return qs.exclude(**{f"{prefix}size": EnterpriseSize.LARGE}).exclude(**{f"{prefix}is_listed": True})


def deadline_end(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` (23:59:59.999999) in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


# -- group keys -------------------------------------------------------------------------------

def sector_expression(prefix: str = "enterprise__"):
    return Case(When(**{f"{prefix}industry_section": "A"}, then=Value(Sector.PRIMARY.value)),
                When(**{f"{prefix}industry_section__in": sorted(SECONDARY_SECTIONS)}, then=Value(Sector.SECONDARY.value)),
                default=Value(Sector.TERTIARY.value), output_field=CharField())


def sector_of(section: str | None) -> str:
    """The sector of an industry section, as `sector_expression` decides it in SQL (no industry: tertiary)."""
    if section == "A":
        return Sector.PRIMARY.value
    if section in SECONDARY_SECTIONS:
        return Sector.SECONDARY.value
    return Sector.TERTIARY.value


def group_expression(grouping: str, scope: AdminScope, prefix: str = "enterprise__"):
    """The SQL expression whose value names an enterprise's group (its current profile decides)."""
    if grouping == Grouping.HOLDING:  # the id itself: a cast per row costs a summary ~15 % (group_key makes it text)
        return F(f"{prefix}holding_type_id")
    if grouping == Grouping.INDUSTRY:  # the denormalised section: no join to the industry table
        return F(f"{prefix}industry_section")
    if grouping == Grouping.REGION:
        return Substr(f"{prefix}region_code", 1, child_prefix_length(scope))
    if grouping == Grouping.SIZE:
        return F(f"{prefix}size")
    if grouping == Grouping.SECTOR:
        return sector_expression(prefix)
    return Value("", output_field=CharField())


def group_key(value) -> str:
    """The text key of a value of `group_expression` (labels are keyed by text)."""
    return "" if value is None else str(value)


def group_labels(grouping: str, scope: AdminScope) -> dict[str, str]:
    """{group key: label}, in display order."""
    if grouping == Grouping.HOLDING:
        return {str(h.pk): h.name for h in HoldingType.objects.order_by("code")}
    if grouping == Grouping.INDUSTRY:
        return {i.section: f"{i.section} {i.name}" for i in Industry.objects.filter(parent__isnull=True).order_by("code")}
    if grouping == Grouping.REGION:
        return child_regions(scope)
    if grouping == Grouping.SIZE:
        return {value: str(label) for value, label in EnterpriseSize.choices}
    if grouping == Grouping.SECTOR:
        return {value: str(label) for value, label in Sector.choices}
    return {"": ""}


def is_industrial_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}industry__section__in": sorted(INDUSTRIAL_SECTIONS)})
