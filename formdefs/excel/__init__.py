"""Excel for any form definition (openpyxl): templates, import, batch import, export of a submission.

Pure services, no database writes: the caller (reporting, the back office) decides what to save.

* `upload_check(file)` — refuse oversized, non-xlsx, zip-bomb and XML-bomb uploads (`ExcelRefused`).
* `template_build(version=, …)` / `workbook_read(file=, version=, …)` — 上报导入 of one report; a template made for
  an enterprise and a period (`TemplateTarget`, the rule context) greys the rows that do not apply there.
* `batch_template_build(version=)` / `batch_read(file=, version=)` / `batch_row_validate(row=, version=, …)` —
  企业上报导入 (SPEC §10).
* `answers_export(version=, answers=, …)` — the detail of one submission.
* `xlsx_value(ws, value)` / `xlsx_row(ws, values)` / `xlsx_text(cell)` — every value written to a workbook goes
  through them (text stays text, never a formula; times in local time); `escape_formula(value)` — for CSV fields.
"""
from .batch import BatchRow, batch_read, batch_row_validate
from .export import answers_export
from .layout import TemplateTarget, TemplateUnavailable
from .reading import CellError, ReadResult, workbook_read
from .safety import ExcelRefused, escape_formula, upload_check, xlsx_row, xlsx_text, xlsx_value
from .templates import batch_template_build, template_build

__all__ = [
    "BatchRow", "CellError", "ExcelRefused", "ReadResult", "TemplateTarget", "TemplateUnavailable", "answers_export", "batch_read",
    "batch_row_validate", "batch_template_build", "escape_formula", "template_build", "upload_check", "workbook_read",
    "xlsx_row", "xlsx_text", "xlsx_value",
]
