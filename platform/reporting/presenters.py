"""Answers laid out for reading (detail, print): steps → scalars, grids and tables with their labels."""
from dataclasses import dataclass, field as dc_field

from django.utils.translation import gettext as _

from formdefs.engine.definition import localized
from formdefs.engine.localize import unit_label
from formdefs.selectors import version_compiled
from formdefs.types import CodeNames, display_text, field_type
from formdefs.types.base import number_text


@dataclass
class Block:
    kind: str  # "fields" | "grid" | "table"
    title: str = ""
    rows: list = dc_field(default_factory=list)  # fields: (label, value); grid/table: list of cells
    columns: list = dc_field(default_factory=list)
    flagged: set = dc_field(default_factory=set)
    numeric: list = dc_field(default_factory=list)  # table: whether each column holds numbers (print grouping)
    field: str = ""  # grid/table: the answer id (the review page marks rows by it)


def display_value(field: dict, value, answers: dict, names: CodeNames | None = None) -> str:
    """One answer as text: the field type's own (`formdefs.types.display_text`)."""
    return display_text(field, value, answers, names)


def answers_present(*, version, answers: dict, issues=()) -> list[dict]:
    """[{title, blocks}] per step, in definition order; cells named in `issues` are flagged."""
    compiled = version_compiled(version)
    flagged = {path for issue in issues for path in issue.get("fields", [])}
    names = CodeNames()
    steps = []
    for step in compiled.index.steps:
        blocks, scalars = [], Block(kind="fields")
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                ftype, fid, value = field["type"], field["id"], answers.get(field["id"])
                if not field_type(field).has_answer:
                    continue
                if ftype == "indicator_grid":
                    if scalars.rows:
                        blocks.append(scalars)
                        scalars = Block(kind="fields")
                    columns, grid_type = field.get("columns", []), field_type(field)
                    grid = Block(kind="grid", title=localized(field), field=fid,
                                 columns=[_("Indicator"), _("Unit")] + [localized(c) for c in columns])
                    for row in field.get("rows", []):
                        cells = (value or {}).get(row["id"])
                        if cells is None:
                            continue
                        grid.rows.append({"id": row["id"], "label": localized(row), "unit": unit_label(row), "cells": [
                            (grid_type.cell_text(field, row, c, cells), f"{fid}.{row['id']}.{c['id']}" in flagged)
                            for c in columns]})
                    blocks.append(grid)
                elif ftype == "table":
                    if scalars.rows:
                        blocks.append(scalars)
                        scalars = Block(kind="fields")
                    columns = field.get("columns", [])
                    table = Block(kind="table", title=localized(field), field=fid, columns=["#"] + [localized(c) for c in columns],
                                  numeric=[c.get("type") in ("integer", "decimal") for c in columns])
                    for index, row in enumerate(value or []):
                        table.rows.append({"id": str(index), "label": str(index + 1), "unit": "", "cells": [
                            (number_text(row.get(c["id"])), f"{fid}.{index}.{c['id']}" in flagged) for c in columns]})
                    blocks.append(table)
                elif fid in answers:
                    scalars.rows.append((localized(field), display_value(field, value, answers, names), fid in flagged))
        if scalars.rows:
            blocks.append(scalars)
        steps.append({"id": step["id"], "title": localized(step, "title"), "blocks": blocks})
    return steps
