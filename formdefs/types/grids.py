"""Indicator grids (rows of indicators × columns, `{row: {column: number}}`) and repeatable tables (`[{column: value}]`)."""
from django.utils.translation import gettext

from ..engine.localize import localized
from ..engine.numbers import NumberRule
from .base import FieldType, empty, number_text, register


def row_takes(row: dict, column: dict) -> bool:
    """Whether an indicator-grid `row` takes `column`: computed columns always (they are blank when an input they
    read is absent), input columns when the row lists them in `columns` or lists none."""
    return bool(column.get("expr")) or "columns" not in row or column["id"] in row["columns"]


def row_inputs(field: dict, row: dict) -> list[dict]:
    """The input (not computed) columns of an indicator grid that `row` takes."""
    return [c for c in field.get("columns", []) if not c.get("expr") and row_takes(row, c)]


def _column(spec: dict, column_id: str) -> dict | None:
    return next((c for c in spec.get("columns", []) if c["id"] == column_id), None)


@register
class IndicatorGridType(FieldType):
    name = "indicator_grid"

    def schema(self, spec):
        rows = {}
        for row in spec.get("rows", []):
            cells = {}
            for column in spec.get("columns", []):
                if column.get("expr"):
                    cells[column["id"]] = {"type": ["number", "null"]}
                elif row_takes(row, column):  # a cell the row does not take is refused (additionalProperties)
                    cells[column["id"]] = NumberRule.of(row, integer=bool(row.get("integer"))).schema()
            rows[row["id"]] = {"type": "object", "properties": cells, "additionalProperties": False}
        return {"type": "object", "properties": rows, "additionalProperties": False}

    def required_paths(self, spec, value, hidden):
        fid, value = spec["id"], value or {}
        return [f"{fid}.{row['id']}.{col['id']}" for row in spec.get("rows", []) if row.get("required")
                and f"{fid}.{row['id']}" not in hidden for col in row_inputs(spec, row)
                if empty((value.get(row["id"]) or {}).get(col["id"]))]

    def prune(self, spec, value, hidden):
        if not isinstance(value, dict):
            return value
        return {row: cells for row, cells in value.items() if f"{spec['id']}.{row}" not in hidden}

    def member_problem(self, spec, rest, dotted):
        if not rest:
            return None
        row = next((r for r in spec.get("rows", []) if r["id"] == rest[0]), None)
        if row is None:
            return f"unknown row {rest[0]!r} of {spec['id']!r} in {dotted}"
        if len(rest) > 1:
            column = _column(spec, rest[1])
            if column is None:
                return f"unknown column {rest[1]!r} of {spec['id']!r} in {dotted}"
            if "columns" in row and not column.get("expr") and rest[1] not in row["columns"]:
                return f"row {rest[0]!r} of {spec['id']!r} does not take column {rest[1]!r} in {dotted}"
        return None

    def path_names(self, spec, rest):
        if not rest:
            return [localized(spec)]
        row = next((r for r in spec.get("rows", []) if r["id"] == rest[0]), None)
        names = [localized(row)] if row else [localized(spec), rest[0]]
        if len(rest) > 1:
            column = _column(spec, rest[1])
            names.append(localized(column) if column else rest[1])
        return names

    def numbers(self, spec, value):
        if not isinstance(value, dict):
            return []
        return [(row, column, cell, "") for row, cells in value.items() if isinstance(cells, dict)
                for column, cell in cells.items()]

    def cell_text(self, spec: dict, row: dict, column: dict, cells: dict) -> str:
        """One grid cell as the detail page shows it (— where the row does not take the column)."""
        return number_text(cells.get(column["id"])) if row_takes(row, column) else "—"


@register
class TableType(FieldType):
    """重复表: rows added by the filler (e.g. 产品产销存)."""

    name = "table"

    def schema(self, spec):
        properties = {}
        for column in spec.get("columns", []):
            if column.get("type") in ("integer", "decimal"):
                properties[column["id"]] = NumberRule.of(column, integer=column.get("type") == "integer").schema()
            else:
                properties[column["id"]] = {"type": "string", "maxLength": column.get("max_length", 100)}
        schema = {"type": "array", "items": {"type": "object", "properties": properties, "additionalProperties": False}}
        if spec.get("max_rows"):
            schema["maxItems"] = spec["max_rows"]
        return schema

    def required_paths(self, spec, value, hidden):
        fid, missing = spec["id"], []
        for number, row in enumerate(value or []):
            missing += [f"{fid}.{number}.{c['id']}" for c in spec.get("columns", []) if c.get("required") and empty(row.get(c["id"]))]
        if spec.get("min_rows") and len(value or []) < spec["min_rows"]:
            missing.append(fid)
        return missing

    def member_problem(self, spec, rest, dotted):
        return None

    def path_names(self, spec, rest):
        names = [localized(spec)]
        if rest and rest[0].isdigit():
            names.append(gettext("row %(number)s") % {"number": int(rest[0]) + 1})
            rest = rest[1:]
        if rest:
            column = _column(spec, rest[0])
            names.append(localized(column) if column else rest[0])
        return names

    def numbers(self, spec, value):
        if not isinstance(value, list):
            return []
        columns = spec.get("columns", [])
        text_key = next((c["id"] for c in columns if c.get("type", "text") == "text"), None)
        out = []
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                continue
            label = str(row.get(text_key) or "") if text_key else ""
            out += [(str(index), c["id"], row.get(c["id"]), label) for c in columns if c.get("type") in ("integer", "decimal")]
        return out
