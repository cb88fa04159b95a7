"""Read a filled template (上报导入) back into answers, with errors by sheet, row and column."""
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy
from openpyxl import load_workbook

from ..engine import RuleContext, ValidationResult
from ..engine.definition import localized
from ..enums import Severity
from ..selectors import version_compiled
from .layout import (
    FORM_LAYOUT, FormLayout, GridBlock, NotANumber, NotAWholeNumber, Spot, cell_number, cell_text, column_is_numeric,
    label_matches, meta_check, meta_read,
)
from .safety import ExcelRefused, not_a_workbook, upload_check, upload_stream


#: Messages of a cell error are lazy where they can be, so `str()` follows the language of the moment.
MUST_BE_FILLED = gettext_lazy("must be filled in")
NUMBERS_ONLY = gettext_lazy("enter numbers only")
WHOLE_NUMBERS_ONLY = gettext_lazy("enter a whole number")


@dataclass(frozen=True)
class CellError:
    """A problem at one cell: `sheet`, `row` (1-based), `column` (letter), `label` of the value, `message`.

    `path` is the answer path (`ind.revenue.month`) when known. `sheet` is empty for a problem no
    cell of the workbook holds (e.g. a field outside the template).
    """

    sheet: str
    row: int | None
    column: str
    message: str
    label: str = ""
    path: str = ""

    def place(self, *, with_sheet: bool = True, with_row: bool = True) -> str:
        """`经济指标 第5行 C列` (parts left out as asked or unknown)."""
        parts = []
        if with_sheet and self.sheet:
            parts.append(self.sheet)
        if with_row and self.row:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return " ".join(parts)

    def describe(self, *, with_sheet: bool = True, with_row: bool = True) -> str:
        place = self.place(with_sheet=with_sheet, with_row=with_row)
        if place and self.label:
            return _("%(place)s (%(label)s): %(message)s") % {
                "place": place, "label": self.label, "message": self.message}
        if place:
            return _("%(place)s: %(message)s") % {"place": place, "message": self.message}
        if self.label and self.label not in self.message:
            return _("%(label)s: %(message)s") % {"label": self.label, "message": self.message}
        return self.message

    def __str__(self) -> str:
        """`经济指标 第5行 C列（营业收入·本年本月）：只能填写数字`, in the active language."""
        return self.describe()


@dataclass
class ReadResult:
    """What a filled template holds: the answers (base answers merged under the imported ones), the
    errors of every cell at once, and the engine's validation (warnings, kept and computed answers)."""

    answers: dict
    errors: list = field(default_factory=list)
    result: ValidationResult | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def open_workbook(file):
    """openpyxl's streaming reader over a checked upload; a file openpyxl cannot read is refused."""
    stream = upload_stream(file)
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise not_a_workbook() from exc


def sheet_missing(title: str) -> ExcelRefused:
    return ExcelRefused(_("The sheet “%(sheet)s” is missing or was renamed; download the template again and fill "
                          "it in.") % {"sheet": title}, code="layout_changed")


def layout_changed(sheet: str, row: int, expected: str) -> ExcelRefused:
    return ExcelRefused(_("The layout of sheet “%(sheet)s” was changed (row %(row)s should be “%(label)s”); download "
                          "the template again and fill it in.") % {"sheet": sheet, "row": row, "label": expected},
                        code="layout_changed")


def number_error(spot: Spot, exc: Exception, path: str) -> CellError:
    message = WHOLE_NUMBERS_ONLY if isinstance(exc, NotAWholeNumber) else NUMBERS_ONLY
    return CellError(spot.sheet, spot.row, spot.letter, message, spot.label, path)


def workbook_read(*, file, version, context: RuleContext | None = None, base_answers: dict | None = None) -> ReadResult:
    """Read a filled template of `version` (上报导入); nothing is saved.

    Checks the upload (`upload_check`), refuses a template of another definition, version or
    layout (`ExcelRefused`), reads every grid and table cell (numbers only in number cells; empty
    cells are absent; table rows left blank are skipped), merges the answers over `base_answers`
    (e.g. the step-1 profile; the template's own fields always come from the file), and validates
    them with the engine under `context`. Every cell error and every ERROR-severity issue is
    returned at once, each placed at its sheet, row and column. Without `base_answers` only the
    template's steps are checked for required answers and rules.
    """
    upload_check(file)
    compiled = version_compiled(version)
    workbook = open_workbook(file)
    try:
        meta = meta_read(workbook)
        meta_check(meta, version=version, kind=FORM_LAYOUT)
        with translation.override(meta.get("lang") or translation.get_language()):
            layout = FormLayout(version.document, compiled.index)
            imported, errors, table_rows = _read_sheets(workbook, layout)
    except ParseError as exc:  # a damaged sheet part
        raise not_a_workbook() from exc
    finally:
        workbook.close()
    answers = {k: v for k, v in (base_answers or {}).items() if k not in layout.field_ids}
    answers.update(imported)
    steps = None if base_answers is not None else layout.step_ids
    result = compiled.validate(answers, context, steps=steps)
    errors += issue_errors(result, errors, lambda path: layout.locate(path, table_rows))
    return ReadResult(answers=answers, errors=errors, result=result)


def issue_errors(result: ValidationResult, known: list, locate) -> list:
    """The engine's ERROR issues as cell errors (one per issue, at its first locatable field).

    Issues about a value that already has a cell error (e.g. "12a" also leaves a required cell
    empty) are left out: the user first fixes what they typed.
    """
    seen = {error.path for error in known if error.path}
    errors = []
    for issue in result.issues:
        if issue.severity != Severity.ERROR or any(path in seen for path in issue.fields):
            continue
        spot = next((s for s in (locate(path) for path in issue.fields) if s is not None), None)
        path = issue.fields[0] if issue.fields else ""
        if spot is None:
            errors.append(CellError("", None, "", issue.message, "", path))
            continue
        message = MUST_BE_FILLED if issue.code == "required" else issue.message
        errors.append(CellError(spot.sheet, spot.row, spot.letter, message, spot.label, path))
    return errors


def _read_sheets(workbook, layout: FormLayout) -> tuple[dict, list, dict]:
    answers, errors, table_rows = {}, [], {}
    for sheet in layout.sheets:
        if sheet.title not in workbook.sheetnames:
            raise sheet_missing(sheet.title)
        ws = workbook[sheet.title]
        values = {number: row for number, row in enumerate(
            ws.iter_rows(min_row=1, max_row=sheet.last_row, max_col=sheet.width, values_only=True), start=1)}
        for block in sheet.blocks:
            if isinstance(block, GridBlock):
                grid = _read_grid(sheet.title, block, values, errors)
                if grid:
                    answers[block.field["id"]] = grid
            else:
                rows, numbers = _read_table(sheet.title, block, values, errors)
                table_rows[block.field["id"]] = numbers
                if rows:
                    answers[block.field["id"]] = rows
    return answers, errors, table_rows


def _value(values: dict, row: int, column: int):
    cells = values.get(row) or ()
    return cells[column - 1] if column - 1 < len(cells) else None


def _read_grid(title: str, block: GridBlock, values: dict, errors: list) -> dict:
    fid, grid = block.field["id"], {}
    for position, row in enumerate(block.rows):
        number = block.row_number(position)
        if not label_matches(_value(values, number, 1), localized(row)):
            raise layout_changed(title, number, localized(row))
        cells = {}
        for offset, column in enumerate(block.columns):
            if column.get("expr"):
                continue
            at = block.column_number(offset)
            path = f"{fid}.{row['id']}.{column['id']}"
            try:
                number_value = cell_number(_value(values, number, at), integer=bool(row.get("integer")))
            except (NotANumber, NotAWholeNumber) as exc:
                errors.append(number_error(Spot(title, number, at, block.cell_label(row, column)), exc, path))
                continue
            if number_value is not None:
                cells[column["id"]] = number_value
        if cells:
            grid[row["id"]] = cells
    return grid


def _read_table(title: str, block, values: dict, errors: list) -> tuple[list, list]:
    fid = block.field["id"]
    for offset, column in enumerate(block.columns):
        if not label_matches(_value(values, block.header_row, block.column_number(offset)), localized(column)):
            raise layout_changed(title, block.header_row, localized(column))
    rows, numbers = [], []
    for position in range(block.size):
        number = block.row_number(position)
        answer, problems = table_row_read(
            block.field, [_value(values, number, block.column_number(i)) for i in range(len(block.columns))],
            lambda offset, column: Spot(title, number, block.column_number(offset), block.cell_label(column)),
            path=f"{fid}.{len(rows)}")
        errors += problems
        if answer or problems:
            rows.append(answer)
            numbers.append(number)
    return rows, numbers


def table_row_read(spec: dict, cells: list, spot_of, *, path: str) -> tuple[dict, list]:
    """One table row from its cells (in column order): the answer row and its cell errors."""
    answer, problems = {}, []
    for offset, column in enumerate(spec.get("columns", [])):
        value = cells[offset] if offset < len(cells) else None
        if column_is_numeric(column):
            try:
                value = cell_number(value, integer=column.get("type") == "integer")
            except (NotANumber, NotAWholeNumber) as exc:
                problems.append(number_error(spot_of(offset, column), exc, f"{path}.{column['id']}"))
                continue
        else:
            value = cell_text(value)
        if value is not None:
            answer[column["id"]] = value
    return answer, problems

