"""SPEC §10 企业上报导入: the flat batch file, one row per enterprise, read row by row."""
import pytest
from openpyxl.utils import get_column_letter

from formdefs.excel import ExcelRefused, batch_read, batch_row_validate, batch_template_build, template_build
from tests.formdefs.conftest import INPUT_COLUMNS, basic_answers, context, report_answers

from .conftest import field_spec, saved, workbook_of

CODES = ("91330203MA2AAAAA1X", "91330203MA2BBBBB2Y", "91330203MA2CCCCC3Z")


def columns_by_label(ws) -> dict:
    """{(row label, column label): column letter} read from the two header rows."""
    found, current = {}, None
    for top, below in zip(ws[1], ws[2]):
        if top.value is not None:
            current = top.value.split(" (")[0].rstrip(" *")
        if below.value is not None and top.column > 2:
            found[(current, below.value)] = below.column_letter
    return found


def fill_row(ws, number: int, code, name: str, grid: dict, grid_spec: dict) -> None:
    columns = columns_by_label(ws)
    ws[f"A{number}"], ws[f"B{number}"] = code, name
    for row in grid_spec["rows"]:
        for column in grid_spec["columns"]:
            value = (grid.get(row["id"]) or {}).get(column["id"])
            if value is not None and not column.get("expr"):
                ws[f"{columns[(row['label'], column['label'])]}{number}"] = value


def fill_products(ws, rows: list, table_spec: dict) -> None:
    header = {cell.value.rstrip(" *"): cell.column_letter for cell in ws[1] if cell.value}
    for number, (code, product) in enumerate(rows, start=2):
        ws[f"A{number}"] = code
        for column in table_spec["columns"]:
            if column["id"] in product:
                ws[f"{header[column['label']]}{number}"] = product[column["id"]]


def test_the_batch_template_has_one_column_per_grid_row_and_input_column(monthly_version, monthly_doc):
    workbook = workbook_of(batch_template_build(version=monthly_version))
    assert workbook.sheetnames == ["经济指标", "产品产销存", "_meta"]
    assert workbook["_meta"].sheet_state == "veryHidden"
    assert dict(workbook["_meta"].iter_rows(values_only=True))["layout"] == "batch"
    ws = workbook["经济指标"]
    grid = field_spec(monthly_doc, "ind")
    assert (ws["A1"].value, ws["B1"].value) == ("统一社会信用代码 *", "企业名称")
    assert ws.max_column == 2 + len(grid["rows"]) * len(INPUT_COLUMNS)
    assert (ws["C1"].value, ws["C2"].value, ws["F2"].value, ws["G1"].value) == ("工业总产值 * (千元)", "本年本月", "上年1-本月", "出口交货值 (千元)")
    assert "C1:F1" in {str(r) for r in ws.merged_cells.ranges}
    assert not any("累计同比增长" in str(cell.value) for cell in ws[2])
    products = workbook["产品产销存"]
    assert [c.value for c in products[1]][:4] == ["统一社会信用代码 *", "企业名称", "产品名称 *", "产品代码"]


@pytest.fixture
def filled(monthly_version, monthly_doc):
    """Three enterprises: one correct, one with a text in a number cell, one without credit code; products."""
    grid_spec, table_spec = field_spec(monthly_doc, "ind"), field_spec(monthly_doc, "products")
    answers = report_answers()
    workbook = workbook_of(batch_template_build(version=monthly_version))
    ws = workbook["经济指标"]
    fill_row(ws, 3, CODES[0], "甲公司", answers["ind"], grid_spec)
    bad = {**answers["ind"], "revenue": {**answers["ind"]["revenue"], "month": "12a"}}
    fill_row(ws, 4, CODES[1], "乙公司", bad, grid_spec)
    fill_row(ws, 5, None, "丙公司", answers["ind"], grid_spec)
    product = answers["products"][0]
    fill_products(workbook["产品产销存"], [(CODES[0], product), (CODES[0], {**product, "name": "铣床"}),
                                       (CODES[1], {**product, "stock": "四"})], table_spec)
    return workbook, answers, columns_by_label(ws)


def test_three_rows_are_read_with_per_row_errors(monthly_version, filled):
    workbook, answers, columns = filled
    rows = list(batch_read(file=saved(workbook), version=monthly_version))
    assert [(r.row_number, r.credit_code, r.name) for r in rows] == [(3, CODES[0], "甲公司"), (4, CODES[1], "乙公司"), (5, "", "丙公司")]
    first, second, third = rows
    assert first.errors == [] and first.ok
    assert first.answers["ind"] == answers["ind"]
    assert [p["name"] for p in first.answers["products"]] == ["数控机床", "铣床"]
    assert first.answers["products"][0] == answers["products"][0]
    revenue = columns[("营业收入", "本年本月")]
    assert second.messages() == [
        f"{revenue}列（营业收入·本年本月）：只能填写数字 [行号: 4]",
        "产品产销存 N列（产品产销存·期末库存量）：只能填写数字 [行号: 4]",
    ]
    assert "revenue" in second.answers["ind"] and "month" not in second.answers["ind"]["revenue"]
    assert third.messages() == ["A列（统一社会信用代码）：必须填写 [行号: 5]"]


def test_a_repeated_credit_code_and_products_without_an_enterprise(monthly_version, monthly_doc, filled):
    workbook, answers, _columns = filled
    fill_row(workbook["经济指标"], 6, CODES[0], "甲公司重复", answers["ind"], field_spec(monthly_doc, "ind"))
    fill_products(workbook["产品产销存"], [(CODES[0], answers["products"][0])] * 3 + [(CODES[2], answers["products"][0])],
                  field_spec(monthly_doc, "products"))
    rows = list(batch_read(file=saved(workbook), version=monthly_version))
    assert rows[3].messages() == ["A列（统一社会信用代码）：该统一社会信用代码已在第3行出现 [行号: 6]"]
    assert (rows[4].sheet, rows[4].credit_code, rows[4].row_number) == ("产品产销存", CODES[2], 5)
    assert rows[4].messages() == ["A列（统一社会信用代码）：“经济指标”表中没有该统一社会信用代码的企业 [行号: 5]"]


def test_engine_errors_are_placed_in_the_row_with_the_enterprise_context(monthly_version, monthly_doc):
    answers = report_answers(industrial=False, quarter=False)
    del answers["ind"]["cost"]["ytd"]
    answers["ind"]["revenue"]["month"] = -1
    workbook = workbook_of(batch_template_build(version=monthly_version))
    fill_row(workbook["经济指标"], 3, CODES[0], "甲公司", answers["ind"], field_spec(monthly_doc, "ind"))
    columns = columns_by_label(workbook["经济指标"])
    data = saved(workbook)
    contexts = []

    def context_for(code):
        contexts.append(code)
        return context(industrial=False, month=4, prev=False)

    expected = {(columns[("营业成本", "本年1-本月")], "必须填写"), (columns[("营业收入", "本年本月")], "营业收入 · 本年本月不能为负数。")}
    (row,) = batch_read(file=data, version=monthly_version, context_for=context_for)
    assert contexts == [CODES[0]]
    assert {(e.column, str(e.message)) for e in row.errors} == expected
    assert all(e.row == 3 and e.sheet == "经济指标" for e in row.errors)
    # Without a context the caller validates each row once it knows the enterprise.
    (row,) = batch_read(file=data, version=monthly_version)
    assert row.errors == [] and row.result is None
    result = batch_row_validate(row=row, version=monthly_version, context=context(industrial=False, month=4, prev=False))
    assert {(e.column, str(e.message)) for e in row.errors} == expected
    assert row.result is result and "ytd_growth" in result.answers["ind"]["revenue"]


def test_batch_row_validate_with_base_answers_checks_the_whole_definition(monthly_version, monthly_doc):
    answers = report_answers(industrial=False, quarter=False)
    workbook = workbook_of(batch_template_build(version=monthly_version))
    fill_row(workbook["经济指标"], 3, CODES[0], "甲公司", answers["ind"], field_spec(monthly_doc, "ind"))
    data = saved(workbook)
    ctx = context(industrial=False, month=4, prev=False)
    (row,) = batch_read(file=data, version=monthly_version)
    batch_row_validate(row=row, version=monthly_version, context=ctx, base_answers=basic_answers())
    assert row.errors == []
    (row,) = batch_read(file=data, version=monthly_version)
    batch_row_validate(row=row, version=monthly_version, context=ctx, base_answers={})
    assert "企业名称为必填项。 [行号: 3]" in row.messages()


def test_a_report_template_is_not_a_batch_file(monthly_version):
    with pytest.raises(ExcelRefused) as caught:
        batch_read(file=template_build(version=monthly_version), version=monthly_version)
    assert caught.value.code == "wrong_template"
    assert "单份报表的模板" in caught.value.message


def test_two_thousand_rows_stream_through(monthly_version, monthly_doc):
    grid_spec = field_spec(monthly_doc, "ind")
    workbook = workbook_of(batch_template_build(version=monthly_version))
    ws = workbook["经济指标"]
    inputs = [c for c in grid_spec["columns"] if not c.get("expr")]
    for number in range(2000):
        values = [float(number + position) for position in range(len(grid_spec["rows"]) * len(inputs))]
        ws.append([f"91330203MA{number:08d}", f"企业{number}", *values])
    rows = batch_read(file=saved(workbook), version=monthly_version)
    assert iter(rows) is rows  # a lazy iterator, not a list
    count, last = 0, None
    for row in rows:
        assert row.ok, row.messages()
        count, last = count + 1, row
    assert count == 2000
    assert last.row_number == 2002 and last.credit_code == "91330203MA00001999"
    assert last.answers["ind"]["gross_output"] == {"month": 1999.0, "ytd": 2000.0, "ly_month": 2001.0, "ly_ytd": 2002.0}
    assert get_column_letter(ws.max_column) == "BV"


def test_a_batch_file_with_moved_columns_is_refused(monthly_version):
    workbook = workbook_of(batch_template_build(version=monthly_version))
    workbook["产品产销存"].move_range("C1:N1", cols=1)
    with pytest.raises(ExcelRefused) as caught:
        batch_read(file=saved(workbook), version=monthly_version)
    assert caught.value.code == "layout_changed" and "产品产销存" in caught.value.message


def test_the_credit_code_columns_are_text(monthly_version):
    workbook = workbook_of(batch_template_build(version=monthly_version))
    assert workbook["经济指标"].column_dimensions["A"].number_format == "@"
    assert workbook["产品产销存"].column_dimensions["A"].number_format == "@"


def test_a_credit_code_stored_as_a_number_is_refused_not_mangled(monthly_version, monthly_doc):
    """A spreadsheet program that stores 913302031234567881 as a number keeps 15 digits (…936 when read back)."""
    answers = report_answers()
    workbook = workbook_of(batch_template_build(version=monthly_version))
    fill_row(workbook["经济指标"], 3, 913302031234567881, "甲公司", answers["ind"], field_spec(monthly_doc, "ind"))
    fill_row(workbook["经济指标"], 4, 12345, "乙公司", answers["ind"], field_spec(monthly_doc, "ind"))
    fill_products(workbook["产品产销存"], [(913302031234567881, answers["products"][0])], field_spec(monthly_doc, "products"))
    rows = list(batch_read(file=saved(workbook), version=monthly_version))
    refused = ("A列（统一社会信用代码）：统一社会信用代码被存成了数字，只有完整的18位数字才能识别：请将该列设为文本格式后重新输入18位代码")
    assert rows[0].messages()[0] == f"{refused} [行号: 3]"
    assert "产品产销存 " + refused + " [行号: 2]" in rows[0].messages()
    assert rows[1].messages() == [f"{refused} [行号: 4]"]
    assert not any(r.ok for r in rows)


def test_an_exact_integer_of_18_digits_is_read_as_the_code():
    from formdefs.excel.batch import credit_code_read

    assert credit_code_read(913302031234567881) == ("913302031234567881", None)
    assert credit_code_read(" 91330203MA2AAAAA1X ") == ("91330203MA2AAAAA1X", None)
    assert credit_code_read(float(913302031234567881))[1] and credit_code_read(12345)[1]
