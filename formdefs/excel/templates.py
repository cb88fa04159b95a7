"""Excel templates generated from a form definition: one report (上报导入) and the batch file (SPEC §10)."""
import io
from contextlib import nullcontext

from django.utils import translation
from django.utils.translation import gettext as _, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from ..engine.definition import localized
from ..engine.localize import unit_label
from ..types import field_type, row_takes
from ..types.base import CELL_DECIMAL, CELL_INTEGER, CELL_LIST
from ..engine.numbers import MAX_WHOLE_DIGITS
from ..selectors import version_compiled
from .layout import (
    BATCH_GRID_HEADER_ROWS, BATCH_KEY_COLUMNS, BATCH_LAYOUT, FORM_LAYOUT, GRID_FIRST_VALUE, META_SHEET, BatchLayout,
    FIELD_VALUE_COLUMN, FieldsBlock, FormLayout, GridBlock, TableBlock, column_is_numeric, field_cell_value, field_choices,
)
from .meta import TemplateTarget, meta_rows
from .safety import xlsx_row, xlsx_text

THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
COMPUTED_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="595959")
REQUIRED_FONT = Font(bold=True, color="C00000")
GREY_FONT = Font(color="7F7F7F")
UNLOCKED = Protection(locked=False)
DECIMAL_FORMAT, INTEGER_FORMAT, TEXT_FORMAT = "#,##0.00", "#,##0", "@"
#: Rows of the batch sheets that get number validation (Excel keeps it as one range string).
BATCH_VALIDATED_ROWS = 20000
#: Bounds for "any number" validation: Excel's decimal validation needs both ends (the engine's digit limit).
ANY_NUMBER = (f"-1E+{MAX_WHOLE_DIGITS}", f"1E+{MAX_WHOLE_DIGITS}")


def _language(lang: str | None):
    return translation.override(lang) if lang else nullcontext()


def _put(ws, row: int, column: int, value, *, font=None, fill=None, border=None, number_format=None,
         protection=None, alignment=None):
    """Write one cell; text is stored as text, never as a formula (`xlsx_text`)."""
    cell = xlsx_text(ws.cell(row=row, column=column, value=value))
    for name, style in (("font", font), ("fill", fill), ("border", border), ("number_format", number_format),
                        ("protection", protection), ("alignment", alignment)):
        if style is not None:
            setattr(cell, name, style)
    return cell


def _required(label: str, required: bool) -> str:
    return f"{label} *" if required else label


def _number_validation(*, integer: bool, nonnegative: bool) -> DataValidation:
    kind = "whole" if integer else "decimal"
    if nonnegative:
        validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        validation.error = _("Enter a number not below 0.")
    else:
        validation = DataValidation(type=kind, operator="between", formula1=ANY_NUMBER[0], formula2=ANY_NUMBER[1],
                                    allow_blank=True)
        validation.error = _("Enter numbers only.")
    if integer:
        validation.error = _("Enter a whole number.")
    validation.errorTitle = pgettext("excel", "Numbers only")
    validation.showErrorMessage = True
    return validation


class _Validations:
    """One data validation per kind of number, each covering many ranges (cheap for Excel and for us)."""

    def __init__(self, ws):
        self.ws = ws
        self.by_kind: dict = {}

    def add(self, cell_range: str, *, integer: bool, nonnegative: bool) -> None:
        key = (integer, nonnegative)
        if key not in self.by_kind:
            self.by_kind[key] = _number_validation(integer=integer, nonnegative=nonnegative)
            self.ws.add_data_validation(self.by_kind[key])
        self.by_kind[key].add(cell_range)

    def add_list(self, cell_range: str, labels: list) -> None:
        """A drop-down of `labels` (是 / 否, a choice's options); skipped when Excel could not hold the list."""
        formula = ",".join(labels)
        if not labels or len(formula) > 250 or any("," in label or '"' in label for label in labels):
            return
        key = ("list", formula)
        if key not in self.by_kind:
            validation = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True)
            validation.error = _("Choose one of the values in the list.")
            validation.errorTitle = pgettext("excel", "Choose from the list")
            validation.showErrorMessage = True
            self.by_kind[key] = validation
            self.ws.add_data_validation(validation)
        self.by_kind[key].add(cell_range)


def _meta_sheet(workbook, *, version, kind: str, target: TemplateTarget | None = None, fields=()) -> None:
    ws = workbook.create_sheet(META_SHEET)
    for row in meta_rows(version=version, kind=kind, target=target, fields=fields):
        ws.append(xlsx_row(ws, row))
    ws.sheet_state = "veryHidden"


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_build(*, version, lang: str | None = None, context=None, answers: dict | None = None,
                   target: TemplateTarget | None = None, fields=()) -> bytes:
    """The .xlsx template of one report (上报导入), generated from the definition of `version`.

    One protected sheet per step that has indicator grids or tables (sheet title = step title):
    grids as labelled rows (label, unit; `*` marks required rows) × columns, computed columns
    greyed and locked; tables as a header and empty rows. Number cells are formatted and
    validated as numbers. A very hidden sheet names the definition, version and checksum.

    A template made for someone: `context` (the engine's rule context of the enterprise and the
    period) decides which rows apply. Rows and fields that do not (`visible_if` false: rows only
    industrial enterprises fill in, quarterly rows outside quarter months, ...) keep their place, as
    the layout is the definition's, but are greyed, locked, lose their `*` and read 不适用; the
    import refuses a value typed into them. `target` names the period and the enterprise on every
    sheet and in `_meta` (the import checks them). `fields` adds single answers (`FormLayout`), e.g.
    the 基本信息 the registration data does not give, prefilled from `answers`. Without a context
    every row is offered. Raises `TemplateUnavailable` when the definition has neither grids nor tables.
    """
    with _language(lang):
        compiled = version_compiled(version)
        layout = FormLayout(version.document, compiled.index, fields=fields)
        answers = dict(answers or {})
        hidden = compiled.hidden_nodes(answers, context) if context is not None else frozenset()
        workbook = Workbook()
        workbook.remove(workbook.active)
        form_title = localized(version.document, "title")
        for sheet in layout.sheets:
            ws = workbook.create_sheet(sheet.title)
            _put(ws, 1, 1, f"{form_title} — {sheet.title}", font=TITLE_FONT)
            _put(ws, 2, 1, _sheet_instructions(sheet, hidden), font=NOTE_FONT)
            if target is not None and target.describe():
                _put(ws, 3, 1, target.describe(), font=BOLD)
            validations = _Validations(ws)
            for block in sheet.blocks:
                if isinstance(block, FieldsBlock):
                    _fields_block(ws, block, validations, answers, hidden)
                elif isinstance(block, GridBlock):
                    _grid_block(ws, block, validations, hidden)
                else:
                    _table_block(ws, block, validations, hidden)
            _sheet_setup(ws, sheet)
        _meta_sheet(workbook, version=version, kind=FORM_LAYOUT, target=target, fields=layout.fields)
        workbook.security = WorkbookProtection(lockStructure=True)
        return _save(workbook)


def _sheet_instructions(sheet, hidden) -> str:
    if all(isinstance(block, FieldsBlock) for block in sheet.blocks):
        text = _("Check and complete the white cells; choose yes/no and options from the list. Rows marked * are "
                 "required. Do not add, move or rename rows, columns or sheets.")
    else:
        text = _("Fill in the white cells with numbers only (digits, a decimal point, a minus sign). "
                 "Rows marked * are required; grey columns are computed. Do not add, move or rename "
                 "rows, columns or sheets.")
    if any(_block_off(block, hidden) or _rows_off(block, hidden) for block in sheet.blocks):
        text += " " + _("Grey rows marked “not applicable” do not apply to this enterprise and period: leave them "
                        "empty.")
    return text


def _block_off(block, hidden) -> bool:
    """A whole grid or table that does not apply (its field, section or step is hidden)."""
    return not isinstance(block, FieldsBlock) and block.field["id"] in hidden


def _rows_off(block, hidden) -> bool:
    if isinstance(block, FieldsBlock):
        return any(spec["id"] in hidden for spec in block.fields)
    if isinstance(block, GridBlock):
        return any(f"{block.field['id']}.{row['id']}" in hidden for row in block.rows)
    return False


def _not_applicable() -> str:
    return pgettext("excel", "not applicable")


def _fields_block(ws, block: FieldsBlock, validations: _Validations, answers: dict, hidden) -> None:
    _put(ws, block.title_row, 1, block.label, font=BOLD)
    headers = [pgettext("excel", "Item"), pgettext("excel", "Value"), pgettext("excel", "Note")]
    for offset, text in enumerate(headers):
        _put(ws, block.header_row, 1 + offset, text, font=BOLD, fill=HEADER_FILL, border=BORDER,
             alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"))
    for position, spec in enumerate(block.fields):
        number = block.row_number(position)
        off = spec["id"] in hidden
        required = bool(spec.get("required")) and not off
        _put(ws, number, 1, _required(localized(spec), required),
             font=REQUIRED_FONT if required else GREY_FONT if off else None, border=BORDER)
        note = " ".join(filter(None, [unit_label(spec), localized(spec, "help")]))
        at = FIELD_VALUE_COLUMN
        if off:
            _put(ws, number, at, None, fill=COMPUTED_FILL, border=BORDER, font=GREY_FONT)
            _put(ws, number, at + 1, _not_applicable(), font=NOTE_FONT)
            continue
        kind = field_type(spec)
        number_format = {CELL_INTEGER: INTEGER_FORMAT, CELL_DECIMAL: DECIMAL_FORMAT}.get(kind.cell_number_format(spec), TEXT_FORMAT)
        _put(ws, number, at, field_cell_value(spec, answers.get(spec["id"])), border=BORDER, protection=UNLOCKED,
             number_format=number_format)
        _put(ws, number, at + 1, note, font=NOTE_FONT)
        cell = f"{get_column_letter(at)}{number}"
        if kind.cell in (CELL_INTEGER, CELL_DECIMAL):
            validations.add(cell, integer=kind.cell == CELL_INTEGER, nonnegative=bool(spec.get("nonnegative")))
        elif kind.cell == CELL_LIST:
            validations.add_list(cell, [label for _answer, label in field_choices(spec)])


def _grid_block(ws, block: GridBlock, validations: _Validations, hidden=frozenset()) -> None:
    whole_off = _block_off(block, hidden)
    title = f"{block.label} ({_not_applicable()})" if whole_off else block.label
    _put(ws, block.title_row, 1, title, font=BOLD)
    computed = pgettext("excel", "computed")
    headers = [pgettext("excel", "Indicator"), pgettext("excel", "Unit")] + [
        localized(c) + (f" ({computed})" if c.get("expr") else "") for c in block.columns] + [pgettext("excel", "Note")]
    for offset, text in enumerate(headers):
        _put(ws, block.header_row, 1 + offset, text, font=BOLD, fill=HEADER_FILL, border=BORDER,
             alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"))
    for position, row in enumerate(block.rows):
        number = block.row_number(position)
        off = whole_off or f"{block.field['id']}.{row['id']}" in hidden
        required = bool(row.get("required")) and not off
        _put(ws, number, 1, _required(localized(row), required),
             font=REQUIRED_FONT if required else GREY_FONT if off else None, border=BORDER)
        _put(ws, number, 2, unit_label(row), border=BORDER, font=GREY_FONT if off else None)
        integer = bool(row.get("integer"))
        for offset, column in enumerate(block.columns):
            at = block.column_number(offset)
            if column.get("expr") or off or not row_takes(row, column):
                _put(ws, number, at, None, fill=COMPUTED_FILL, border=BORDER, font=GREY_FONT)
            else:
                _put(ws, number, at, None, border=BORDER, protection=UNLOCKED,
                     number_format=INTEGER_FORMAT if integer else DECIMAL_FORMAT)
        if off:
            _put(ws, number, block.width, _not_applicable(), font=NOTE_FONT)
            continue
        _put(ws, number, block.width, localized(row, "help"), font=NOTE_FONT)
        inputs = [block.column_number(i) for i, c in enumerate(block.columns) if not c.get("expr") and row_takes(row, c)]
        for start, end in _runs(inputs):
            validations.add(f"{get_column_letter(start)}{number}:{get_column_letter(end)}{number}",
                            integer=integer, nonnegative=bool(row.get("nonnegative")))


def _runs(numbers: list) -> list:
    """Consecutive runs of column numbers: [3, 4, 6] → [(3, 4), (6, 6)]."""
    runs = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _table_block(ws, block, validations: _Validations, hidden=frozenset()) -> None:
    off = _block_off(block, hidden)
    _put(ws, block.title_row, 1, f"{block.label} ({_not_applicable()})" if off else block.label, font=BOLD)
    headers = [pgettext("excel", "No.")] + [_required(localized(c), bool(c.get("required"))) for c in block.columns]
    for offset, text in enumerate(headers):
        _put(ws, block.header_row, 1 + offset, text, font=BOLD, fill=HEADER_FILL, border=BORDER,
             alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"))
    first, last = block.row_number(0), block.last_row
    for position in range(block.size):
        number = block.row_number(position)
        _put(ws, number, 1, position + 1, border=BORDER, font=GREY_FONT)
        for offset, column in enumerate(block.columns):
            if off:
                _put(ws, number, block.column_number(offset), None, fill=COMPUTED_FILL, border=BORDER)
                continue
            number_format = (INTEGER_FORMAT if column.get("type") == "integer" else DECIMAL_FORMAT) \
                if column_is_numeric(column) else TEXT_FORMAT
            _put(ws, number, block.column_number(offset), None, border=BORDER, protection=UNLOCKED,
                 number_format=number_format)
    if off:
        return
    for offset, column in enumerate(block.columns):
        if column_is_numeric(column):
            letter = get_column_letter(block.column_number(offset))
            validations.add(f"{letter}{first}:{letter}{last}", integer=column.get("type") == "integer",
                            nonnegative=bool(column.get("nonnegative")))


def _sheet_setup(ws, sheet) -> None:
    """Widths, frozen header, landscape printing, and protection (only the white cells are editable)."""
    first = sheet.blocks[0]
    if isinstance(first, FieldsBlock):
        for letter, width in (("A", 36), ("B", 24), ("C", 30)):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = f"A{first.header_row + 1}"
    elif isinstance(first, GridBlock):
        ws.column_dimensions["A"].width = 30
        ws.column_dimensions["B"].width = 10
        ws.freeze_panes = f"{get_column_letter(GRID_FIRST_VALUE)}{first.header_row + 1}"
    else:
        ws.column_dimensions["A"].width = 8
        ws.freeze_panes = f"B{first.header_row + 1}"
    for number in range(2, sheet.width + 1):
        letter = get_column_letter(number)
        if letter not in ("A", "B") or isinstance(first, TableBlock):
            ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, 16)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    # Users may still resize rows and columns; cells other than the white ones stay locked.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def batch_template_build(*, version, lang: str | None = None) -> bytes:
    """The batch import file of SPEC §10 (企业上报导入): many enterprises' reports for one period.

    First sheet: one row per enterprise — 统一社会信用代码, 企业名称, then one column per grid row
    × input (non-computed) column, under a two-row header (row label and unit; column label).
    One more sheet per table (e.g. 产品产销存), one row per table row, keyed by the credit code.
    A very hidden sheet names the definition, version and checksum.
    """
    with _language(lang):
        layout = BatchLayout(version.document, version_compiled(version).index)
        workbook = Workbook()
        ws = workbook.active
        ws.title = layout.title
        header = dict(font=BOLD, fill=HEADER_FILL, border=BORDER,
                      alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"))
        for number, text in ((1, pgettext("excel", "Unified social credit code")), (2, pgettext("excel", "Enterprise name"))):
            _put(ws, 1, number, text + " *" if number == 1 else text, **header)
            ws.merge_cells(start_row=1, start_column=number, end_row=BATCH_GRID_HEADER_ROWS, end_column=number)
            ws.column_dimensions[get_column_letter(number)].width = 24
        _credit_code_column_text(ws)
        validations = _Validations(ws)
        last_row = BATCH_GRID_HEADER_ROWS + BATCH_VALIDATED_ROWS
        group_start = None
        for position, column in enumerate(layout.columns):
            starts_group = position == 0 or layout.columns[position - 1].row is not column.row
            if starts_group:
                unit = column.row.get("unit")
                label = _required(localized(column.row), bool(column.row.get("required")))
                _put(ws, 1, column.number, f"{label} ({unit})" if unit else label, **header)
                group_start = column.number
            _put(ws, 2, column.number, localized(column.column), **header)
            ends_group = position == len(layout.columns) - 1 or layout.columns[position + 1].row is not column.row
            if ends_group and column.number > group_start:
                ws.merge_cells(start_row=1, start_column=group_start, end_row=1, end_column=column.number)
            letter = get_column_letter(column.number)
            ws.column_dimensions[letter].width = 14
            validations.add(f"{letter}{BATCH_GRID_HEADER_ROWS + 1}:{letter}{last_row}", integer=column.integer,
                            nonnegative=bool(column.row.get("nonnegative")))
        ws.freeze_panes = f"{get_column_letter(BATCH_KEY_COLUMNS + 1)}{BATCH_GRID_HEADER_ROWS + 1}"
        ws.row_dimensions[1].height = 36
        for table in layout.tables:
            _batch_table_sheet(workbook.create_sheet(table.title), table, header)
        _meta_sheet(workbook, version=version, kind=BATCH_LAYOUT)
        return _save(workbook)


def _credit_code_column_text(ws) -> None:
    """Column A (统一社会信用代码) is text: typed as a number, 18 digits would keep only 15 (`batch.credit_code_read`)."""
    ws.column_dimensions["A"].number_format = TEXT_FORMAT


def _batch_table_sheet(ws, table, header: dict) -> None:
    _put(ws, 1, 1, pgettext("excel", "Unified social credit code") + " *", **header)
    _put(ws, 1, 2, pgettext("excel", "Enterprise name"), **header)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 24
    _credit_code_column_text(ws)
    validations = _Validations(ws)
    for position, column in enumerate(table.columns):
        number = table.column_number(position)
        letter = get_column_letter(number)
        _put(ws, 1, number, _required(localized(column), bool(column.get("required"))), **header)
        ws.column_dimensions[letter].width = 14
        if column_is_numeric(column):
            validations.add(f"{letter}2:{letter}{1 + BATCH_VALIDATED_ROWS}", integer=column.get("type") == "integer",
                            nonnegative=bool(column.get("nonnegative")))
    ws.freeze_panes = "C2"
