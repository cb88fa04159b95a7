"""Adapters: how one definition field maps to Django form fields, answers and the answer schema.

The builder (`builder.FormBuilder`) creates one adapter per field; a new field type usually reuses
one of these classes with its own Django fields and answer schema.
"""
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ..engine.definition import localized
from ..engine.localize import label_names_unit, unit_label
from ..types import field_type, row_inputs, row_takes
from .widgets import is_empty, jsonable, peek_number


class FieldAdapter:
    """One definition field: its Django fields (`fields`), answer schema and conversions."""

    template = "formdefs/fields/simple.html"
    has_answer = True

    def __init__(self, spec: dict, fields: dict | None = None, schema: dict | None = None, peek=None):
        self.spec = spec
        self.id = spec["id"]
        self.type = spec["type"]
        self.fields = fields or {}
        self.schema = schema
        self._peek = peek
        self.number = None

    @property
    def label(self) -> str:
        return localized(self.spec)

    @property
    def help(self) -> str:
        return localized(self.spec, "help")

    def answer_schema(self) -> dict:
        """The field type's answers (`formdefs.types`): the engine reads the same schema."""
        return field_type(self.spec).answer_schema(self.spec)

    def to_answer(self, cleaned: dict) -> dict:
        value = jsonable(cleaned.get(self.id))
        return {} if is_empty(value) else {self.id: value}

    def to_initial(self, answers: dict) -> dict:
        value = answers.get(self.id)
        if value is None:
            return {}
        if isinstance(value, bool):
            value = "true" if value else "false"
        return {self.id: value}

    def peek(self, data) -> dict:
        """Lenient answers from raw POST data, for deciding visibility before validation."""
        if self.id not in data:
            return {}
        raw = data.getlist(self.id) if self.type == "multichoice" else data.get(self.id)
        value = self._peek(raw) if self._peek else raw
        return {} if is_empty(value) else {self.id: value}

    def hide(self, hidden: frozenset) -> None:
        """Hidden fields and rows are not required (and their answers are dropped)."""
        if self.id in hidden:
            for field in self.fields.values():
                field.required = False

    def clean(self, cleaned: dict, add_error) -> None:
        """Checks spanning several Django fields of this adapter (e.g. 'other, please specify')."""

    def with_carry(self, answers: dict, carry: dict, hidden: frozenset) -> dict:
        """`answers` with the carried values the page shows in empty cells (only grids carry)."""
        return answers

    def carry_cleared(self, data, carry: dict) -> frozenset:
        """The carried cells the clerk cleared, read from posted (or draft) `data` (only grids carry)."""
        return frozenset()

    def context(self, form, hidden: frozenset, computed: dict) -> dict:
        """What the field's template needs."""
        main = form[self.id] if self.id in self.fields else None
        label, unit = self.label, unit_label(self.spec)
        if label_names_unit(label, unit):
            unit = ""  # the label already says it: 上年末营业收入(千元)
        return {"template": self.template, "id": self.id, "type": self.type, "label": label, "help": self.help,
                "unit": unit, "required": bool(self.spec.get("required")), "number": self.number,
                "hidden": self.id in hidden, "width": self.spec.get("width", ""), "field": main,
                "errors": [e for name in self.fields for e in form.errors.get(name, [])] if form.is_bound else [],
                "value": computed.get(self.id, ""), "text": localized(self.spec, "text")}


class ChoiceAdapter(FieldAdapter):
    """Single or multiple choice; an option with `specify: true` asks for `<id>_other` text."""

    template = "formdefs/fields/choice.html"

    @property
    def specify_values(self) -> set:
        return {o["value"] for o in self.spec.get("options", []) if o.get("specify")}

    @property
    def other_name(self) -> str:
        return f"{self.id}_other"

    def to_answer(self, cleaned: dict) -> dict:
        answer = super().to_answer(cleaned)
        chosen = answer.get(self.id)
        chosen = set(chosen) if isinstance(chosen, list) else {chosen}
        text = (cleaned.get(self.other_name) or "").strip()
        if chosen & self.specify_values and text:
            answer[self.other_name] = text
        return answer

    def to_initial(self, answers: dict) -> dict:
        initial = super().to_initial(answers)
        if answers.get(self.other_name):
            initial[self.other_name] = answers[self.other_name]
        return initial

    def clean(self, cleaned: dict, add_error) -> None:
        chosen = cleaned.get(self.id)
        chosen = set(chosen or []) if isinstance(chosen, list) else {chosen}
        if self.specify_values and chosen & self.specify_values and not (cleaned.get(self.other_name) or "").strip():
            add_error(self.other_name, _("%(label)s: please specify.") % {"label": self.label})

    def context(self, form, hidden, computed) -> dict:
        context = super().context(form, hidden, computed)
        context.update(other=form[self.other_name] if self.other_name in self.fields else None,
                       specify=sorted(self.specify_values), per_row=self.spec.get("options_per_row", 0),
                       select=self.spec.get("widget") == "select")
        return context


class CascadeAdapter(FieldAdapter):
    template = "formdefs/fields/cascade.html"

    def __init__(self, spec, fields, schema, source, levels):
        super().__init__(spec, fields, schema)
        self.source, self.levels = source, levels

    def context(self, form, hidden, computed) -> dict:
        context = super().context(form, hidden, computed)
        value = form[self.id].value() or ""
        context.update(selects=self.selects(str(value)), url=self.source.url)
        return context

    def selects(self, value: str) -> list:
        """One (options, selected) pair per level, for server-side rendering of a chosen value."""
        chain = self.source.chain(value) if value else []
        parents = [""] + chain
        levels = []
        for depth in range(self.levels):
            parent = parents[depth] if depth < len(parents) else None
            options = self.source.children(parent) if parent is not None and (depth == 0 or parent) else []
            levels.append({"options": options, "selected": chain[depth] if depth < len(chain) else ""})
        return levels


class MatrixAdapter(FieldAdapter):
    """Matrix single / multiple / fill-in: one Django field per row named `<id>__<row>`."""

    template = "formdefs/fields/matrix.html"

    def name(self, row_id: str) -> str:
        return f"{self.id}__{row_id}"

    def to_answer(self, cleaned: dict) -> dict:
        value = {}
        for row in self.spec.get("rows", []):
            cell = jsonable(cleaned.get(self.name(row["id"])))
            if not is_empty(cell):
                value[row["id"]] = cell
        return {self.id: value} if value else {}

    def to_initial(self, answers: dict) -> dict:
        value = answers.get(self.id) or {}
        return {self.name(row): cell for row, cell in value.items()}

    def peek(self, data) -> dict:
        value = {}
        for row in self.spec.get("rows", []):
            name = self.name(row["id"])
            raw = data.getlist(name) if self.type == "matrix_multiple" else data.get(name)
            if not is_empty(raw):
                value[row["id"]] = raw
        return {self.id: value} if value else {}

    def context(self, form, hidden, computed) -> dict:
        context = super().context(form, hidden, computed)
        context.update(rows=[{"label": localized(row), "field": form[self.name(row["id"])]} for row in self.spec.get("rows", [])],
                       options=self.options)
        return context

    @property
    def options(self) -> list:
        return [{"value": o["value"], "label": localized(o)} for o in self.spec.get("options", [])]


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


class TableAdapter(FieldAdapter):
    """Repeatable table (e.g. products): rows `<id>__<n>__<col>`, added and deleted in the browser."""

    template = "formdefs/fields/table.html"

    def __init__(self, spec, fields, schema, indices, make_cell):
        super().__init__(spec, fields, schema)
        self.indices, self.make_cell = indices, make_cell

    def name(self, index, col_id: str) -> str:
        return f"{self.id}__{index}__{col_id}"

    def to_answer(self, cleaned: dict) -> dict:
        rows = []
        for index in self.indices:
            row = {}
            for column in self.spec.get("columns", []):
                cell = jsonable(cleaned.get(self.name(index, column["id"])))
                if not is_empty(cell):
                    row[column["id"]] = cell
            if row:
                rows.append(row)
        return {self.id: rows} if rows else {}

    def to_initial(self, answers: dict) -> dict:
        initial = {}
        for index, row in enumerate(answers.get(self.id) or []):
            for col_id, cell in row.items():
                initial[self.name(index, col_id)] = cell
        return initial

    def peek(self, data) -> dict:
        rows = []
        for index in self.indices:
            row = {c["id"]: data.get(self.name(index, c["id"])) for c in self.spec.get("columns", [])}
            row = {k: (peek_number(v) if c_numeric(self.spec, k) else v) for k, v in row.items() if not is_empty(v)}
            if row:
                rows.append(row)
        return {self.id: rows} if rows else {}

    def clean(self, cleaned: dict, add_error) -> None:
        for index in self.indices:
            names = {c["id"]: self.name(index, c["id"]) for c in self.spec.get("columns", [])}
            if all(is_empty(cleaned.get(n)) for n in names.values()):
                continue
            for column in self.spec.get("columns", []):
                if column.get("required") and is_empty(cleaned.get(names[column["id"]])):
                    label = f"{self.label} · {_('row %(number)s') % {'number': self.indices.index(index) + 1}} · {localized(column)}"
                    add_error(names[column["id"]], _("%(label)s is required.") % {"label": label})

    def context(self, form, hidden, computed) -> dict:
        context = super().context(form, hidden, computed)
        context.update(columns=self.columns, template_row=self.template_row(), next_index=max(self.indices, default=-1) + 1,
                       add_label=localized(self.spec, "add_label"),
                       rows=[{"index": i, "cells": [form[self.name(i, c["id"])] for c in self.spec.get("columns", [])]} for i in self.indices])
        return context

    def template_row(self) -> list:
        """Unbound cells with `__prefix__` as the row index, cloned by the script to add a row."""
        return [self.make_cell(c, "__prefix__") for c in self.spec.get("columns", [])]

    @property
    def columns(self) -> list:
        return [{"label": localized(c), "required": c.get("required", False)} for c in self.spec.get("columns", [])]


def c_numeric(spec: dict, col_id: str) -> bool:
    column = next((c for c in spec.get("columns", []) if c["id"] == col_id), {})
    return column.get("type") in ("integer", "decimal")


def table_indices(field_id: str, data, initial_rows: int, min_rows: int) -> list:
    """Row indices present in POST data (rows may have been deleted), else as many as the initial answers."""
    if data is not None:
        pattern = re.compile(rf"^{re.escape(field_id)}__(\d+)__")
        found = sorted({int(m.group(1)) for key in data for m in [pattern.match(key)] if m})
        if found:
            return found
    return list(range(max(initial_rows, min_rows)))


class DisplayAdapter(FieldAdapter):
    """Computed read-only values and static text: nothing to type."""

    has_answer = False

    def to_answer(self, cleaned: dict) -> dict:
        return {}

    def to_initial(self, answers: dict) -> dict:
        return {}

    def peek(self, data) -> dict:
        return {}
