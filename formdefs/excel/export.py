"""Export the detail of one submission to Excel (历史报送 → 导出): streamed with a write-only workbook."""
import io
from collections.abc import Iterable

from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from ..engine.definition import NO_ANSWER_TYPES, localized
from ..engine.localize import unit_label
from ..enums import Severity
from ..selectors import version_compiled
from ..types import CodeNames, field_type
from .layout import GRID, TABLE, sheet_title
from .safety import xlsx_value

BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


def answers_export(*, version, answers: dict, issues: Iterable = (), explanation: str = "", meta: dict) -> bytes:
    """The detail of one submission as an .xlsx: a cover sheet, one sheet per grid or table, the checks.

    The cover sheet lists `meta` (an ordered mapping label → value: enterprise, period, status, …)
    and every step's other answers with their labels; choices, yes/no and cascades are shown by
    their labels where they can be resolved, else by their code. `issues` are the violated checks
    (engine `Issue`s or their `as_dict()`), listed with their severity next to the filler's note
    (`explanation`). Text is written as text cells (never a formula, see `xlsx_value`); numbers
    stay numbers.
    """
    compiled = version_compiled(version)
    index = compiled.index
    workbook = Workbook(write_only=True)
    taken: set = set()
    cover = workbook.create_sheet(sheet_title(pgettext("excel", "Summary"), taken))
    cover.column_dimensions["A"].width = 36
    cover.column_dimensions["B"].width = 48
    cover.append([_cell(cover, localized(version.document, "title"), TITLE_FONT)])
    for label, value in meta.items():
        cover.append([_cell(cover, label, BOLD), _value(cover, value)])
    names = CodeNames()
    for step in index.steps:
        lines = []
        for spec in index.step_fields(step["id"]):
            if spec["id"] in answers and spec["type"] not in (GRID, TABLE) and spec["type"] not in NO_ANSWER_TYPES:
                lines += _scalar_lines(spec, answers, names)
        if lines:
            cover.append([])
            cover.append([_cell(cover, localized(step, "title"), BOLD)])
            for line in lines:
                cover.append([_value(cover, v) for v in line])
    for spec in index.fields:
        if spec["type"] == GRID and answers.get(spec["id"]):
            _grid_sheet(workbook.create_sheet(sheet_title(localized(spec), taken)), spec, answers[spec["id"]])
        elif spec["type"] == TABLE and answers.get(spec["id"]):
            _table_sheet(workbook.create_sheet(sheet_title(localized(spec), taken)), spec, answers[spec["id"]])
    _checks_sheet(workbook.create_sheet(sheet_title(pgettext("excel", "Checks"), taken)), issues, explanation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(ws, value, font=None):
    """A cell value: numbers as numbers, booleans as 是/否, everything else as text (a text cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = pgettext("excel", "Yes") if value else pgettext("excel", "No")
    elif not isinstance(value, (int, float)):
        value = str(value)
    return xlsx_value(ws, value, font=font)


def _cell(ws, value, font=None):
    return _value(ws, value, font)


def _scalar_lines(spec: dict, answers: dict, names: CodeNames) -> list:
    """Cover-sheet lines (label, value[, unit]) of one non-grid, non-table answer (the field type's own)."""
    return field_type(spec).export_lines(spec, answers, names)


def _grid_sheet(ws, spec: dict, grid: dict) -> None:
    columns = spec.get("columns", [])
    ws.column_dimensions["A"].width = 30
    ws.append([_cell(ws, localized(spec), TITLE_FONT)])
    ws.append([_cell(ws, text, BOLD) for text in [pgettext("excel", "Indicator"), pgettext("excel", "Unit")] + [localized(c) for c in columns]])
    for row in spec.get("rows", []):
        cells = grid.get(row["id"])
        if not isinstance(cells, dict):
            continue
        ws.append([_value(ws, localized(row)), _value(ws, unit_label(row))]
                  + [_value(ws, cells.get(c["id"])) for c in columns])


def _table_sheet(ws, spec: dict, rows: list) -> None:
    columns = spec.get("columns", [])
    ws.append([_cell(ws, localized(spec), TITLE_FONT)])
    ws.append([_cell(ws, text, BOLD) for text in [pgettext("excel", "No.")] + [localized(c) for c in columns]])
    for number, row in enumerate(rows, start=1):
        ws.append([number] + [_value(ws, row.get(c["id"])) for c in columns])


def _checks_sheet(ws, issues: Iterable, explanation: str) -> None:
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 40
    ws.append([_cell(ws, pgettext("excel", "Violated checks"), TITLE_FONT)])
    ws.append([_cell(ws, text, BOLD) for text in (pgettext("excel", "Severity"), pgettext("excel", "Message"), pgettext("excel", "Fields"))])
    count = 0
    for issue in issues:
        data = issue if isinstance(issue, dict) else issue.as_dict()
        severity = data.get("severity", "")
        shown = Severity(severity).label if severity in Severity.values else severity
        ws.append([_value(ws, str(shown)), _value(ws, data.get("message", "")),
                   _value(ws, "; ".join(data.get("labels") or []))])
        count += 1
    if not count:
        ws.append([_value(ws, pgettext("excel", "None"))])
    ws.append([])
    ws.append([_cell(ws, pgettext("excel", "Filler's note"), BOLD)])
    ws.append([_value(ws, explanation or "")])
