"""Every table export has one look (exports.styling, issue 21 §4): a header block (query, filters,
export time in Asia/Shanghai), merged group headers, a frozen header, fitted column widths and
number formats; text still never becomes a formula. Read back with openpyxl."""
import io
from decimal import Decimal

import openpyxl
import pytest

from exports.registry import Percent, Table
from exports.services import table_write

from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from tests.analytics.helpers import enterprises, grid, put

pytestmark = pytest.mark.django_db


def _book(table: Table):
    handle = io.BytesIO()
    table_write(table, handle)
    return openpyxl.load_workbook(io.BytesIO(handle.getvalue())).active


def test_table_write_states_the_query_merges_groups_freezes_and_formats_numbers():
    ws = _book(Table(headers=["地区", "企业数", "营业收入 (千元)", "增长 (%)"], groups=[("", 1), ("汇总指标", 3)],
                     rows=[["=HYPERLINK(\"x\")", 1234, Decimal("1234567.5"), Percent("12.5")], ["杭州", 2, 3.25, None]],
                     title="测试查询", captions=["报表月份：2026年10月 · 报送状态：审核通过"], total=2))
    assert [ws[f"A{n}"].value for n in (1, 2, 3)] == [
        "测试查询", "报表月份：2026年10月 · 报送状态：审核通过", "导出时间：2026-11-18 10:00（北京时间）"]
    assert ws["A1"].font.bold
    assert "B4:D4" in {str(r) for r in ws.merged_cells.ranges} and ws["B4"].value == "汇总指标"
    assert [c.value for c in ws[5]] == ["地区", "企业数", "营业收入 (千元)", "增长 (%)"]
    assert ws.freeze_panes == "A6"  # everything above the data stays in view
    assert (ws["B6"].number_format, ws["C6"].number_format, ws["D6"].number_format) == ("#,##0", "#,##0.00", "0.00")
    assert ws["C7"].number_format == "#,##0.00" and ws["C6"].value == 1234567.5
    assert ws["A6"].value == '=HYPERLINK("x")' and ws["A6"].data_type == "s"  # text, never a formula
    assert ws.column_dimensions["C"].width >= len("1,234,567.50") and ws.column_dimensions["A"].width >= 6


def test_a_query_export_carries_its_title_filters_groups_and_formats(client, report_type, admins, period):
    e1, e2, e3 = enterprises()
    put(report_type, e1, period, ind=grid(revenue=(1000, 12345, 8, 8), profit=(1, 1, 1, 1)))
    put(report_type, e2, period, ind=grid(revenue=(10, 10, 8, 8), profit=(1, 1, 1, 1)))
    client.force_login(admins["sme_ningbo"])
    response = client.get("/admin/analytics/summary/export/", {"month": f"{period:%Y-%m}", "grouping": "region"})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    block = [ws[f"A{n}"].value for n in range(1, 5)]
    assert block[0] == "经济指标月报汇总查询" and block[1].startswith(f"报表月份：{period.year}年{period.month:02d}月")
    assert block[3] == "导出时间：2026-11-18 10:00（北京时间）"
    groups = ws[5]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "F5:H5" in merged and groups[5].value == "营业收入 (千元)"  # an indicator over its three values
    assert ws.freeze_panes == "A7"
    total = next(row for row in ws.iter_rows(min_row=7) if row[0].value == "合计")
    assert total[1].value == 2 and total[1].number_format == "#,##0"
    assert total[5].value == 12355 and total[5].number_format in ("#,##0", "#,##0.00")
