"""The definition's `analytics` block drives the queries and the summary: another report type with its own
grid, columns and rows; stock columns (期末数); a differently named profit row; a type without a block;
the 报表类型 choice; detail exports across definition versions."""
import io
from decimal import Decimal

import openpyxl

from tests.exports.sheets import export_parts
import pytest

from analytics.queries import query_build
from analytics.selectors import analytics_scope, summary_compute
from reporting.periods import month_add

from .helpers import enterprises, put, report_document, report_type_of

pytestmark = pytest.mark.django_db

#: 软件月报-like: 本月 / 本年累计 / 上年同期累计, the profit row is 净利润 (net), a row named `profit` is not.
SALES_COLUMNS = [("cur_m", "本月"), ("cum", "本年累计"), ("cum_prev", "上年同期累计")]
SALES_ROWS = [("sales", "销售收入", "万元"), ("net", "净利润", "万元"), ("profit", "毛利", "万元")]
SALES_BLOCK = {"grid": "kpi", "columns": {"month": "cur_m", "ytd": "cum", "ytd_ly": "cum_prev"}, "profit_row": "net",
               "default_indicators": {"summary": ["sales", "net"], "detail": ["sales"]}}


def kpi(**rows) -> dict:
    return {"kpi": {row: cells for row, cells in rows.items()}}


@pytest.fixture
def sales_type(report_type):  # the monthly report type exists too: the choice has two types
    return report_type_of(report_document("sales_report", columns=SALES_COLUMNS, rows=SALES_ROWS,
                                          analytics=SALES_BLOCK))


def test_second_report_type_summary_reads_its_own_grid_columns_and_profit_row(sales_type, period, admins):
    e1, e2, _e3 = enterprises()
    put(sales_type, e1, period, answers=kpi(sales={"cur_m": 10, "cum": 100, "cum_prev": 80},
                                            net={"cur_m": -1, "cum": -5, "cum_prev": 2},
                                            profit={"cur_m": 3, "cum": 30}))
    put(sales_type, e2, period, answers=kpi(sales={"cur_m": 20, "cum": 200}, net={"cur_m": 4, "cum": 40},
                                            profit={"cur_m": -3, "cum": -30}))
    put(sales_type, e2, month_add(period, -12), answers=kpi(sales={"cur_m": 15, "cum": 160}, net={"cum": 20}))
    scope = analytics_scope(admins["sme_ningbo"])
    total = summary_compute(scope=scope, report_type=sales_type, period=period, status="approved",
                            indicators=["sales", "net"]).total
    assert (total.enterprises, total.comparable) == (2, 2)
    assert total.current == {"sales": 300, "net": 35}
    assert total.last == {"sales": 240, "net": 22}  # e1's own 上年同期累计, e2's report of last year
    assert total.growth("sales") == Decimal("25.00")
    assert total.losses == 1  # 净利润 of e1 is negative; the row named `profit` (e2: −30) is not the profit row

    # the page: 报表类型 chosen by key, the block's default indicators
    query = query_build("summary", scope=scope, data={"type": "sales_report", "month": f"{period:%Y-%m}"})
    assert query.valid and query.report_type == sales_type
    lines = {cells[0]: cells for _g, cells in query.cells(query.objects())}
    assert lines["其中：亏损"][2] == 1 and lines["销售收入"][1:4] == ["万元", 300, 240]
    assert "毛利" not in lines  # not among the block's summary defaults


def test_type_choice_lists_types_with_indicators_and_counting_queries_take_it(client, sales_type, report_type, period,
                                                                             admins):
    e1, _e2, _e3 = enterprises()
    put(sales_type, e1, period, answers=kpi(sales={"cur_m": 1, "cum": 1}))
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/summary/").content.decode()
    assert 'name="type"' in page and "sales_report" in page and report_type.title in page
    # default: the first directly filed type (the monthly report), which has no report this month
    default = query_build("year_counts", scope=analytics_scope(admins["sme_ningbo"]), data={"year": str(period.year)})
    assert default.report_type == report_type
    assert [cells for _r, cells in default.cells(default.objects())][0][period.month] == 0
    chosen = query_build("year_counts", scope=analytics_scope(admins["sme_ningbo"]),
                         data={"year": str(period.year), "type": "sales_report"})
    assert [cells for _r, cells in chosen.cells(chosen.objects())][0][period.month] == 1
    assert chosen.params()["type"] == "sales_report"  # what an export job stores
    wrong = query_build("summary", scope=analytics_scope(admins["sme_ningbo"]), data={"type": "nope"})
    assert not wrong.valid and "type" in wrong.form.errors


STOCK_COLUMNS = [("m", "本月"), ("stock", "期末数"), ("stock_ly", "上年同期期末数")]
STOCK_ROWS = [("sales", "销售额", "万元", ["m"]), ("staff", "期末从业人数", "人", ["stock", "stock_ly"])]
STOCK_BLOCK = {"grid": "kpi", "columns": {"month": "m", "end": "stock", "end_ly": "stock_ly"}}


def test_stock_column_is_the_months_own_value_summed_across_enterprises_never_over_months(client, report_type, period,
                                                                                        admins):
    stock_type = report_type_of(report_document("stock_report", columns=STOCK_COLUMNS, rows=STOCK_ROWS,
                                                analytics=STOCK_BLOCK))
    e1, e2, _e3 = enterprises()
    months = [month_add(period, -2), month_add(period, -1), period]
    for k, month in enumerate(months):
        put(stock_type, e1, month, answers=kpi(sales={"m": 5}, staff={"stock": 10 + k, "stock_ly": 9}))
        put(stock_type, e2, month, answers=kpi(sales={"m": 6}, staff={"stock": 20 + k}))
    put(stock_type, e2, month_add(period, -12), answers=kpi(sales={"m": 7}, staff={"stock": 19}))
    scope = analytics_scope(admins["sme_ningbo"])
    for k, month in enumerate(months):
        total = summary_compute(scope=scope, report_type=stock_type, period=month, indicators=["sales", "staff"]).total
        assert total.current["staff"] == 30 + 2 * k  # 10+k and 20+k: this month's stock, never a sum of months
        assert total.current["sales"] == 11 * (k + 1)  # no cumulative column: the year's months add up
    total = summary_compute(scope=scope, report_type=stock_type, period=period, indicators=["staff"]).total
    assert total.last == {"staff": 28}  # e1's own 上年同期期末数 (9) + e2's stock of last year's report (19)
    assert total.growth("staff") == Decimal("21.43")  # 34 against 28

    # the detail export over the three months shows each month's own stock
    client.force_login(admins["sme_ningbo"])
    response = client.get("/admin/analytics/detail/export/", {"type": "stock_report", "month": f"{months[0]:%Y-%m}",
                                                              "last": f"{period:%Y-%m}", "status": ""})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "企业ID"))
    at = rows[header].index("报表月份")  # the enterprise's columns (codes with their names) come first
    assert rows[header][at:] == ("报表月份", "本月", "期末数", "上年同期期末数", "本月", "期末数", "上年同期期末数")
    staff = {(r[0], r[at]): r[at + 1 + 4] for r in rows[header + 1:]}
    assert staff == {("com_demo01", f"{m:%Y-%m}"): 10 + k for k, m in enumerate(months)} | {
        ("com_demo02", f"{m:%Y-%m}"): 20 + k for k, m in enumerate(months)}
    # not the row's columns: blank
    assert all(r[at + 2] is None and r[at + 3] is None and r[at + 4] is None for r in rows[header + 1:])


def test_report_type_without_analytics_block_says_it_has_no_indicators(client, report_type, period, admins):
    from reporting.models import ReportType

    ReportType.objects.filter(pk=report_type.pk).update(is_active=False)
    plain = report_type_of(report_document("plain_report", columns=[("m", "本月")], rows=[("sales", "销售额", "万元")]))
    scope = analytics_scope(admins["sme_ningbo"])
    for key in ("summary", "detail", "products"):
        query = query_build(key, scope=scope, data={})
        assert query.report_type == plain
        assert query.unavailable() == "报表类型“测试报表 plain_report”没有可汇总的指标（其报表定义未配置汇总指标）。"
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/analytics/summary/")
    assert page.status_code == 200 and "没有可汇总的指标" in page.content.decode()
    response = client.get("/admin/analytics/detail/export/", {"month": f"{period:%Y-%m}"}, follow=True)
    assert "没有可汇总的指标" in response.content.decode()
    assert query_build("year_counts", scope=scope, data={}).unavailable() == ""  # counting needs no indicators


def test_detail_export_across_versions_lines_up_indicators_and_marks_what_a_version_lacked(client, report_type, period,
                                                                                          admins):
    """Version 1 has 销售额 and 旧指标; version 2 drops 旧指标 and adds 新指标. The export of both months
    keeps one column group per indicator id and marks the cells a report's version did not have."""
    from formdefs.services import formdef_publish_document

    columns = [("m", "本月"), ("cum", "累计")]
    block = {"grid": "kpi", "columns": {"month": "m", "ytd": "cum"}}
    lineup = report_type_of(report_document("lineup_report", columns=columns, analytics=block,
                                            rows=[("sales", "销售额", "万元"), ("old", "旧指标", "万元")]))
    e1, e2, _e3 = enterprises()
    before = month_add(period, -1)
    put(lineup, e1, before, answers=kpi(sales={"m": 1, "cum": 11}, old={"m": 2, "cum": 22}))
    formdef_publish_document(document=report_document("lineup_report", version=2, columns=columns, analytics=block,
                                                      rows=[("sales", "销售额", "万元"), ("new", "新指标", "万元")]))
    put(lineup, e1, period, answers=kpi(sales={"m": 3, "cum": 33}, new={"m": 4, "cum": 44}))
    put(lineup, e2, period, answers=kpi(sales={"m": 5, "cum": 55}))
    client.force_login(admins["sme_ningbo"])
    response = client.get("/admin/analytics/detail/export/", {"type": "lineup_report", "month": f"{before:%Y-%m}",
                                                              "last": f"{period:%Y-%m}"})
    block, rows = export_parts(b"".join(response.streaming_content))
    assert block[1] == "「本版本无此指标」：该企业报表所用的报表定义版本没有这一指标或这一栏（不是0）。"
    groups, headers, *data = rows
    assert [g for g in groups if g] == ["销售额 (万元)", "新指标 (万元)", "旧指标 (万元)"]  # current version first
    at = headers.index("报表月份")  # the enterprise's columns (codes with their names) come first
    assert headers[at + 1:] == ("本月", "累计") * 3
    mark = "本版本无此指标"
    by_row = {(r[0], r[at]): r[at + 1:] for r in data}
    assert by_row == {
        ("com_demo01", f"{before:%Y-%m}"): (1, 11, mark, mark, 2, 22),
        ("com_demo01", f"{period:%Y-%m}"): (3, 33, 4, 44, mark, mark),
        ("com_demo02", f"{period:%Y-%m}"): (5, 55, None, None, mark, mark),  # v2 has 新指标, left blank
    }
    # one version only: no mark and no caption
    response = client.get("/admin/analytics/detail/export/", {"type": "lineup_report", "month": f"{period:%Y-%m}"})
    block, rows = export_parts(b"".join(response.streaming_content))
    assert "本版本无此指标" not in " ".join(block) and (rows[0][0] == "" or rows[0][0] is None)
    assert not any(mark == c for r in rows for c in r)


def test_type_choice_is_limited_to_types_applying_in_the_administrators_regions(sales_type, report_type, admins):
    from analytics.selectors import analytics_report_types
    from reporting.models import ReportType

    ReportType.objects.filter(pk=sales_type.pk).update(region_prefixes=["3301"])  # 杭州市 only
    ningbo, zhejiang = analytics_scope(admins["sme_ningbo"]), analytics_scope(admins["sme_zhejiang"])
    assert analytics_report_types(scope=ningbo, indicators=True) == [report_type]
    assert analytics_report_types(scope=zhejiang, indicators=True) == [report_type, sales_type]
    ReportType.objects.filter(pk=sales_type.pk).update(region_prefixes=["33"])
    assert analytics_report_types(scope=ningbo, indicators=True) == [report_type, sales_type]
    ReportType.objects.filter(pk=sales_type.pk).update(region_excluded_prefixes=["3302"])  # 宁波市 left out
    assert analytics_report_types(scope=ningbo, indicators=True) == [report_type]
    assert analytics_report_types(scope=zhejiang, indicators=True) == [report_type, sales_type]
