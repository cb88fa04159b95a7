"""Answers laid out for reading (detail, print): steps → scalars, grids and tables with their labels."""
from dataclasses import dataclass, field as dc_field
from decimal import Decimal

from django.utils.translation import gettext as _

from formdefs.engine.definition import localized, row_takes
from formdefs.selectors import version_compiled


@dataclass
class Block:
    kind: str  # "fields" | "grid" | "table"
    title: str = ""
    rows: list = dc_field(default_factory=list)  # fields: (label, value); grid/table: list of cells
    columns: list = dc_field(default_factory=list)
    flagged: set = dc_field(default_factory=set)


def _number(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
        return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}".rstrip("0")
    return str(value)


def _cascade(source: str, code) -> str:
    from regions.models import RegistrationType
    from regions.selectors import industry_by_full_code, region_by_code

    if not code:
        return ""
    if source == "region":
        region = region_by_code(str(code))
        return region.full_name if region else str(code)
    if source == "industry":
        industry = industry_by_full_code(str(code))
        return f"{industry.full_code} {industry.name}" if industry else str(code)
    kind = RegistrationType.objects.filter(code=code).first()
    return kind.name if kind else str(code)


def display_value(field: dict, value, answers: dict) -> str:
    ftype = field["type"]
    if value is None or value == "" or value == []:
        return ""
    if ftype == "yesno":
        return _("Yes") if value else _("No")
    if ftype in ("choice", "multichoice"):
        labels = {str(o["value"]): localized(o) for o in field.get("options", [])}
        values = value if isinstance(value, list) else [value]
        text = "、".join(labels.get(str(v), str(v)) for v in values)
        other = answers.get(f"{field['id']}_other")
        return f"{text}（{other}）" if other else text
    if ftype == "cascade":
        return _cascade(field.get("source", ""), value)
    if ftype in ("matrix_single", "matrix_multiple", "matrix_fill") and isinstance(value, dict):
        rows = {r["id"]: localized(r) for r in field.get("rows", [])}
        labels = {str(o["value"]): localized(o) for o in field.get("options", [])}
        parts = []
        for row, cell in value.items():
            cells = cell if isinstance(cell, list) else [cell]
            parts.append(f"{rows.get(row, row)}：{'、'.join(labels.get(str(c), _number(c)) for c in cells)}")
        return "；".join(parts)
    unit = field.get("unit")
    text = _number(value)
    return f"{text} {unit}" if unit and text else text


def answers_present(*, version, answers: dict, issues=()) -> list[dict]:
    """[{title, blocks}] per step, in definition order; cells named in `issues` are flagged."""
    compiled = version_compiled(version)
    flagged = {path for issue in issues for path in issue.get("fields", [])}
    steps = []
    for step in compiled.index.steps:
        blocks, scalars = [], Block(kind="fields")
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                ftype, fid, value = field["type"], field["id"], answers.get(field["id"])
                if ftype == "static":
                    continue
                if ftype == "indicator_grid":
                    if scalars.rows:
                        blocks.append(scalars)
                        scalars = Block(kind="fields")
                    columns = field.get("columns", [])
                    grid = Block(kind="grid", title=localized(field),
                                 columns=[_("Indicator"), _("Unit")] + [localized(c) for c in columns])
                    for row in field.get("rows", []):
                        cells = (value or {}).get(row["id"])
                        if cells is None:
                            continue
                        grid.rows.append({"label": localized(row), "unit": row.get("unit", ""), "cells": [
                            (_number(cells.get(c["id"])) if row_takes(row, c) else "—",
                             f"{fid}.{row['id']}.{c['id']}" in flagged) for c in columns]})
                    blocks.append(grid)
                elif ftype == "table":
                    if scalars.rows:
                        blocks.append(scalars)
                        scalars = Block(kind="fields")
                    columns = field.get("columns", [])
                    table = Block(kind="table", title=localized(field), columns=["#"] + [localized(c) for c in columns])
                    for index, row in enumerate(value or []):
                        table.rows.append({"label": str(index + 1), "unit": "", "cells": [
                            (_number(row.get(c["id"])), f"{fid}.{index}.{c['id']}" in flagged) for c in columns]})
                    blocks.append(table)
                elif fid in answers:
                    scalars.rows.append((localized(field), display_value(field, value, answers), fid in flagged))
        if scalars.rows:
            blocks.append(scalars)
        steps.append({"id": step["id"], "title": localized(step, "title"), "blocks": blocks})
    return steps
