"""Read a filled template (上报导入) back into answers, with errors by sheet, row and column."""
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy
from openpyxl import load_workbook

from ..engine import RuleContext, ValidationResult
from ..engine.definition import localized, row_takes
from ..enums import Severity
from ..selectors import version_compiled
from .layout import (
    FIELD_VALUE_COLUMN, FORM_LAYOUT, FieldsBlock, FormLayout, GridBlock, NotAChoice, NotANumber, NotAWholeNumber, Spot,
    cell_number, cell_text, column_is_numeric, field_cell_read, field_choices, label_matches,
)
from .meta import TemplateTarget, meta_check, meta_fields, meta_read
from .safety import ExcelRefused, UploadLimits, not_a_workbook, upload_check, upload_limits, upload_stream

#: A filled template's sheet may hold twice the rows of the template's largest sheet plus this many
#: (rows a user adds around the form are ignored, but parsed), and per row this many cells beyond its width.
TEMPLATE_ROWS_HEADROOM = 200
TEMPLATE_COLUMNS_HEADROOM = 20
#: Bytes of sheet XML allowed per cell (`<c r="AB300" s="12" t="s"><v>1234</v></c>` with room to spare).
TEMPLATE_CELL_BYTES = 128
TEMPLATE_MIN_SHEET_BYTES = 1024 * 1024


#: Messages of a cell error are lazy where they can be, so `str()` follows the language of the moment.
MUST_BE_FILLED = gettext_lazy("must be filled in")
NUMBERS_ONLY = gettext_lazy("enter numbers only")
WHOLE_NUMBERS_ONLY = gettext_lazy("enter a whole number")
NOT_APPLICABLE = gettext_lazy("does not apply to this enterprise and period (not applicable): clear this cell")


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


def choice_error(spot: Spot, spec: dict, path: str) -> CellError:
    labels = "、".join(f"“{label}”" for _answer, label in field_choices(spec))
    return CellError(spot.sheet, spot.row, spot.letter, _("choose one of %(choices)s") % {"choices": labels},
                     spot.label, path)


def workbook_read(*, file, version, context: RuleContext | None = None, base_answers: dict | None = None,
                  target: TemplateTarget | None = None) -> ReadResult:
    """Read a filled template of `version` (上报导入); nothing is saved.

    Checks the upload (`upload_check`), refuses a template of another definition, version or
    layout, or (with `target`) made for another period or subject (`ExcelRefused`, saying what
    differs), reads every single-answer, grid and table cell (numbers only in number cells; empty
    cells are absent; table rows left blank are skipped), merges the answers over `base_answers`
    (e.g. the step-1 profile; the template's own fields always come from the file), and validates
    them with the engine under `context`. A value typed into a row or field that does not apply
    under `context` (hidden by its `visible_if`) is an error at its cell, never dropped silently.
    Every cell error and every ERROR-severity issue is returned at once, each placed at its sheet,
    row and column; an issue about an answer outside the file names it and the step of the online
    form it is entered on. Without `base_answers` only the template's steps are checked for
    required answers and rules.
    """
    compiled = version_compiled(version)
    upload_check(file, limits=template_limits(compiled))
    workbook = open_workbook(file)
    try:
        meta = meta_read(workbook)
        meta_check(meta, version=version, kind=FORM_LAYOUT, target=target)
        with translation.override(meta.get("lang") or translation.get_language()):
            layout = FormLayout(version.document, compiled.index, fields=meta_fields(meta))
            imported, errors, table_rows = _read_sheets(workbook, layout)
    except ParseError as exc:  # a damaged sheet part
        raise not_a_workbook() from exc
    finally:
        workbook.close()
    answers = {k: v for k, v in (base_answers or {}).items() if k not in layout.field_ids}
    answers.update(imported)
    steps = None if base_answers is not None else layout.step_ids
    result = compiled.validate(answers, context, steps=steps)

    def locate(path):
        return layout.locate(path, table_rows)

    errors += not_applicable_errors(imported, result.hidden, locate)
    errors += issue_errors(result, errors, locate, step_of=lambda path: _step_title(compiled.index, path))
    return ReadResult(answers=answers, errors=errors, result=result)


def template_limits(compiled) -> UploadLimits:
    """What a filled template of the definition may hold, from its layout (every single answer included):
    2 × the rows of its largest sheet + TEMPLATE_ROWS_HEADROOM rows per sheet, and sheet XML for that many
    rows of (width + TEMPLATE_COLUMNS_HEADROOM) cells, and that many cells; shared strings and other parts from
    the settings."""
    layout = FormLayout(compiled.document, compiled.index, fields=[f["id"] for f in compiled.index.fields])
    rows = 2 * max(sheet.last_row for sheet in layout.sheets) + TEMPLATE_ROWS_HEADROOM
    width = max(sheet.width for sheet in layout.sheets) + TEMPLATE_COLUMNS_HEADROOM
    return upload_limits(sheet_rows=rows, sheet_cells=rows * width,
                         sheet_bytes=max(TEMPLATE_MIN_SHEET_BYTES, rows * width * TEMPLATE_CELL_BYTES))


def _step_title(index, path: str) -> str:
    step = index.step_of.get(path.split(".")[0])
    return localized(index.steps[index.step_index[step]], "title") if step else ""


def typed_paths(field_id: str, value) -> list:
    """The answer paths of every value typed for one field (`ind.revenue.month`, `products.0.name`, `kind`)."""
    if isinstance(value, dict):
        return [f"{field_id}.{row}.{column}" for row, cells in value.items() if isinstance(cells, dict)
                for column in cells]
    if isinstance(value, list):
        return [f"{field_id}.{number}.{column}" for number, row in enumerate(value) if isinstance(row, dict)
                for column in row]
    return [field_id]


def not_applicable_errors(imported: dict, hidden, locate) -> list:
    """A cell error for each value typed where the engine hides the answer (a whole field or a grid row)."""
    errors = []
    for field_id, value in imported.items():
        for path in typed_paths(field_id, value):
            parts = path.split(".")
            if field_id not in hidden and not (isinstance(value, dict) and f"{field_id}.{parts[1]}" in hidden):
                continue
            spot = locate(path)
            errors.append(CellError(spot.sheet, spot.row, spot.letter, NOT_APPLICABLE, spot.label, path))
    return errors


def issue_errors(result: ValidationResult, known: list, locate, *, step_of=None) -> list:
    """The engine's ERROR issues as cell errors (one per issue, at its first locatable field).

    Issues about a value that already has a cell error (e.g. "12a" also leaves a required cell
    empty) are left out: the user first fixes what they typed. An issue no cell of the file holds
    names the answer and, with `step_of(path)` (the title of the step it belongs to), where to
    enter it: on that step of the online form, saved before the file is imported again.
    """
    seen = {error.path for error in known if error.path}
    errors = []
    for issue in result.issues:
        if issue.severity != Severity.ERROR or any(path in seen for path in issue.fields):
            continue
        spot = next((s for s in (locate(path) for path in issue.fields) if s is not None), None)
        path = issue.fields[0] if issue.fields else ""
        if spot is None:
            errors.append(_outside_error(issue, path, step_of(path) if step_of and path else ""))
            continue
        message = MUST_BE_FILLED if issue.code == "required" else issue.message
        errors.append(CellError(spot.sheet, spot.row, spot.letter, message, spot.label, path))
    return errors


def _outside_error(issue, path: str, step: str) -> CellError:
    """An issue about an answer that is not in the file (e.g. a 基本信息 field outside the template)."""
    label = issue.labels[0] if issue.labels else ""
    if not step:
        return CellError("", None, "", issue.message, label, path)
    if issue.code == "required":
        message = _("“%(label)s” is not in this file and must be filled in: enter it on the step “%(step)s” of the "
                    "online form and save, then import the file again.") % {"label": label, "step": step}
    else:
        message = _("%(message)s (answers outside this file: correct them on the step “%(step)s” of the online "
                    "form and save, then import the file again)") % {"message": issue.message, "step": step}
    return CellError("", None, "", message, label, path)


def _read_sheets(workbook, layout: FormLayout) -> tuple[dict, list, dict]:
    answers, errors, table_rows = {}, [], {}
    for sheet in layout.sheets:
        if sheet.title not in workbook.sheetnames:
            raise sheet_missing(sheet.title)
        ws = workbook[sheet.title]
        values = {number: row for number, row in enumerate(
            ws.iter_rows(min_row=1, max_row=sheet.last_row, max_col=sheet.width, values_only=True), start=1)}
        for block in sheet.blocks:
            if isinstance(block, FieldsBlock):
                answers.update(_read_fields(sheet.title, block, values, errors))
            elif isinstance(block, GridBlock):
                grid = _read_grid(sheet.title, block, values, errors)
                if grid:
                    answers[block.field["id"]] = grid
            else:
                rows, numbers = _read_table(sheet.title, block, values, errors)
                table_rows[block.field["id"]] = numbers
                if rows:
                    answers[block.field["id"]] = rows
    return answers, errors, table_rows


def _read_fields(title: str, block: FieldsBlock, values: dict, errors: list) -> dict:
    answers = {}
    for position, spec in enumerate(block.fields):
        number = block.row_number(position)
        if not label_matches(_value(values, number, 1), localized(spec)):
            raise layout_changed(title, number, localized(spec))
        spot = Spot(title, number, FIELD_VALUE_COLUMN, localized(spec))
        try:
            value = field_cell_read(spec, _value(values, number, FIELD_VALUE_COLUMN))
        except (NotANumber, NotAWholeNumber) as exc:
            errors.append(number_error(spot, exc, spec["id"]))
            continue
        except NotAChoice:
            errors.append(choice_error(spot, spec, spec["id"]))
            continue
        if value is not None:
            answers[spec["id"]] = value
    return answers


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
            if column.get("expr") or not row_takes(row, column):
                continue  # grey, locked cells: never read back
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

