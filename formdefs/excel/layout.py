"""Where every answer sits in the generated workbooks: one layout, used to write and to read.

The template (one sheet per step) and the batch file (one row per enterprise) are laid out from
the definition, in the language the file was made in, so the reader rebuilds the same layout and
finds each cell again. A hidden sheet (`meta.py`) names the definition, version and checksum, and for a template
made for someone (`TemplateTarget`: an enterprise and a month) who and which period it is for and
which single answers (`FieldsBlock`, e.g. 基本信息 the registration data does not give) it holds.
"""
import re
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext as _, pgettext
from openpyxl.utils import get_column_letter

from ..engine.definition import localized
from ..types import FIELD_TYPES, field_type, row_takes
from ..types.cells import NotAChoice, NotANumber, NotAWholeNumber, cell_number, cell_text  # noqa: F401 (re-exported)
from .safety import escape_formula

META_SHEET = "_meta"
GRID, TABLE = "indicator_grid", "table"
FORM_LAYOUT, BATCH_LAYOUT = "form", "batch"
#: Grid sheets: A label, B unit, values from C.
GRID_FIRST_VALUE = 3
#: Table sheets: A row number, values from B.
TABLE_FIRST_VALUE = 2
#: Empty rows a template table offers when the definition sets no (or a large) `max_rows`.
TABLE_ROWS_DEFAULT, TABLE_ROWS_LIMIT = 20, 200
#: First block of a step sheet (row 1 title, row 2 instructions, row 3 empty).
FIRST_BLOCK_ROW = 4
BATCH_KEY_COLUMNS = 2  # credit code, enterprise name
BATCH_GRID_HEADER_ROWS = 2
BATCH_TABLE_HEADER_ROWS = 1
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


#: Columns of a `FieldsBlock`: A the question, B the answer, C unit and help.
FIELD_VALUE_COLUMN = 2


class TemplateUnavailable(ValueError):
    """The definition has no indicator grid and no table, so there is nothing to fill in Excel."""


def sheet_title(text: str, taken: set) -> str:
    """A valid, unique worksheet title (≤ 31 characters, none of []:*?/\\)."""
    base = _INVALID_TITLE.sub(" ", text or "").strip().strip("'")[:31] or "Sheet"
    title, number = base, 2
    while title.lower() in taken or title == META_SHEET:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.lower())
    return title


def column_is_numeric(column: dict) -> bool:
    return column.get("type") in ("integer", "decimal")


def field_cell_offered(spec: dict) -> bool:
    """Whether a template can hold this field's answer in one cell (a choice with a 其他(请注明) option cannot)."""
    return spec.get("type") in FIELD_TYPES and field_type(spec).cell_offered(spec)


@dataclass(frozen=True)
class Spot:
    """One cell of a workbook, with the label users read for it (`营业收入·本年本月`)."""

    sheet: str
    row: int
    column: int | None
    label: str

    @property
    def letter(self) -> str:
        return get_column_letter(self.column) if self.column else ""


@dataclass
class GridBlock:
    """An indicator grid: a title row, a header row, then one sheet row per grid row."""

    field: dict
    label: str
    title_row: int
    rows: list
    columns: list

    @property
    def header_row(self) -> int:
        return self.title_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.rows)

    @property
    def width(self) -> int:
        return GRID_FIRST_VALUE + len(self.columns)  # + the note column

    def row_number(self, position: int) -> int:
        return self.header_row + 1 + position

    def column_number(self, position: int) -> int:
        return GRID_FIRST_VALUE + position

    def row_label(self, row: dict) -> str:
        return localized(row)

    def cell_label(self, row: dict, column: dict) -> str:
        return f"{localized(row)}·{localized(column)}"


@dataclass
class TableBlock:
    """A table: a title row, a header row, then `size` empty rows to fill."""

    field: dict
    label: str
    title_row: int
    size: int
    columns: list

    @property
    def header_row(self) -> int:
        return self.title_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + self.size

    @property
    def width(self) -> int:
        return TABLE_FIRST_VALUE + len(self.columns) - 1

    def row_number(self, position: int) -> int:
        return self.header_row + 1 + position

    def column_number(self, position: int) -> int:
        return TABLE_FIRST_VALUE + position

    def cell_label(self, column: dict) -> str:
        return f"{self.label}·{localized(column)}"


@dataclass
class FieldsBlock:
    """Single answers of a step (是否省级“专精特新”中小企业, 上年营业收入…): a title row, a header row, then one
    sheet row per field with the question in A, the answer in B, unit and help in C."""

    fields: list
    label: str
    title_row: int

    @property
    def header_row(self) -> int:
        return self.title_row + 1

    @property
    def last_row(self) -> int:
        return self.header_row + len(self.fields)

    @property
    def width(self) -> int:
        return FIELD_VALUE_COLUMN + 1

    def row_number(self, position: int) -> int:
        return self.header_row + 1 + position

    def position_of(self, field_id: str) -> int | None:
        return next((i for i, f in enumerate(self.fields) if f["id"] == field_id), None)


@dataclass
class StepSheet:
    title: str
    step: dict
    blocks: list = field(default_factory=list)

    @property
    def last_row(self) -> int:
        return max(block.last_row for block in self.blocks)

    @property
    def width(self) -> int:
        return max(block.width for block in self.blocks)


class FormLayout:
    """The template of a definition: one sheet per step with grids or tables, built in the active language.

    `fields` names single answers (ids of fields `field_cell_offered` accepts, in any order) the
    template also holds, each on its step's sheet before the step's grids and tables; the others are
    ignored. The template records them (`meta_rows`), so the reader builds the same layout.
    """

    def __init__(self, document: dict, index, *, fields=()):
        self.sheets: list[StepSheet] = []
        self.blocks: dict[str, tuple] = {}
        wanted = set(fields)
        #: The single answers the layout holds, in document order.
        self.fields: tuple = tuple(f["id"] for f in index.fields if f["id"] in wanted and field_cell_offered(f))
        taken: set = set()
        for step in index.steps:
            step_fields = index.step_fields(step["id"])
            singles = [f for f in step_fields if f["id"] in self.fields]
            grids = [f for f in step_fields if f["type"] in (GRID, TABLE)]
            if not singles and not grids:
                continue
            sheet = StepSheet(sheet_title(localized(step, "title"), taken), step)
            row = FIRST_BLOCK_ROW
            if singles:
                block = FieldsBlock(singles, localized(step, "title"), row)
                sheet.blocks.append(block)
                self.blocks.update((spec["id"], (sheet, block)) for spec in singles)
                row = block.last_row + 2
            for spec in grids:
                if spec["type"] == GRID:
                    block = GridBlock(spec, localized(spec), row, list(spec.get("rows", [])),
                                      list(spec.get("columns", [])))
                else:
                    block = TableBlock(spec, localized(spec), row, table_size(spec), list(spec.get("columns", [])))
                sheet.blocks.append(block)
                self.blocks[spec["id"]] = (sheet, block)
                row = block.last_row + 2
            self.sheets.append(sheet)
        if not any(isinstance(b, (GridBlock, TableBlock)) for sheet in self.sheets for b in sheet.blocks):
            raise TemplateUnavailable(f"definition {document.get('id')!r} has no indicator grid or table")

    @property
    def field_ids(self) -> set:
        return set(self.blocks)

    @property
    def step_ids(self) -> set:
        return {sheet.step["id"] for sheet in self.sheets}

    def locate(self, path: str, table_rows: dict) -> Spot | None:
        """The cell of an answer path (`ind.revenue.month`, `products.0.name`, `products`), or None.

        `table_rows` maps a table's id to the sheet rows its answer rows were read from (blank
        rows in between are skipped, so answer row 1 is not always sheet row header + 2).
        """
        parts = path.split(".")
        if parts[0] not in self.blocks:
            return None
        sheet, block = self.blocks[parts[0]]
        if isinstance(block, FieldsBlock):
            position = block.position_of(parts[0])
            return Spot(sheet.title, block.row_number(position), FIELD_VALUE_COLUMN, localized(block.fields[position]))
        if len(parts) == 1:
            return Spot(sheet.title, block.title_row, 1, block.label)
        if isinstance(block, GridBlock):
            position = next((i for i, r in enumerate(block.rows) if r["id"] == parts[1]), None)
            if position is None:
                return None
            row = block.rows[position]
            column = next((j for j, c in enumerate(block.columns) if len(parts) > 2 and c["id"] == parts[2]), None)
            if column is None:
                return Spot(sheet.title, block.row_number(position), 1, block.row_label(row))
            return Spot(sheet.title, block.row_number(position), block.column_number(column),
                        block.cell_label(row, block.columns[column]))
        if not parts[1].isdigit() or int(parts[1]) >= len(table_rows.get(parts[0], ())):
            return Spot(sheet.title, block.title_row, 1, block.label)
        row_number = table_rows[parts[0]][int(parts[1])]
        column = next((j for j, c in enumerate(block.columns) if len(parts) > 2 and c["id"] == parts[2]), None)
        if column is None:
            return Spot(sheet.title, row_number, 1, block.label)
        return Spot(sheet.title, row_number, block.column_number(column), block.cell_label(block.columns[column]))


def table_size(spec: dict) -> int:
    """Empty rows offered for a table: its `max_rows` (bounded), at least its `min_rows` and 1."""
    size = min(spec.get("max_rows") or TABLE_ROWS_DEFAULT, TABLE_ROWS_LIMIT)
    return max(size, spec.get("min_rows") or 0, 1)


@dataclass(frozen=True)
class BatchColumn:
    """One value column of the batch indicator sheet: a grid row × an input column."""

    number: int
    field_id: str
    row: dict
    column: dict
    label: str

    @property
    def integer(self) -> bool:
        return bool(self.row.get("integer"))


@dataclass
class BatchTable:
    """A table of the batch file: its own sheet, one row per table row, keyed by credit code."""

    title: str
    field: dict
    columns: list

    def column_number(self, position: int) -> int:
        return BATCH_KEY_COLUMNS + 1 + position  # A credit code, B enterprise name

    def cell_label(self, column: dict) -> str:
        return f"{localized(self.field)}·{localized(column)}"


class BatchLayout:
    """SPEC §10: one row per enterprise with every grid row × input column; one sheet per table."""

    def __init__(self, document: dict, index):
        taken: set = set()
        grids = [f for f in index.fields if f["type"] == GRID]
        tables = [f for f in index.fields if f["type"] == TABLE]
        if not grids and not tables:
            raise TemplateUnavailable(f"definition {document.get('id')!r} has no indicator grid or table")
        self.grid_fields = grids
        self.title = sheet_title(localized(grids[0]) if len(grids) == 1 else pgettext("excel", "Indicators"), taken)
        self.columns: list[BatchColumn] = []
        for spec in grids:
            for row in spec.get("rows", []):
                for column in spec.get("columns", []):
                    if column.get("expr") or not row_takes(row, column):
                        continue
                    self.columns.append(BatchColumn(BATCH_KEY_COLUMNS + 1 + len(self.columns), spec["id"], row, column,
                                                    f"{localized(row)}·{localized(column)}"))
        self.tables = [BatchTable(sheet_title(localized(spec), taken), spec, list(spec.get("columns", [])))
                       for spec in tables]
        self.step_ids = {index.step_of[f["id"]] for f in grids + tables}
        #: The language of the titles and labels (a batch file records it; `batch_layout` builds it again).
        self.lang = get_language() or ""

    @property
    def width(self) -> int:
        return BATCH_KEY_COLUMNS + len(self.columns)

    def locate(self, path: str, *, row_number: int, table_rows: dict) -> Spot | None:
        """The cell of an answer path in one enterprise's rows (its indicator row, its table rows)."""
        parts = path.split(".")
        for column in self.columns:
            if parts[0] == column.field_id and parts[1:2] == [column.row["id"]]:
                if len(parts) < 3 or parts[2] == column.column["id"]:
                    return Spot(self.title, row_number, column.number, column.label)
        for table in self.tables:
            if parts[0] != table.field["id"]:
                continue
            rows = table_rows.get(parts[0], [])
            if len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) >= len(rows):
                return Spot(table.title, rows[0] if rows else row_number, None, localized(table.field))
            position = next((j for j, c in enumerate(table.columns) if len(parts) > 2 and c["id"] == parts[2]), None)
            if position is None:
                return Spot(table.title, rows[int(parts[1])], None, localized(table.field))
            return Spot(table.title, rows[int(parts[1])], table.column_number(position),
                        table.cell_label(table.columns[position]))
        return None


# -- cell values: each field type writes and reads its own cell (`formdefs.types`) ------------------------------
def field_choices(spec: dict) -> list[tuple]:
    """(answer, label) pairs of a list cell as a template offers them (是 / 否, option labels, a rating's values)."""
    return field_type(spec).cell_choices(spec)


def field_cell_value(spec: dict, value):
    """What the cell of a single answer shows: the label of a choice, the number or text itself."""
    return field_type(spec).cell_value(spec, value)


def field_cell_read(spec: dict, value):
    """The answer in the cell of a single answer: None when empty; NotANumber, NotAWholeNumber or
    NotAChoice when the cell holds something the field cannot take."""
    return field_type(spec).cell_read(spec, value)


def label_matches(found, expected: str) -> bool:
    """A label cell still reads `expected` (as written: maybe escaped, maybe marked required with ` *`)."""
    text = (cell_text(found) or "").rstrip(" *")
    return text in (expected, escape_formula(expected))
