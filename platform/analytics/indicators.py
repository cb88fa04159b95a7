"""A report type's indicators as its definition's `analytics` block describes them (rows, column roles,
their line-up across versions), and the arithmetic of summaries (growth, shares), kept in one place so
pages, exports and tests agree."""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import pgettext

from formdefs.engine.localize import unit_label

from .definition import ReportAnalytics

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str

    @property
    def heading(self) -> str:
        """营业收入 (千元): the label with its unit, as exported."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class GridColumn:
    id: str
    label: str
    role: str = ""


def _label(item: dict) -> str:
    lang = translation.get_language() or "zh-hans"
    if not lang.startswith("zh") and item.get("label_en"):
        return item["label_en"]
    return item.get("label", item.get("id", ""))


def _indicator(row: dict) -> Indicator:
    return Indicator(id=row["id"], label=_label(row), unit=unit_label(row))


def indicators(analytics: ReportAnalytics | None) -> list[Indicator]:
    """The indicator rows of the block's grid, in the user's language (none without a block)."""
    return [_indicator(row) for row in analytics.rows] if analytics is not None else []


def grid_columns(analytics: ReportAnalytics | None) -> list[GridColumn]:
    """The grid's columns that have a role (本年本月, 本年1-本月, 上年本月, 上年1-本月, 期末数…), in the
    grid's order; computed columns (growth) have no role and are left out."""
    if analytics is None:
        return []
    by_column = {column: role for role, column in analytics.columns.items()}
    return [GridColumn(id=c["id"], label=_label(c), role=by_column[c["id"]]) for c in analytics.grid_columns
            if c["id"] in by_column and not c.get("expr")]


def product_columns(analytics: ReportAnalytics | None) -> list[GridColumn]:
    if analytics is None:
        return []
    return [GridColumn(id=c["id"], label=_label(c), role=c.get("type", "text")) for c in analytics.product_columns]


def absent_mark() -> str:
    """What a cell of an export says when the version of its report has no such indicator (never 0)."""
    return pgettext("analytics", "Not in this version")


@dataclass
class IndicatorLayout:
    """Indicator columns lined up across definition versions: by indicator id and by column role, so a
    report on a version without an indicator (or a column) gets `absent_mark()` there, never 0.

    `indicators` and `columns` are the current version's, in its order, followed by those only other
    versions have; `versions` maps each version id of the rows to its block."""

    indicators: list[Indicator]
    columns: list[GridColumn]
    versions: dict

    @property
    def mixed(self) -> bool:
        """Whether some version lacks a cell another has (then the export explains the mark)."""
        return any(self.absent(version_id, i.id, c.role) for version_id in self.versions
                   for i in self.indicators for c in self.columns)

    def absent(self, version_id, indicator: str, role: str) -> bool:
        analytics = self.versions.get(version_id)
        return (analytics is None or analytics.row(indicator) is None or analytics.column(role) is None)

    def cells(self) -> list[tuple[str, str, str]]:
        """(grid, row, column id) of every cell some version has: what the rows' SQL reads."""
        out = []
        for analytics in self.versions.values():
            if analytics is None:
                continue
            for i in self.indicators:
                for c in self.columns:
                    column = analytics.column(c.role)
                    if analytics.row(i.id) is not None and column is not None:
                        out.append((analytics.grid, i.id, column))
        return sorted(set(out))

    def values(self, version_id, read, indicators: list[Indicator] | None = None) -> list:
        """The row's cells for the chosen `indicators` (default all) × columns; `read(grid, row, column)`
        gives a stored value."""
        analytics = self.versions.get(version_id)
        out = []
        for i in indicators if indicators is not None else self.indicators:
            for c in self.columns:
                if self.absent(version_id, i.id, c.role):
                    out.append(absent_mark())
                elif not analytics.has_cell(i.id, c.role):
                    out.append(None)  # the row does not take this column: simply absent
                else:
                    out.append(number(read(analytics.grid, i.id, analytics.column(c.role))))
        return out


def indicator_layout(current: ReportAnalytics | None, versions: dict) -> IndicatorLayout:
    """The layout of rows whose versions are `versions` ({id: block}), the `current` block first."""
    blocks = [current, *[a for a in versions.values() if a is not None and a is not current]]
    found: dict[str, Indicator] = {}
    columns: dict[str, GridColumn] = {}
    for analytics in blocks:
        if analytics is None:
            continue
        for row in analytics.rows:
            found.setdefault(row["id"], _indicator(row))
        for column in grid_columns(analytics):
            columns.setdefault(column.role, column)
    return IndicatorLayout(indicators=list(found.values()), columns=list(columns.values()), versions=dict(versions))


def growth(current, last) -> Decimal | None:
    """同比增长 (%): two decimals, None (blank) when last year is zero or absent."""
    if last is None or current is None:
        return None
    last, current = Decimal(last), Decimal(current)
    if last == 0:
        return None
    return ((current - last) * HUNDRED / last).quantize(CENT, rounding=ROUND_HALF_UP)


def share(part, whole) -> Decimal | None:
    """A percentage with two decimals; None when the whole is zero."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}%"


def number(value):
    """A cell value of the answers as a number (None for blanks and text)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def month_label(period: datetime.date) -> str:
    return f"{period:%Y-%m}"
