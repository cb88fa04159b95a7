"""Read the batch import file of SPEC §10 (企业上报导入): one row per enterprise, streamed."""
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy, pgettext

from ..engine import RuleContext, ValidationResult
from ..engine.definition import localized
from ..selectors import version_compiled
from .layout import (
    BATCH_GRID_HEADER_ROWS, BATCH_KEY_COLUMNS, BATCH_LAYOUT, BATCH_TABLE_HEADER_ROWS, BatchLayout, NotANumber,
    NotAWholeNumber, Spot, cell_number, cell_text, label_matches,
)
from .meta import meta_check, meta_read
from .reading import (
    MUST_BE_FILLED, CellError, issue_errors, layout_changed, number_error, open_workbook, sheet_missing, table_row_read,
)
from .safety import UploadLimits, not_a_workbook, rows_refused, upload_check, upload_limits

#: Enterprise rows of a batch file and rows of each of its table sheets (产品产销存) when the settings
#: IMPORT_BATCH_MAX_ROWS / IMPORT_PRODUCTS_MAX_ROWS do not say.
DEFAULT_BATCH_ROWS = 3_000
DEFAULT_TABLE_ROWS = 2_000
#: Cells a row may hold beyond the template's columns (a spreadsheet program may write a few more).
CELLS_HEADROOM = 10

#: Characters of a 统一社会信用代码 (GB 32100-2015).
CREDIT_CODE_LENGTH = 18
CREDIT_CODE_AS_NUMBER = gettext_lazy(
    "the credit code was entered as a number, which is read only when it has all 18 digits; format the column as "
    "text and type the 18 characters again")


@dataclass
class BatchRow:
    """One enterprise's row of a batch file: where it is, who it is, its answers and its errors.

    `answers` hold the indicator grids and the tables' rows of this credit code. `errors` are cell
    errors (the caller may append its own, e.g. "already approved"); `messages()` formats them
    as SPEC §10 shows (`… [行号: 4]`). `result` is the engine's validation when a context was given.
    """

    sheet: str
    row_number: int
    credit_code: str
    name: str
    answers: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    result: ValidationResult | None = None
    #: Sheet rows each table answer row came from, and the file's layout: to place engine errors.
    table_rows: dict = field(default_factory=dict, repr=False)
    layout: BatchLayout | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def messages(self, *, limit: int | None = None) -> list[str]:
        """`E列（营业收入·本年本月）：只能填写数字 [行号: 4]`, one line per error, in the active language.

        With `limit`, the first `limit` lines and then one line 「另有 N 条错误未列出」.
        """
        lines = []
        for error in self.errors[:limit] if limit is not None else self.errors:
            text = error.describe(with_sheet=bool(error.sheet) and error.sheet != self.sheet, with_row=False)
            lines.append(_("%(message)s [row: %(row)s]") % {"message": text, "row": error.row or self.row_number})
        if limit is not None and len(self.errors) > limit:
            lines.append(more_errors(len(self.errors) - limit))
        return lines

    def as_dict(self) -> dict:
        """The row as JSON-ready data (cell messages as text in the active language); see `from_dict`."""
        return {"sheet": self.sheet, "row_number": self.row_number, "credit_code": self.credit_code, "name": self.name,
                "answers": self.answers, "table_rows": self.table_rows,
                "errors": [{**asdict(error), "message": str(error.message)} for error in self.errors]}

    @classmethod
    def from_dict(cls, data: dict, *, layout: "BatchLayout") -> "BatchRow":
        """A row written by `as_dict`, bound to the file's `layout` (`batch_layout`) to place engine errors."""
        return cls(data["sheet"], data["row_number"], data["credit_code"], data["name"], answers=data["answers"],
                   errors=[CellError(**error) for error in data["errors"]], table_rows=data["table_rows"],
                   layout=layout)


def more_errors(count: int) -> str:
    """The summary line of the messages left out: 「另有 N 条错误未列出」."""
    return _("%(count)s more errors not listed") % {"count": count}


def batch_layout(*, version, lang: str | None = None) -> BatchLayout:
    """The layout of `version`'s batch file in the file's language `lang` (its sheet titles and labels)."""
    with translation.override(lang or translation.get_language()):
        return BatchLayout(version.document, version_compiled(version).index)


def batch_limits(*, version) -> UploadLimits:
    """What a batch file of `version` may hold: IMPORT_BATCH_MAX_ROWS enterprise rows (default 3,000) and
    IMPORT_PRODUCTS_MAX_ROWS rows of each table sheet (default 2,000), below their header rows, under the
    sheet titles of every language, each row of its width + CELLS_HEADROOM cells; the part sizes from the
    settings (`upload_limits`)."""
    enterprises = int(getattr(settings, "IMPORT_BATCH_MAX_ROWS", DEFAULT_BATCH_ROWS)) + BATCH_GRID_HEADER_ROWS
    tables = int(getattr(settings, "IMPORT_PRODUCTS_MAX_ROWS", DEFAULT_TABLE_ROWS)) + BATCH_TABLE_HEADER_ROWS
    rows, cells = {}, {}
    for lang, _name in settings.LANGUAGES:
        layout = batch_layout(version=version, lang=lang)
        rows[layout.title] = enterprises
        cells[layout.title] = enterprises * (layout.width + CELLS_HEADROOM)
        for table in layout.tables:
            rows[table.title] = tables
            cells[table.title] = tables * (BATCH_KEY_COLUMNS + len(table.columns) + CELLS_HEADROOM)
    return upload_limits(rows=rows, cells=cells)


def batch_read(*, file, version, context_for: Callable[[str], RuleContext | None] | None = None) -> Iterator[BatchRow]:
    """The rows of a filled batch file of `version`, one `BatchRow` per enterprise, lazily.

    Checks the upload (`upload_check` with `batch_limits`) and the template (`ExcelRefused`, raised
    at once); then streams the indicator sheet with openpyxl's read-only reader, so thousands of
    rows use constant memory (only the tables' rows, keyed by credit code, and the credit codes
    seen are held); a sheet holding more rows than its limit is refused while streaming too (its
    `<dimension>` may lie). Each row
    gets every cell error (numbers only, missing or repeated credit code). With `context_for`
    (credit code → the enterprise's `RuleContext`) each row is also validated by the engine
    (`batch_row_validate`); otherwise the caller does that per row once it knows the enterprise,
    since which rows are shown, hence required, depends on it. Table rows whose credit code has
    no indicator row come last, as rows of their own. Nothing is saved.
    """
    limits = batch_limits(version=version)
    upload_check(file, limits=limits)
    compiled = version_compiled(version)
    workbook = open_workbook(file)
    try:
        meta = meta_read(workbook)
        meta_check(meta, version=version, kind=BATCH_LAYOUT)
        language = meta.get("lang") or translation.get_language()
        with translation.override(language):
            layout = BatchLayout(version.document, compiled.index)
            _check_headers(workbook, layout)
            tables = _read_tables(workbook, layout, limits)
            labels = _key_labels()
    except ParseError as exc:  # a damaged sheet part
        workbook.close()
        raise not_a_workbook() from exc
    except BaseException:
        workbook.close()
        raise
    return _rows(workbook, layout, compiled, tables, context_for, labels, limits)


def _check_headers(workbook, layout: BatchLayout) -> None:
    for title in [layout.title] + [t.title for t in layout.tables]:
        if title not in workbook.sheetnames:
            raise sheet_missing(title)
    header = next(workbook[layout.title].iter_rows(min_row=BATCH_GRID_HEADER_ROWS, max_row=BATCH_GRID_HEADER_ROWS,
                                                   max_col=layout.width, values_only=True), ())
    for column in layout.columns:
        found = header[column.number - 1] if column.number <= len(header) else None
        if not label_matches(found, localized(column.column)):
            raise layout_changed(layout.title, BATCH_GRID_HEADER_ROWS, localized(column.column))
    for table in layout.tables:
        header = next(workbook[table.title].iter_rows(min_row=1, max_row=BATCH_TABLE_HEADER_ROWS,
                                                      max_col=BATCH_KEY_COLUMNS + len(table.columns), values_only=True), ())
        for position, column in enumerate(table.columns):
            number = table.column_number(position)
            if not label_matches(header[number - 1] if number <= len(header) else None, localized(column)):
                raise layout_changed(table.title, BATCH_TABLE_HEADER_ROWS, localized(column))


def _read_tables(workbook, layout: BatchLayout, limits: UploadLimits) -> dict:
    """{credit code: {table id: [(sheet row, answer row, errors)]}} of every table sheet."""
    found: dict = {}
    for table in layout.tables:
        fid = table.field["id"]
        width = BATCH_KEY_COLUMNS + len(table.columns)
        limit = limits.rows_of(table.title)
        rows = workbook[table.title].iter_rows(min_row=BATCH_TABLE_HEADER_ROWS + 1, max_col=width, values_only=True)
        for number, cells in enumerate(rows, start=BATCH_TABLE_HEADER_ROWS + 1):
            if all(cell_text(v) is None for v in cells):
                continue
            if number > limit:
                raise rows_refused(table.title, number, limit)
            code, code_error = credit_code_read(cells[0])
            entries = found.setdefault(code, {}).setdefault(fid, [])
            answer, problems = table_row_read(
                table.field, list(cells[BATCH_KEY_COLUMNS:]),
                lambda offset, column, number=number, table=table: Spot(
                    table.title, number, table.column_number(offset), table.cell_label(column)),
                path=f"{fid}.{len(entries)}")
            if code_error:
                problems.insert(0, CellError(table.title, number, "A", code_error, _key_labels()[0]))
            entries.append((number, answer, problems))
    return found


def _rows(workbook, layout: BatchLayout, compiled, tables: dict, context_for, labels: tuple,
          limits: UploadLimits) -> Iterator[BatchRow]:
    seen: dict = {}
    limit = limits.rows_of(layout.title)
    try:
        rows = workbook[layout.title].iter_rows(min_row=BATCH_GRID_HEADER_ROWS + 1, max_col=layout.width,
                                                values_only=True)
        for number, cells in enumerate(rows, start=BATCH_GRID_HEADER_ROWS + 1):
            if all(cell_text(v) is None for v in cells):
                continue
            if number > limit:
                raise rows_refused(layout.title, number, limit)
            row = _row(layout, number, cells, labels)
            if row.credit_code and row.credit_code in seen:
                message = _("this credit code is already in row %(row)s") % {"row": seen[row.credit_code]}
                row.errors.append(CellError(layout.title, number, "A", message, labels[0]))
            elif row.credit_code:
                seen[row.credit_code] = number
            _attach_tables(row, tables.pop(row.credit_code, {}) if row.credit_code else {})
            if context_for is not None:
                _validate(row, compiled, context_for(row.credit_code), None)
            yield row
        for code, by_table in tables.items():
            yield _orphan(layout, code, by_table, labels)
    except ParseError as exc:  # a damaged sheet part, found while streaming
        raise not_a_workbook() from exc
    finally:
        workbook.close()


def credit_code_read(value) -> tuple[str, str | None]:
    """The credit code in a cell and, when it cannot be trusted, why (a message for the cell).

    The batch template formats the column as text. A spreadsheet program that still stores the code
    as a number keeps 15 significant digits (913302031234567881 becomes 913302031234567936), so a
    number is accepted only when it arrives as an exact integer of 18 digits; any other number is
    refused rather than looked up under digits the user never typed.
    """
    text = cell_text(value) or ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return text, None
    if isinstance(value, int) and len(str(abs(value))) == CREDIT_CODE_LENGTH:
        return text, None
    return text, str(CREDIT_CODE_AS_NUMBER)


def _key_labels() -> tuple[str, str]:
    return pgettext("excel", "Unified social credit code"), pgettext("excel", "Enterprise name")


def _row(layout: BatchLayout, number: int, cells: tuple, labels: tuple) -> BatchRow:
    cells = tuple(cells) + (None,) * (layout.width - len(cells))
    code, code_error = credit_code_read(cells[0])
    row = BatchRow(layout.title, number, code, cell_text(cells[1]) or "", layout=layout)
    if not row.credit_code or code_error:
        row.errors.append(CellError(layout.title, number, "A", code_error or MUST_BE_FILLED, labels[0]))
    for column in layout.columns:
        path = f"{column.field_id}.{column.row['id']}.{column.column['id']}"
        try:
            value = cell_number(cells[column.number - 1], integer=column.integer)
        except (NotANumber, NotAWholeNumber) as exc:
            row.errors.append(number_error(Spot(layout.title, number, column.number, column.label), exc, path))
            continue
        if value is not None:
            row.answers.setdefault(column.field_id, {}).setdefault(column.row["id"], {})[column.column["id"]] = value
    return row


def _attach_tables(row: BatchRow, by_table: dict) -> None:
    for fid, entries in by_table.items():
        row.answers[fid] = [answer for _number, answer, _problems in entries]
        row.table_rows[fid] = [number for number, _answer, _problems in entries]
        for _number, _answer, problems in entries:
            row.errors += problems


def batch_row_validate(*, row: BatchRow, version, context: RuleContext | None = None,
                       base_answers: dict | None = None) -> ValidationResult:
    """Validate one batch row with the engine and add its ERROR issues to `row.errors`, placed at their cells.

    `context` is the enterprise's rule context (period, enterprise, prev, last_year);
    `base_answers` (the report's saved 基本信息, else the enterprise's profile) are merged under the
    row's answers (the grids and tables always come from the file), and then the whole definition is
    checked, required 基本信息 included, as 上报导入 checks it; without them only the steps the batch
    file covers. Returns the engine's result (also kept in `row.result`).
    """
    return _validate(row, version_compiled(version), context, base_answers)


def _validate(row: BatchRow, compiled, context: RuleContext | None, base_answers: dict | None) -> ValidationResult:
    layout = row.layout
    # The file's own fields (every grid and table) come from the file alone, as in 上报导入 (`workbook_read`).
    own = {spec["id"] for spec in layout.grid_fields} | {table.field["id"] for table in layout.tables}
    answers = {key: value for key, value in (base_answers or {}).items() if key not in own}
    answers.update(row.answers)
    steps = None if base_answers is not None else layout.step_ids
    row.result = compiled.validate(answers, context, steps=steps)
    row.errors += issue_errors(row.result, row.errors,
                               lambda path: layout.locate(path, row_number=row.row_number, table_rows=row.table_rows))
    return row.result


def _orphan(layout: BatchLayout, code: str, by_table: dict, labels: tuple) -> BatchRow:
    """Table rows whose credit code is empty or has no row on the indicator sheet."""
    table = next(t for t in layout.tables if t.field["id"] in by_table)
    entries = by_table[table.field["id"]]
    row = BatchRow(table.title, entries[0][0], code, "", layout=layout)
    message = MUST_BE_FILLED if not code else _("no row of sheet “%(sheet)s” has this credit code") % {
        "sheet": layout.title}
    for fid, entries in by_table.items():
        title = next(t.title for t in layout.tables if t.field["id"] == fid)
        for number, _answer, problems in entries:
            row.errors.append(CellError(title, number, "A", message, labels[0]))
            row.errors += problems
    return row
