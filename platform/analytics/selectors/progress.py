"""报送进度: the share of a region's monitored enterprises that reported / were approved for a month,
per child region, for the drill-down map (province → city → county) and the table beside it."""
import datetime
import pathlib
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, FilteredRelation, Q
from django.db.models.functions import Substr

from accounts.selectors import AdminScope
from regions.enums import RegionLevel
from regions.models import Region
from reporting.enums import SubmissionStatus as S
from reporting.models import ReportType
from reporting.selectors import report_type_enterprises_q

from .common import monitored_enterprises

# GeoJSON per parent region code (tools/echarts/geo/build_geo.py); 100000 is the whole country.
GEO_DIR = pathlib.Path(__file__).resolve().parents[1] / "static" / "analytics" / "geo"
NATIONAL_CODE = "100000"
REPORTED = (S.PENDING, S.APPROVED)
_CHILD_PREFIX = {None: 2, RegionLevel.PROVINCE: 4, RegionLevel.CITY: 6, RegionLevel.COUNTY: 6}


@dataclass
class RegionProgress:
    """One region's numbers: 监测企业 (filing the type), 已上报 (pending or approved), 审核通过."""

    code: str
    name: str
    registered: int = 0
    reported: int = 0
    approved: int = 0
    drillable: bool = False  # has child regions the page can open

    @property
    def reported_share(self) -> float:
        return round(100 * self.reported / self.registered, 1) if self.registered else 0.0

    @property
    def approved_share(self) -> float:
        return round(100 * self.approved / self.registered, 1) if self.registered else 0.0


@dataclass
class ReportingProgress:
    period: datetime.date
    region: Region | None  # None: the whole country
    trail: list = field(default_factory=list)  # [(code, name)] from the scope's region down to `region`
    rows: list = field(default_factory=list)  # RegionProgress per child region
    total: RegionProgress | None = None
    geo_code: str = ""  # the GeoJSON file naming the children's shapes ("" → bar chart instead)


def _region_in_scope(scope: AdminScope, code: str) -> Region | None:
    """The region the page shows: `code` if the scope contains it; PermissionDenied outside it."""
    own = scope.profile.region
    if not code or code == NATIONAL_CODE:
        if own is not None:
            return own
        return None
    region = Region.objects.filter(code=code).order_by("level").first()
    if region is None or (own is not None and region.level < own.level and own.code.startswith(region.prefix)):
        return own  # unknown, or above the scope (a link kept from a wider account): the scope's own region
    if not scope.contains_region(region):
        raise PermissionDenied
    return region


def reporting_progress(*, scope: AdminScope, report_type: ReportType, period: datetime.date,
                       region_code: str = "") -> ReportingProgress:
    """报送进度 of `region_code`'s child regions (default: the scope's region; a county shows itself).

    One GROUP BY over the monitored enterprises that file the type, keyed by the child's code prefix.
    """
    region = _region_in_scope(scope, region_code)
    level = region.level if region else None
    length = _CHILD_PREFIX[level]
    prefix = region.prefix if region else ""
    if level == RegionLevel.COUNTY:
        children = [region]
    elif region is None:
        children = list(Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code"))
    else:
        children = list(region.children.order_by("code"))
    grouped = (monitored_enterprises(scope).filter(report_type_enterprises_q(report_type),
                                                   region_code__startswith=prefix)
               .annotate(cur=FilteredRelation("submissions", condition=Q(submissions__report_type=report_type,
                                                                          submissions__period=period)))
               .annotate(area=Substr("region_code", 1, length)).values("area").order_by("area")
               .annotate(registered=Count("pk"), reported=Count("pk", filter=Q(cur__status__in=REPORTED)),
                         approved=Count("pk", filter=Q(cur__status=S.APPROVED))))
    counts = {row.pop("area"): row for row in grouped}
    with_children = set(Region.objects.filter(parent__in=[c for c in children if c.level < RegionLevel.COUNTY])
                        .values_list("parent_id", flat=True))
    rows, seen = [], set()
    for child in children:
        key = child.code[:length]
        if key in seen:
            continue
        seen.add(key)
        rows.append(RegionProgress(code=child.code, name=child.name, drillable=child.pk in with_children
                                   and child.level < RegionLevel.COUNTY, **counts.get(key, {})))
    for key in sorted(set(counts) - seen):  # enterprises whose code names no child region
        rows.append(RegionProgress(code=key, name=key, **counts[key]))
    total = RegionProgress(code=region.code if region else NATIONAL_CODE, name=region.name if region else "")
    for row in rows:
        total.registered += row.registered
        total.reported += row.reported
        total.approved += row.approved
    trail = []
    own = scope.profile.region
    node = region
    while node is not None:
        trail.append((node.code, node.name))
        if own is not None and node.pk == own.pk:
            break
        node = node.parent
    if own is None:
        trail.append((NATIONAL_CODE, ""))
    trail.reverse()
    geo_code = total.code if level != RegionLevel.COUNTY and (GEO_DIR / f"{total.code}.json").is_file() else ""
    return ReportingProgress(period=period, region=region, trail=trail, rows=rows, total=total, geo_code=geo_code)
