"""报送龙虎榜 (bars) and 年度报送企业数统计 (heatmap) drawn above their tables, desktop and phone."""
import re

from playwright.sync_api import expect

from .conftest import login
from .test_analytics_journeys import PASSWORD, month  # noqa: F401


def test_leaderboard_bars_and_year_heatmap(page, phone_page, live_server, month, shot):  # noqa: F811
    login(page, live_server.url, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/analytics/leaderboard/")
    page.wait_for_url(re.compile(r"/admin/analytics/leaderboard/"))
    expect(page.locator("main [data-testid=query-chart] canvas").first).to_be_visible()
    expect(page.locator("main [data-testid=query-table]")).to_contain_text("宁波市")
    shot(page, "analytics-leaderboard-desktop")
    page.goto(f"{live_server.url}/admin/analytics/year_counts/")
    expect(page.locator("main [data-testid=query-chart] canvas").first).to_be_visible()
    shot(page, "analytics-year-counts-desktop")
    phone = phone_page
    login(phone, live_server.url, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/analytics/year_counts/")
    phone.wait_for_url(re.compile(r"/admin/analytics/year_counts/"))
    expect(phone.locator("main [data-testid=query-chart] canvas").first).to_be_visible()
    shot(phone, "analytics-year-counts-phone")
    phone.goto(f"{live_server.url}/admin/analytics/leaderboard/")
    expect(phone.locator("main [data-testid=query-chart] canvas").first).to_be_visible()
    shot(phone, "analytics-leaderboard-phone")
