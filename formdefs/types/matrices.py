"""Matrices: one answer per row — a choice, several choices or a short text (`{row: value}`)."""
from ..engine.localize import localized
from .base import MATRIX, TEXT, FieldType, empty, register
from .choices import option_label


class MatrixType(FieldType):
    chart = MATRIX

    def cell_schema(self, spec: dict) -> dict:
        raise NotImplementedError

    def schema(self, spec):
        cell = self.cell_schema(spec)
        return {"type": "object", "properties": {row["id"]: dict(cell) for row in spec.get("rows", [])},
                "additionalProperties": False}

    def required_paths(self, spec, value, hidden):
        if not spec.get("required"):
            return []
        value = value or {}
        return [f"{spec['id']}.{row['id']}" for row in spec.get("rows", []) if empty(value.get(row["id"]))]

    def member_problem(self, spec, rest, dotted):
        if rest and rest[0] not in {r["id"] for r in spec.get("rows", [])}:
            return f"unknown row {rest[0]!r} of {spec['id']!r} in {dotted}"
        return None

    def path_names(self, spec, rest):
        if not rest:
            return [localized(spec)]
        row = next((r for r in spec.get("rows", []) if r["id"] == rest[0]), None)
        return [localized(spec), localized(row) if row else rest[0]]

    def cell_text(self, spec: dict, cell) -> str:
        return "、".join(option_label(spec, v) for v in (cell if isinstance(cell, list) else [cell]))

    def rows_answered(self, spec: dict, value) -> list:
        """(row, cell) of the answered rows, in the definition's order."""
        if not isinstance(value, dict):
            return []
        return [(row, value[row["id"]]) for row in spec.get("rows", []) if not empty(value.get(row["id"]))]

    def display_text(self, spec, value, answers, names=None):
        return "；".join(f"{localized(row)}：{self.cell_text(spec, cell)}" for row, cell in self.rows_answered(spec, value))

    def export_lines(self, spec, answers, names):
        label = localized(spec)
        return [(f"{label} · {localized(row)}", self.cell_text(spec, cell))
                for row, cell in self.rows_answered(spec, answers[spec["id"]])]


@register
class MatrixSingleType(MatrixType):
    name = "matrix_single"
    designer = "matrix_single"

    def cell_schema(self, spec):
        return {"enum": [o["value"] for o in spec.get("options", [])]}


@register
class MatrixMultipleType(MatrixType):
    name = "matrix_multiple"
    designer = "matrix_multiple"

    def cell_schema(self, spec):
        return {"type": "array", "uniqueItems": True, "items": {"enum": [o["value"] for o in spec.get("options", [])]}}


@register
class MatrixFillType(MatrixType):
    name = "matrix_fill"
    chart = TEXT
    designer = "matrix_fill"

    def cell_schema(self, spec):
        return {"type": "string", "maxLength": spec.get("max_length", 200)}

    def cell_text(self, spec, cell):
        return str(cell)
