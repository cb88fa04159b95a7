"""The `analytics` block of a report definition (formdefs/README, "analytics"): which indicator grid the
queries and the summary read, which of its columns is 当月 / 累计 / 期末 and last year's counterparts,
which row is 利润总额 (for 亏损), and the products table. No Python constant names a grid, a column or
a row: everything here is read from the document of the report type's version.

A definition without the block has no indicators to summarise: `report_analytics` returns None and
the indicator queries say so (`NoIndicators`).
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from formdefs.models import FormVersion
from reporting.models import ReportType
from reporting.selectors import report_version

#: Roles of the grid's columns. Flow roles (`month`, `ytd`) are summed across enterprises, `ytd` is
#: 本月止累计; the stock role (`end`, 期末数) is summed across enterprises but never over months; the
#: `_ly` roles are the report's own statement of last year's figure for the same period.
ROLES = ("month", "ytd", "end", "month_ly", "ytd_ly", "end_ly")
LAST_YEAR = {"month": "month_ly", "ytd": "ytd_ly", "end": "end_ly"}


class NoIndicators(Exception):
    """The report type's definition has no `analytics` block: nothing to summarise."""

    def __init__(self, report_type: ReportType | None = None):
        self.report_type = report_type
        title = report_type.localized_title if report_type is not None else ""
        super().__init__(_("The report type “%(title)s” has no indicators to summarise (its definition has no "
                           "analytics block).") % {"title": title})

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class SummaryBasis:
    """How one indicator row enters the summary: `kind` "ytd" (the cumulative column of the month),
    "end" (the stock of the month) or "months" (no cumulative column: the sum of the year's months);
    `column` the grid column read, `last_year` the report's own last-year column (or None)."""

    kind: str
    column: str
    last_year: str | None


@dataclass(frozen=True)
class ReportAnalytics:
    """One version's analytics block, resolved against its grid (built once per version)."""

    grid: str
    columns: dict = field(default_factory=dict)  # role -> column id of the grid
    grid_columns: tuple = ()  # the grid's column specs (dicts), in their order
    rows: tuple = ()  # the grid's row specs (dicts), in their order
    profit_row: str | None = None
    products: str | None = None
    product_columns: tuple = ()  # the products table's column specs
    default_detail: tuple = ()
    default_summary: tuple = ()

    @property
    def row_ids(self) -> list[str]:
        return [r["id"] for r in self.rows]

    def column(self, role: str) -> str | None:
        return self.columns.get(role)

    def roles(self) -> list[str]:
        """The roles the grid has, in the grid's column order."""
        by_column = {column: role for role, column in self.columns.items()}
        return [by_column[c["id"]] for c in self.grid_columns if c["id"] in by_column]

    def row(self, row_id: str) -> dict | None:
        return next((r for r in self.rows if r["id"] == row_id), None)

    def row_columns(self, row_id: str) -> set[str]:
        """The column ids a row takes: its own `columns` list, else every column of the grid."""
        row = self.row(row_id)
        if row is None:
            return set()
        return set(row.get("columns") or [c["id"] for c in self.grid_columns])

    def has_cell(self, row_id: str, role: str) -> bool:
        column = self.columns.get(role)
        return column is not None and column in self.row_columns(row_id)

    def summary_basis(self, row_id: str) -> SummaryBasis | None:
        """本月止累计 of a row: its `ytd` cell; else its `end` cell (a stock, never accumulated); else the
        sum of its `month` cells from January (None when the row has none of them)."""
        for kind, role in (("ytd", "ytd"), ("end", "end"), ("months", "month")):
            if self.has_cell(row_id, role):
                ly = LAST_YEAR[role]
                return SummaryBasis(kind=kind, column=self.columns[role],
                                    last_year=self.columns[ly] if self.has_cell(row_id, ly) else None)
        return None

    def trend_column(self, row_id: str) -> str | None:
        """The column a monthly trend reads: the month's flow, else the stock, else the cumulative."""
        for role in ("month", "end", "ytd"):
            if self.has_cell(row_id, role):
                return self.columns[role]
        return None

    def default_indicators(self, use: str) -> list[str]:
        """The indicators shown when the user chose none (`use` "detail" or "summary"); every row when
        the block names none."""
        chosen = self.default_detail if use == "detail" else self.default_summary
        return list(chosen) if chosen else self.row_ids


def _fields(document: dict):
    for step in document.get("steps", []) or []:
        for section in step.get("sections", []) or []:
            yield from section.get("fields", []) or []


def analytics_of(document: dict | None) -> ReportAnalytics | None:
    """The block of a definition document, resolved against its fields (None without a block or grid)."""
    block = (document or {}).get("analytics")
    if not isinstance(block, dict) or not block.get("grid"):
        return None
    fields = {f.get("id"): f for f in _fields(document)}
    grid = fields.get(block["grid"]) or {}
    products = fields.get(block.get("products") or "") or {}
    defaults = block.get("default_indicators") or {}
    return ReportAnalytics(
        grid=block["grid"], columns={role: column for role, column in (block.get("columns") or {}).items()
                                     if role in ROLES},
        grid_columns=tuple(grid.get("columns", [])), rows=tuple(grid.get("rows", [])),
        profit_row=block.get("profit_row") or None, products=block.get("products") if products else None,
        product_columns=tuple(products.get("columns", [])),
        default_detail=tuple(defaults.get("detail", [])), default_summary=tuple(defaults.get("summary", [])))


#: {(version pk, checksum): ReportAnalytics | None}: a version's document never changes once published,
#: and a draft's checksum changes with its document.
_CACHE: dict[tuple[int, str], ReportAnalytics | None] = {}


def version_analytics(version: FormVersion | None) -> ReportAnalytics | None:
    """The analytics block of one version (cached per version and checksum)."""
    if version is None:
        return None
    key = (version.pk, version.checksum)
    if key not in _CACHE:
        _CACHE[key] = analytics_of(version.document)
    return _CACHE[key]


def versions_analytics(version_ids) -> dict[int, ReportAnalytics | None]:
    """{version id: its block} for several versions: one query for their checksums, documents only
    for versions not read before."""
    ids = set(version_ids)
    if not ids:
        return {}
    known = dict(FormVersion.objects.filter(pk__in=ids).values_list("pk", "checksum"))
    missing = [pk for pk, checksum in known.items() if (pk, checksum) not in _CACHE]
    for version in FormVersion.objects.filter(pk__in=missing).only("pk", "checksum", "document"):
        _CACHE[(version.pk, version.checksum)] = analytics_of(version.document)
    return {pk: _CACHE[(pk, checksum)] for pk, checksum in known.items()}


def report_analytics(report_type: ReportType | None) -> ReportAnalytics | None:
    """The block of the report type's current version (None: no indicators to summarise)."""
    if report_type is None or report_type.pk is None:
        return None
    return version_analytics(report_version(report_type))


def report_analytics_required(report_type: ReportType) -> ReportAnalytics:
    analytics = report_analytics(report_type)
    if analytics is None:
        raise NoIndicators(report_type)
    return analytics
