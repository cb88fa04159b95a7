"""Adapters: how one definition field maps to Django form fields, answers and the answer schema.

The builder (`builder.FormBuilder`) creates one adapter per field; a new field type usually reuses
one of these classes with its own Django fields and answer schema.
"""
import re

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

