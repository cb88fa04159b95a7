"""Reading an export back: the header block every table export starts with (`exports.styling`:
the title, the filter lines, 导出时间) apart from the table itself (group headers, headers, rows)."""
import io

import openpyxl

EXPORT_TIME = "导出时间"


def export_parts(data: bytes) -> tuple[list[str], list[tuple]]:
    """(the header block's lines, the rows below it) of the first sheet of an export."""
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    end = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(EXPORT_TIME))
    return [row[0] for row in rows[:end + 1]], rows[end + 1:]


def export_body(data: bytes) -> list[tuple]:
    return export_parts(data)[1]
