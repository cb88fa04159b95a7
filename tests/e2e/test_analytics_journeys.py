"""数据查询 in Chromium: a summary by region, exported in the request and then as a background job
(progress page, download); the administrator home's charts on a phone."""
import re

import pytest
from playwright.sync_api import expect

from tests.exports.sheets import export_parts

from .conftest import login

PASSWORD = "Demo@2026sme"


@pytest.fixture
def month(e2e_demo):
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.periods import month_add, period_current
    from tests.analytics.helpers import grid, put

    report_type = _ensure_types()[0]
    period = period_current(report_type)
    found = {e.user.username: e for e in Enterprise.objects.select_related("user", "direct_reviewer")}
    for name, status, now, before in (("com_demo01", "approved", 11, 113), ("com_demo02", "pending", 22, 223),
                                      ("com_demo03", "approved", 33, 333)):
        for k in range(0, 13):
            when = month_add(period, -k)
            value = now if k == 0 else (before if k == 12 else now + k)
            ly = (None, None) if k == 0 else (0, 0)  # this month leaves 上年 blank: last year's reports compare
            put(report_type, found[name], when, status=status if k == 0 else "approved",
                ind=grid(revenue=(value, value, *ly), profit=(1, 1, *ly), employees=(10, 10, *ly)))
    return period


def test_summary_by_region_export_and_download(page, live_server, month, shot, settings):
    login(page, live_server.url, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/analytics/summary/")
    page.wait_for_url(re.compile(r"/admin/analytics/summary/"))
    main = page.locator("main")
    expect(main.locator("[data-testid=query-table]")).to_contain_text("营业收入")
    # Wagtail's filter drawer: each change swaps the results in (and the URL follows)
    page.locator("#filters-drilldown .w-slim-header-action-button").click()
    page.locator("button[aria-controls=drilldown-id_grouping]").click()
    page.locator("select[name=grouping]").select_option("region")
    expect(page).to_have_url(re.compile(r"grouping=region"))
    page.locator("#drilldown-id_grouping .w-drilldown__back").click()
    page.locator("button[aria-controls=drilldown-id_status]").click()
    page.locator("select[name=status]").select_option("all")
    expect(main.locator("[data-testid=query-caption]").first).to_contain_text("报送状态：全部")
    expect(page).to_have_url(re.compile(r"status=all"))  # 全部 stays in the address: a reload keeps it
    page.reload()
    expect(main.locator("[data-testid=query-caption]").first).to_contain_text("报送状态：全部")
    page.keyboard.press("Escape")
    table = main.locator("[data-testid=query-table]")
    expect(table).to_contain_text("宁波市")
    expect(table).to_contain_text("杭州市")
    expect(table.locator("tbody tr").first).to_contain_text("合计")
    expect(table).to_contain_text("-90.18%")  # 宁波: 11+22 against 113+223 last year
    expect(main.locator("[data-testid=query-caption]").first).to_contain_text("报送状态：全部")
    shot(page, "analytics-summary-desktop")
    with page.expect_download() as info:
        main.locator("[data-testid=query-export]").click()
    download = info.value
    block, rows = export_parts(open(download.path(), "rb").read())
    assert block[1].endswith("报送状态：全部 · 汇总类型：所在地区汇总")  # the query, the filters, the growth's basis
    assert block[2].startswith("同比增长按可比口径计算：3家企业中有上年同期数的可比企业3家")
    assert rows[1][:5] == ("所在地区汇总", "企业数", "可比企业数", "其中：亏损", "亏损面 (%)")
    assert rows[0][5] == "营业收入 (千元)"
    by_region = {r[0]: r for r in rows[2:]}
    assert by_region["宁波市"][1:3] == (2, 2) and by_region["宁波市"][5] == 33 and by_region["宁波市"][6] == 336
    assert by_region["合计"][1] == 3
    # above the threshold the same export runs as a job: progress page, then the download
    settings.EXPORT_SYNC_MAX_ROWS = 0
    main.locator("[data-testid=query-export]").click()
    page.wait_for_url(re.compile(r"/admin/exports/\d+/"))
    expect(page.locator("[data-testid=export-status]")).to_have_text("已完成")
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    shot(page, "analytics-export-job-desktop")
    with page.expect_download() as info:
        page.locator("[data-testid=export-download]").click()
    assert info.value.suggested_filename.startswith("summary-")
    # 企业信息变更查询: 报表月份 emptied (all months) stays empty in the address, not the default month again
    page.goto(f"{live_server.url}/admin/analytics/changes/")
    page.locator("#filters-drilldown .w-slim-header-action-button").click()
    page.locator("button[aria-controls=drilldown-id_month]").click()
    page.locator("input[name=month]").fill("")
    expect(page).to_have_url(re.compile(r"month=(&|$)"))
    page.reload()
    expect(page.locator("input[name=month]")).to_have_value("")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("[data-testid=chart-bars] canvas")).to_have_count(1)
    page.locator("[data-testid=analytics-charts]").scroll_into_view_if_needed()
    shot(page, "analytics-home-desktop")


def test_home_charts_and_a_query_on_a_phone(phone_page, live_server, month, shot):
    page = phone_page
    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    charts = page.locator("[data-testid=analytics-charts]")
    expect(charts).to_contain_text("各地区已上报与审核通过企业数")
    expect(charts.locator("[data-testid=chart-bars] canvas")).to_have_count(1)
    expect(charts.locator("[data-testid=chart-trend] canvas")).to_have_count(1)
    charts.locator("[data-testid=trend-indicator]").select_option("employees")
    page.wait_for_url(re.compile(r"trend=employees"))
    expect(page.locator("[data-testid=trend-indicator]")).to_have_value("employees")
    page.locator("[data-testid=analytics-charts]").scroll_into_view_if_needed()
    shot(page, "analytics-home-phone")
    page.goto(f"{live_server.url}/admin/analytics/unfiled/")
    expect(page.locator("main [data-testid=query-empty]")).to_contain_text("没有符合条件的记录")  # com_demo01 approved, com_demo02 pending: all reported
    page.goto(f"{live_server.url}/admin/analytics/year_detail/")
    expect(page.locator("main [data-testid=query-table]")).to_contain_text("宁波海曙示范机械有限公司")
    expect(page.locator("main [data-testid=query-table]")).not_to_contain_text("杭州西湖示范食品有限公司")
    shot(page, "analytics-year-detail-phone")
    page.goto(f"{live_server.url}/admin/analytics/summary/")
    expect(page.locator("main [data-testid=query-table]")).to_contain_text("-90.27%")  # 11 against 113
    shot(page, "analytics-summary-phone")
