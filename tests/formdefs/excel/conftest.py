"""Fixtures for the Excel layer: the shipped monthly report and a small inline definition, published."""
import copy
import io

import pytest
from openpyxl import load_workbook

SMALL = {
    "id": "excel_small", "version": 1, "kind": "report", "title": "小型报表", "title_en": "Small report",
    "steps": [
        {"id": "profile", "title": "概况", "sections": [{"id": "profile_main", "fields": [
            {"id": "kind", "type": "choice", "label": "类型", "required": True,
             "options": [{"value": "a", "label": "甲类"}, {"value": "b", "label": "乙类"}]},
        ]}]},
        {"id": "numbers", "title": "数据", "title_en": "Figures", "sections": [{"id": "numbers_main", "fields": [
            {"id": "grid", "type": "indicator_grid", "label": "指标", "label_en": "Indicators", "rows": [
                {"id": "sales", "label": "销售额", "label_en": "Sales", "unit": "元", "required": True, "nonnegative": True},
                {"id": "staff", "label": "人数", "label_en": "Staff", "unit": "人", "integer": True},
                {"id": "extra", "label": "附加收入", "label_en": "Extra income", "unit": "元", "visible_if": "cur.kind == 'b'"},
            ], "columns": [
                {"id": "now", "label": "本期", "label_en": "Now"},
                {"id": "before", "label": "上期", "label_en": "Before"},
                {"id": "change", "label": "变化", "label_en": "Change",
                 "expr": "has(row.now) && has(row.before) ? row.now - row.before : null"},
            ]},
            {"id": "items", "type": "table", "label": "明细", "label_en": "Items", "min_rows": 0, "max_rows": 5, "columns": [
                {"id": "name", "label": "名称", "label_en": "Name", "type": "text", "required": True, "max_length": 50},
                {"id": "qty", "label": "数量", "label_en": "Quantity", "type": "integer", "nonnegative": True},
            ]},
        ]}]},
    ],
    "rules": [{"id": "before_not_huge", "severity": "error", "expr": "cur.grid.sales.before <= cur.grid.sales.now * 10.0",
               "message": "上期销售额不应超过本期的10倍", "message_en": "Sales before must not exceed ten times sales now"}],
}


@pytest.fixture
def small_doc():
    return copy.deepcopy(SMALL)


@pytest.fixture
def small(db, small_doc):
    """The small inline definition, published through the service."""
    from formdefs.services import formdef_publish_document

    return formdef_publish_document(document=small_doc)


@pytest.fixture
def monthly_version(published):
    return published["sme_monthly_report"]


def workbook_of(data: bytes, **kwargs):
    return load_workbook(io.BytesIO(data), **kwargs)


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_row(ws, first: str) -> int:
    """The row whose column A reads `first` (found by text, independently of the layout code)."""
    for number, (value,) in enumerate(ws.iter_rows(min_col=1, max_col=1, values_only=True), start=1):
        if value == first:
            return number
    raise AssertionError(f"no row starting with {first!r} in {ws.title}")


def label_row(ws, label: str, after: int = 1) -> int:
    """The row whose column A is `label` (a required row reads `label *`)."""
    for number, (value,) in enumerate(ws.iter_rows(min_col=1, max_col=1, values_only=True), start=1):
        if number > after and isinstance(value, str) and value.rstrip(" *") == label:
            return number
    raise AssertionError(f"no row {label!r} in {ws.title}")


def header_columns(ws, row: int) -> dict:
    """{header text without ' *': column letter} of one header row."""
    return {str(cell.value).rstrip(" *"): cell.column_letter for cell in ws[row] if cell.value is not None}


def fill_grid(ws, spec: dict, grid: dict, first_header: str = "指标名称") -> None:
    """Type a grid answer into a template sheet, finding rows by label and columns by header text."""
    top = header_row(ws, first_header)
    columns = header_columns(ws, top)
    for row in spec["rows"]:
        for column_id, value in (grid.get(row["id"]) or {}).items():
            column = next(c for c in spec["columns"] if c["id"] == column_id)
            ws[f"{columns[column['label']]}{label_row(ws, row['label'], top)}"] = value


def fill_table(ws, spec: dict, rows: list, first_header: str = "序号", skip: tuple = ()) -> list:
    """Type table rows under the header (sheet positions in `skip` are left blank); returns the sheet rows used."""
    top = header_row(ws, first_header)
    columns = header_columns(ws, top)
    used, number = [], top + 1
    for row in rows:
        while number - top in skip:
            number += 1
        for column in spec["columns"]:
            if column["id"] in row:
                ws[f"{columns[column['label']]}{number}"] = row[column["id"]]
        used.append(number)
        number += 1
    return used


def field_spec(document: dict, field_id: str) -> dict:
    for step in document["steps"]:
        for section in step["sections"]:
            for spec in section["fields"]:
                if spec["id"] == field_id:
                    return spec
    raise KeyError(field_id)
