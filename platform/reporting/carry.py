"""带入上期: what the indicator grid can prefill from the enterprise's APPROVED reports (issue 21 §1).

Only the columns a report restates from earlier approved data are carried; a period's own figures never
are (`selectors.PERIOD_FIGURE_TYPES`):

- last year's columns (`month_ly`, `ytd_ly`, `end_ly` roles of the definition's `analytics` block): the
  `month` / `ytd` / `end` cell of the approved report of the same period a year before;
- this year's cumulative column (`ytd`): last period's approved `ytd` + this period's `month` as typed
  (the first period of the year: = `month`), so it is a base plus a column of the same row.

The wizard fills only cells that are empty (`formdefs.forms.grid.GridAdapter`), marks them as carried
and the browser (formdefs/static/formdefs/grid_carry.js) keeps the cumulative cell live, offers ↺ and 采用.

Cleared cells (the rule): a wizard page lists the cells it showed with a carry in a hidden input
(`formdefs.forms.grid.CARRY_SHOWN`), posted and kept in the clerk's draft with the rest of the step. A listed cell that
comes back empty (本年1-本月: with 本月 typed) was cleared by the clerk: from that data it is never filled
again — on reload, a step and back, a refused post — and still offers ↺ / 采用.

The report keeps the marks too (`Submission.carry_cleared`): the wizard hands its draft's cleared cells to
`report_save` with every step it keeps, so they outlive the drafts that 上报, 退回 and other saves discard;
the wizard reads them back (`ReportOwner.grid_carry` marks those cells `CarriedCell.cleared`). The rule for
saves: only the clerk's wizard adds marks (an import, the API or an administrator sends no list, so an empty
cell there says nothing and leaves a mark as it is); any save that gives a cell a value removes its mark
(`carry_cleared_kept`). The task filing wizard (filing.owners) does not keep marks yet: its drafts' only.
"""
import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from analytics.definition import LAST_YEAR, version_analytics, versions_analytics
from formdefs.engine.numbers import answer_decimal
from formdefs.forms.grid import CarriedCell
from formdefs.forms.widgets import is_empty

from .enums import SubmissionStatus
from .models import ReportType, Submission
from .periods import month_add, period_previous
from .selectors import report_version


def _cell(answers: dict, analytics, row_id: str, role: str) -> Decimal | None:
    """One role's cell of a row in an approved report's answers (its own version's column ids)."""
    if analytics is None or not analytics.has_cell(row_id, role):
        return None
    cells = ((answers or {}).get(analytics.grid) or {}).get(row_id) or {}
    return answer_decimal(cells.get(analytics.column(role)))


def approved_source(period: datetime.date) -> str:
    """The source a carried cell names: 「2025-11 已审核」."""
    return _("%(period)s approved") % {"period": f"{period:%Y-%m}"}


def grid_carry_for(*, enterprise, report_type: ReportType, period: datetime.date, version=None) -> dict:
    """{cell path "grid.row.column": CarriedCell} for the grid of the report's definition (`version`, by
    default the current one); {} without an analytics block. One query for the approved reports."""
    version = version or report_version(report_type)
    analytics = version_analytics(version)
    if analytics is None:
        return {}
    last_year = month_add(period, -12)
    previous = period_previous(report_type.frequency, period)
    first_of_year = previous.year != period.year
    wanted = [last_year] if first_of_year else [last_year, previous]
    approved = {row["period"]: row for row in Submission.objects.filter(
        report_type=report_type, enterprise=enterprise, period__in=wanted, status=SubmissionStatus.APPROVED)
        .values("period", "answers", "version_id")}
    own = getattr(version, "pk", None)
    blocks = versions_analytics({row["version_id"] for row in approved.values()} - {own})
    blocks[own] = analytics
    carry = {}
    for row_id in analytics.row_ids:
        # Last year's columns: the approved report of the same period a year before.
        if last_year in approved:
            source = approved[last_year]
            for role, ly_role in LAST_YEAR.items():
                if not analytics.has_cell(row_id, ly_role):
                    continue
                value = _cell(source["answers"], blocks.get(source["version_id"]), row_id, role)
                if value is not None:
                    carry[f"{analytics.grid}.{row_id}.{analytics.column(ly_role)}"] = CarriedCell(
                        value=value, source=approved_source(last_year))
        # 本年1-本月: last period's approved cumulative + this period's own month (January: the month).
        if analytics.has_cell(row_id, "ytd") and analytics.has_cell(row_id, "month"):
            if first_of_year:
                base, source = Decimal(0), _("January: equals this month")
            elif previous in approved:
                row = approved[previous]
                base, source = _cell(row["answers"], blocks.get(row["version_id"]), row_id, "ytd"), approved_source(previous)
            else:
                base = None
            if base is not None:
                carry[f"{analytics.grid}.{row_id}.{analytics.column('ytd')}"] = CarriedCell(
                    value=None, source=source, base=base, month=analytics.column("month"))
    return carry


def carry_cleared_kept(kept, cleared, answers: dict) -> list:
    """The report's cleared carried cells after a save (`Submission.carry_cleared`): the ones it kept plus
    the ones the wizard says the clerk `cleared` (None: a save from elsewhere adds none), less every cell
    the saved `answers` hold a value in. Sorted, so the same marks store the same list."""
    def empty(path: str) -> bool:
        parts = path.split(".")
        if len(parts) != 3:
            return False
        cells = ((answers or {}).get(parts[0]) or {}).get(parts[1]) or {}
        return is_empty(cells.get(parts[2])) if isinstance(cells, dict) else False

    return sorted(path for path in {*(kept or ()), *(cleared or ())} if empty(str(path)))


#: How many approved months a sparkline shows, and how far back it looks for them.
TREND_MONTHS, TREND_LOOKBACK = 13, 36


def indicator_trends(*, enterprise, report_type: ReportType, period: datetime.date, version=None) -> dict:
    """The sparkline on focus (issue 21 §1): {"grid": id, "rows": {row id: {"label", "unit", "points":
    [[YYYY-MM, value], ...]}}} with each indicator's last 13 APPROVED months before `period`, oldest first
    (its `month` column; a stock its `end` column: `ReportAnalytics.trend_column`). One query on the
    facts table; {} without an analytics block."""
    from formdefs.engine.definition import localized
    from formdefs.engine.localize import unit_label

    from .models import IndicatorFact

    version = version or report_version(report_type)
    analytics = version_analytics(version)
    if analytics is None:
        return {}
    columns = {row_id: analytics.trend_column(row_id) for row_id in analytics.row_ids}
    columns = {row_id: column for row_id, column in columns.items() if column}
    facts = (IndicatorFact.objects.filter(
        enterprise=enterprise, definition_id=report_type.definition_id, field=analytics.grid,
        status=SubmissionStatus.APPROVED, period__lt=period, period__gte=month_add(period, -TREND_LOOKBACK),
        row__in=list(columns), column__in=set(columns.values())).order_by("-period").values_list("period", "row", "column", "value"))
    points = {row_id: [] for row_id in columns}
    for fact_period, row_id, column, value in facts:
        if column == columns[row_id] and len(points[row_id]) < TREND_MONTHS:
            points[row_id].append([f"{fact_period:%Y-%m}", float(value)])
    rows = {}
    for row in analytics.rows:
        if row["id"] in columns:
            rows[row["id"]] = {"label": localized(row), "unit": unit_label(row), "points": points[row["id"]][::-1]}
    return {"grid": analytics.grid, "rows": rows}
