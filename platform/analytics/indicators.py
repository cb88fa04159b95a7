"""The monthly report's indicators as the form definition describes them, and the arithmetic of
summaries (growth, shares), kept in one place so pages, exports and tests agree."""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from reporting.models import ReportType
from reporting.selectors import report_version

from .enums import GRID_FIELD, PRODUCTS_FIELD

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


def _label(item: dict) -> str:
    lang = translation.get_language() or "zh-hans"
    if not lang.startswith("zh") and item.get("label_en"):
        return item["label_en"]
    return item.get("label", item.get("id", ""))


def _fields(report_type: ReportType):
    version = report_version(report_type)
    document = version.document if version is not None else {}
    for step in document.get("steps", []):
        for section in step.get("sections", []):
            yield from section.get("fields", [])


def _field(report_type: ReportType, field_id: str) -> dict:
    return next((f for f in _fields(report_type) if f.get("id") == field_id), {})


def indicators(report_type: ReportType) -> list[Indicator]:
    """The grid rows of the report type's current version, in the user's language."""
    return [Indicator(id=row["id"], label=_label(row), unit=row.get("unit", ""))
            for row in _field(report_type, GRID_FIELD).get("rows", [])]


def grid_columns(report_type: ReportType) -> list[GridColumn]:
    """本年本月, 本年1-本月, 上年本月, 上年1-本月 (the computed growth column is left out)."""
    return [GridColumn(id=c["id"], label=_label(c)) for c in _field(report_type, GRID_FIELD).get("columns", [])
            if not c.get("computed") and c["id"] in ("month", "ytd", "ly_month", "ly_ytd")]


def product_columns(report_type: ReportType) -> list[GridColumn]:
    return [GridColumn(id=c["id"], label=_label(c)) for c in _field(report_type, PRODUCTS_FIELD).get("columns", [])]


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
