"""报送进度 drill-down map (issue 21 §4): 浙江省's cities on a map, a click on 宁波市 opens its counties,
the breadcrumb goes back up; on a phone the same page fits and the table links drill too."""
import re

from playwright.sync_api import expect

from .conftest import login
from .test_analytics_journeys import PASSWORD, month  # noqa: F401

NINGBO = [121.55, 29.87]  # a point inside 宁波市 (lng, lat)


def _ready(page, kind):
    chart = page.locator("main [data-testid=progress-chart]")
    expect(chart).to_have_attribute("data-ready", "1")
    expect(chart).to_have_attribute("data-kind", kind)
    expect(chart.locator("canvas").first).to_be_visible()
    return chart


def test_progress_map_drills_down_and_back_on_desktop_and_phone(page, live_server, month, shot):  # noqa: F811
    login(page, live_server.url, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/analytics/progress/")
    page.wait_for_url(re.compile(r"/admin/analytics/progress/"))
    chart = _ready(page, "map")
    expect(page.locator("main [data-testid=progress-table]")).to_contain_text("宁波市")
    shot(page, "progress-map-province-desktop")
    x, y = page.evaluate("""(p) => { const n = document.getElementById('aq-progress-chart');
        return window.echarts.getInstanceByDom(n).convertToPixel({seriesIndex: 0}, p); }""", NINGBO)
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url(re.compile(r"region=330200"))
    _ready(page, "map")
    expect(page.locator("main [data-testid=progress-trail]")).to_contain_text("浙江省")
    expect(page.locator("main [data-testid=progress-trail] [aria-current=page]")).to_have_text("宁波市")
    expect(page.locator("main [data-testid=progress-table] tr[data-region='330203']")).to_contain_text("海曙区")
    shot(page, "progress-map-city-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    _ready(page, "map")
    page.wait_for_function("document.querySelector('#aq-progress-chart canvas').clientWidth <= 390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    shot(page, "progress-map-city-phone")
    page.locator("main [data-testid=progress-trail] a", has_text="浙江省").click()
    page.wait_for_url(re.compile(r"region=330000"))
    _ready(page, "map")
    page.locator("main [data-testid=progress-drill]", has_text="宁波市").click()
    page.wait_for_url(re.compile(r"region=330200"))
    expect(page.locator("main [data-testid=progress-table]")).to_contain_text("海曙区")
