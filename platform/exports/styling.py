"""The one look of every table export (issue 21 §4): a header block stating the query, its filters
and the time of export (Asia/Shanghai), merged group headers over the column headers, a frozen
header, column widths fitted to the content and number formats people expect (`#,##0`, `#,##0.00`).

`sheet_write(sheet, table)` writes a `registry.Table` to a write-only sheet in one pass. Write-only
sheets write their column widths and panes before the first row, so the widths are measured on the
headers and the first `MEASURE_ROWS` rows (held back, then written with the rest).
"""
import itertools
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from formdefs.excel import xlsx_value

from .registry import Percent, Table

#: Number formats by kind of value: counts, amounts (two decimals) and percentages (the header says %).
INTEGER_FORMAT = "#,##0"
AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00"
#: Rows read ahead to fit the column widths.
MEASURE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60

TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def number_format(value) -> str | None:
    """The format of a numeric cell (None for anything else: text, dates, blanks)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Percent):
        return PERCENT_FORMAT
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, (float, Decimal)):
        return AMOUNT_FORMAT
    return None


def text_width(value) -> int:
    """Display width of a value in Excel character units (CJK characters count double)."""
    if value is None:
        return 0
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        text = f"{value:,.2f}" if not isinstance(value, int) else f"{value:,}"
    else:
        text = str(value)
    return max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in text.splitlines() or [""]), default=0)


def export_time_line() -> str:
    return _("Exported at %(time)s (Beijing time)") % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"}


def header_block(table: Table) -> list[str]:
    """The lines above the column headers: the title, each filter line, the export time."""
    lines = [str(table.title)] if table.title else []
    lines += [str(line) for line in table.captions]
    lines.append(export_time_line())
    return lines


def _styled(sheet, value, *, font=None, fill=None, alignment=None, fmt=None):
    cell = xlsx_value(sheet, value if value is None or isinstance(value, (int, float, Decimal)) else str(value),
                      font=font or Font())
    # xlsx_value returns a cell whenever a font is given
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if fmt:
        cell.number_format = fmt
    return cell


def _data_row(sheet, row):
    out = []
    for value in row:
        fmt = number_format(value)
        if fmt is None:
            out.append(xlsx_value(sheet, value))
        else:
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = fmt
            out.append(cell)
    return out


def sheet_write(sheet, table: Table, *, progress=None, progress_every: int = 1000) -> int:
    """Write `table` to the write-only `sheet`; returns the number of data rows written."""
    headers = [str(h) for h in table.headers]
    columns = max(len(headers), 1)
    rows = iter(table.rows)
    ahead = list(itertools.islice(rows, MEASURE_ROWS))

    widths = [text_width(h) for h in headers] + [0] * (columns - len(headers))
    for row in ahead:
        for index, value in enumerate(row[:columns]):
            widths[index] = max(widths[index], text_width(value))
    groups = list(table.groups)
    if groups:  # a group label wider than its columns widens them evenly
        start = 0
        for label, span in groups:
            need = text_width(label) - sum(widths[start:start + span])
            if need > 0 and span:
                for index in range(start, min(start + span, columns)):
                    widths[index] += need // span + 1
            start += span
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)

    lines = header_block(table)
    extra = list(table.header_rows)
    header_row = len(lines) + len(extra) + (1 if groups else 0) + 1
    sheet.freeze_panes = f"A{header_row + 1}"

    for number, line in enumerate(lines, 1):
        # not merged: a long line runs on over the empty cells beside it (a merged one would be cut)
        sheet.append([_styled(sheet, line, font=TITLE_FONT if number == 1 and table.title else None)])
    for row in extra:
        sheet.append([_styled(sheet, v, font=HEADER_FONT) for v in row])
    if groups:
        row_number = len(lines) + len(extra) + 1
        cells, start = [], 1
        for label, span in groups:
            cells += [_styled(sheet, label or None, font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER)]
            cells += [_styled(sheet, None, fill=HEADER_FILL, alignment=CENTER) for _ in range(span - 1)]
            if span > 1:
                sheet.merged_cells.add(f"{get_column_letter(start)}{row_number}:"
                                       f"{get_column_letter(start + span - 1)}{row_number}")
            start += span
        sheet.append(cells)
    sheet.append([_styled(sheet, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=CENTER) for h in headers])

    total = table.total or 0
    done = 0
    for row in itertools.chain(ahead, rows):
        sheet.append(_data_row(sheet, row))
        done += 1
        if progress is not None and done % progress_every == 0:
            progress(done, total)
    return done
