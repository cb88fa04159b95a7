"""Excel for any form definition (openpyxl): templates, import, batch import, export of a submission.

Pure services, no database writes: the caller (reporting, the back office) decides what to save.

* `upload_check(file, limits=)` — refuse oversized, non-xlsx, macro, zip-bomb and XML-bomb uploads and parts larger
  than a real template needs (`UploadLimits`: `upload_limits()`, `template_limits(compiled)`, `batch_limits(version=)`).
* `template_build(version=, …)` / `workbook_read(file=, version=, …)` — 上报导入 of one report; a template made for
  an enterprise and a period (`TemplateTarget`, the rule context) greys the rows that do not apply there.
* `batch_template_build(version=)` / `batch_read(file=, version=)` / `batch_row_validate(row=, version=, …)` —
  企业上报导入 (SPEC §10).
* `answers_export(version=, answers=, …)` — the detail of one submission.
* `xlsx_value(ws, value)` / `xlsx_row(ws, values)` / `xlsx_text(cell)` — every value written to a workbook goes
  through them (text stays text, never a formula; times in local time); `escape_formula(value)` — for CSV fields.
"""
from .batch import BatchRow, batch_layout, batch_limits, batch_read, batch_row_validate, more_errors
from .export import answers_export
from .layout import TemplateUnavailable
from .meta import TemplateTarget
from .reading import CellError, ReadResult, template_limits, workbook_read
from .safety import (ExcelRefused, UploadLimits, escape_formula, upload_check, upload_limits, xlsx_row, xlsx_text,
                     xlsx_value)
from .templates import batch_template_build, template_build

__all__ = [
    "BatchRow", "CellError", "ExcelRefused", "ReadResult", "TemplateTarget", "TemplateUnavailable", "UploadLimits",
    "answers_export", "batch_layout", "batch_limits", "batch_read", "batch_row_validate", "batch_template_build",
    "escape_formula", "more_errors", "template_build", "template_limits", "upload_check", "upload_limits",
    "workbook_read", "xlsx_row", "xlsx_text", "xlsx_value",
]
