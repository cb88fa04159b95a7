"""报表类型 choice of the standard queries: the report types an administrator may query."""
from accounts.selectors import AdminScope
from formdefs.enums import VersionStatus
from formdefs.models import FormVersion
from reporting.models import ReportType
from reporting.selectors import report_type_in_region

from ..definition import version_analytics


def analytics_report_types(*, scope: AdminScope, indicators: bool = False) -> list[ReportType]:
    """The active report types of the queries' 报表类型 choice, directly filed ones first (then those
    filled through tasks only), each in creation order. With `indicators`, only the types whose
    current version has an `analytics` block (the indicator queries). Two queries."""
    types = [t for t in ReportType.objects.filter(is_active=True).select_related("definition")
             .order_by("by_task_only", "pk") if report_type_in_region(t, scope.region_prefix)]
    if not indicators:
        return types
    current = {}
    for version in (FormVersion.objects.filter(definition__in={t.definition_id for t in types},
                                               status=VersionStatus.PUBLISHED).order_by("definition_id", "-number")
                    .only("pk", "checksum", "definition_id", "number")):  # the document only when not cached
        current.setdefault(version.definition_id, version)
    return [t for t in types if version_analytics(current.get(t.definition_id)) is not None]


def analytics_report_type(*, types: list[ReportType], key: str | None = None) -> ReportType | None:
    """The type chosen by `key` among `types`; else the default: the first directly filed one, else the
    first one (None when `types` is empty)."""
    if key:
        chosen = next((t for t in types if t.key == key), None)
        if chosen is not None:
            return chosen
    return next((t for t in types if not t.by_task_only), types[0] if types else None)
