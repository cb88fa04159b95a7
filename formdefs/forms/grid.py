"""The indicator grid's adapter (rows of indicators × columns) and 带入上期: the carried values the owner knows
for cells left empty (`CarriedCell`), shown, kept live and never refilled once the clerk cleared a cell.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..engine.definition import localized
from ..engine.localize import unit_label
from ..types import row_inputs, row_takes
from .adapters import FieldAdapter
from .widgets import is_empty, jsonable, peek_number


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number_text(value: Decimal) -> str:
    """A number as an input holds it: 5616, 12.5, -3 (no exponent, no trailing zeros)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


#: The hidden input listing the grid cells a page showed a carried value in (带入上期, "ind.revenue.ly_month ...").
#: It is posted with the step, so the draft keeps it with the step's data: a listed cell that comes back
#: empty was cleared by the clerk and is never carried into again from that data (`GridAdapter.carry_cleared`).
CARRY_SHOWN = "fd_carry_shown"


@dataclass(frozen=True)
class CarriedCell:
    """A value the owner knows for a grid cell left empty (带入上期, `reporting.carry`): `value`, or
    `base` plus the same row's `month` column as it stands (本年1-本月 = 上月累计 + 本月); `source` says
    where it comes from (「2025-11 已审核」). `cleared`: the owner keeps the cell as cleared by the clerk
    (e.g. `Submission.carry_cleared`, across 上报 and 退回): it stays empty while nothing is typed in it."""

    value: Decimal | None
    source: str
    base: Decimal | None = None
    month: str = ""
    cleared: bool = False

    def value_with(self, month) -> Decimal | None:
        if self.base is None:
            return self.value
        number = _decimal(month)
        return None if number is None else self.base + number


class GridAdapter(FieldAdapter):
    """Indicator grid: rows of indicators × columns; input cells `<id>__<row>__<col>`."""

    template = "formdefs/fields/grid.html"

    def name(self, row_id: str, col_id: str) -> str:
        return f"{self.id}__{row_id}__{col_id}"

    def to_answer(self, cleaned: dict) -> dict:
        value = {}
        for row in self.spec.get("rows", []):
            cells = {}
            for column in row_inputs(self.spec, row):
                cell = jsonable(cleaned.get(self.name(row["id"], column["id"])))
                if not is_empty(cell):
                    cells[column["id"]] = cell
            if cells:
                value[row["id"]] = cells
        return {self.id: value} if value else {}

    def to_initial(self, answers: dict) -> dict:
        initial = {}
        for row_id, cells in (answers.get(self.id) or {}).items():
            for col_id, cell in (cells or {}).items():
                initial[self.name(row_id, col_id)] = cell
        return initial

    def peek(self, data) -> dict:
        value = {}
        for row in self.spec.get("rows", []):
            cells = {}
            for column in row_inputs(self.spec, row):
                number = peek_number(data.get(self.name(row["id"], column["id"])))
                if number is not None:
                    cells[column["id"]] = number
            if cells:
                value[row["id"]] = cells
        return {self.id: value} if value else {}

    def with_carry(self, answers: dict, carry: dict, hidden: frozenset) -> dict:
        """Empty cells of visible rows take their carried value, as `rows` renders them (computed columns
        such as 累计同比 then read them on the first render)."""
        mine = {path: cell for path, cell in carry.items() if path.startswith(f"{self.id}.")}
        if not mine or self.id in hidden:
            return answers
        grid = {row: dict(cells) for row, cells in (answers.get(self.id) or {}).items()}
        for path, cell in mine.items():
            _grid, row_id, col_id = path.split(".")
            cells = grid.get(row_id, {})
            if f"{self.id}.{row_id}" in hidden or not is_empty(cells.get(col_id)):
                continue
            value = cell.value_with(cells.get(cell.month) if cell.month else None)
            if value is not None:
                grid.setdefault(row_id, {})[col_id] = float(value)
        return {**answers, self.id: grid}

    def carry_cleared(self, data, carry: dict) -> frozenset:
        """Cells of this grid the clerk cleared: the page that posted `data` showed them with a carry
        (listed in CARRY_SHOWN), they came back empty, and there was a value to carry (本年1-本月: 本月 was
        posted). Data without the list (an import, the API, a test's post) clears nothing. Cells the owner
        keeps as cleared (`CarriedCell.cleared`) stay so while posted empty, and without `data` (a page
        shown from the saved answers, no draft: they hold nothing there)."""
        mine = {path for path, cell in carry.items() if cell.cleared and path.startswith(f"{self.id}.")}
        if data is None:
            return frozenset(mine)
        if not hasattr(data, "getlist"):
            return frozenset()
        cleared = set()
        for path in {p for listed in data.getlist(CARRY_SHOWN) for p in str(listed).split()} | mine:
            cell, parts = carry.get(path), path.split(".")
            if cell is None or len(parts) != 3 or parts[0] != self.id:
                continue
            name = self.name(parts[1], parts[2])
            if name not in self.fields or name not in data or not is_empty(data.get(name)):
                continue  # not posted (a row hidden meanwhile) or holding a value
            if cell.value_with(data.get(self.name(parts[1], cell.month)) if cell.month else None) is not None:
                cleared.add(path)
        return frozenset(cleared)

    def carried_input(self, form, name: str, row_id: str, cell: CarriedCell, cleared: bool = False,
                      shown: list | None = None) -> str:
        """A carried cell's input: an empty one holds the carried value (so a post without the script
        stores what it shows) unless the clerk cleared it; data attributes tell grid_carry.js the value,
        its source, that it was cleared and, for 本年1-本月, the base and the month input it adds. A cell with
        a value to show goes on `shown` (CARRY_SHOWN; the script adds a 本年1-本月 it fills later)."""
        bound = form[name]
        month = self.name(row_id, cell.month) if cell.month else ""
        expected = cell.value_with(form[month].value() if month in self.fields else None)
        attrs = {"data-fd-carry-source": cell.source}
        if expected is not None:
            attrs["data-fd-carry"] = number_text(expected)
            if shown is not None:
                shown.append(f"{self.id}.{row_id}.{name.rsplit('__', 1)[1]}")
        if cell.base is not None and month in self.fields:
            attrs.update({"data-fd-carry-base": number_text(cell.base), "data-fd-carry-month": month})
        if cleared:
            attrs["data-fd-carry-cleared"] = "1"
        if expected is None or cleared or not is_empty(bound.value()):
            return bound.as_widget(attrs=attrs)
        attrs = bound.build_widget_attrs({**attrs, "data-fd-carry-unsaved": "1"})
        if bound.auto_id and "id" not in bound.field.widget.attrs:
            attrs.setdefault("id", bound.auto_id)
        return bound.field.widget.render(name=bound.html_name, value=number_text(expected), attrs=attrs,
                                         renderer=form.renderer)

    def hide(self, hidden: frozenset) -> None:
        for row in self.spec.get("rows", []):
            if self.id in hidden or f"{self.id}.{row['id']}" in hidden:
                for column in row_inputs(self.spec, row):
                    self.fields[self.name(row["id"], column["id"])].required = False

    def context(self, form, hidden, computed) -> dict:
        context = super().context(form, hidden, computed)
        shown = []
        context.update(columns=self.columns, rows=self.rows(form, hidden, computed, shown), carry_shown=" ".join(shown))
        # The list's input is there whenever the grid knows a carry: the script adds the cells it fills.
        if any(path.startswith(f"{self.id}.") for path in getattr(form, "carry", None) or {}):
            context["carry_shown_name"] = CARRY_SHOWN
        return context

    def rows(self, form, hidden, computed: dict, shown: list | None = None) -> list:
        """Rows with their cells already rendered: a grid has ~100 cells, and doing the per-cell
        work here rather than in template tags keeps a step with a grid about as cheap to render
        as a hand-written form with the same inputs (bench/wizard_step.py)."""
        errors = form.errors if form.is_bound else {}
        carry = getattr(form, "carry", None) or {}
        cleared = getattr(form, "carry_cleared", None) or frozenset()
        out = []
        for row in self.spec.get("rows", []):
            row_hidden = self.id in hidden or f"{self.id}.{row['id']}" in hidden
            cells = []
            for column in self.spec.get("columns", []):
                if column.get("expr"):
                    path = f"{self.id}.{row['id']}.{column['id']}"
                    cells.append(format_html('<td class="fd-computed-cell" data-label="{}"><output data-fd-computed="{}">{}</output></td>',
                                             localized(column), path, computed.get(path, "")))
                    continue
                if not row_takes(row, column):
                    cells.append(format_html('<td class="fd-na-cell" data-label="{}"><span aria-hidden="true">—</span>'
                                             '<span class="fd-sr-only">{}</span></td>',
                                             localized(column), _("%(label)s: not applicable") % {"label": f"{localized(row)} · {localized(column)}"}))
                    continue
                name = self.name(row["id"], column["id"])
                cell_errors = errors.get(name) or []
                path = f"{self.id}.{row['id']}.{column['id']}"
                carried = None if row_hidden else carry.get(path)
                # data-label: the column's name above the input when a phone shows the row as a card (wizard.css).
                cells.append(format_html('<td{} data-label="{}">{}{}</td>', mark_safe(' class="has-error"') if cell_errors else "",
                                         localized(column),
                                         form[name] if carried is None else self.carried_input(form, name, row["id"], carried, path in cleared, shown),
                                         format_html_join("", '<p class="error" role="alert">{}</p>', ((e,) for e in cell_errors))))
            node = f"{self.id}.{row['id']}"
            out.append({"node": node, "hidden": node in hidden, "label": localized(row), "unit": unit_label(row),
                        "required": bool(row.get("required")), "help": localized(row, "help"), "cells": mark_safe("".join(cells))})
        return out

    @property
    def columns(self) -> list:
        return [localized(c) for c in self.spec.get("columns", [])]
