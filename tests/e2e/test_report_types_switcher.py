"""The report type switcher (issue 19 §2) in Chromium: an enterprise filing three types switches between
them on 历史报送 on a desktop and on a 390 px phone, where the segments wrap and nothing scrolls sideways."""
from datetime import timedelta

import pytest

from .conftest import login

PASSWORD = "Demo@2026sme"
MOBILE = "13800000001"  # com_demo01, 宁波海曙


@pytest.fixture
def three_types(e2e_demo, settings):
    import copy

    from formdefs.selectors import version_current
    from formdefs.services import formdef_publish_document
    from reporting.demo import _ensure_types
    from reporting.models import ReportType

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    monthly = _ensure_types()[0]
    for key, title, frequency in (("ningbo_pilot", "宁波市中小企业运行监测月报（试点）", "monthly"),
                                  ("ningbo_quarterly", "宁波市中小企业经营状况季报", "quarterly")):
        document = copy.deepcopy(version_current(key=monthly.definition.key).document)
        document.update(id=f"{key}_report", title=title, version=1, kind="report")
        definition = formdef_publish_document(document=document).definition
        ReportType.objects.get_or_create(key=key, defaults={"title": title, "definition": definition,
                                                            "frequency": frequency, "region_prefixes": ["3302"]})


def switch(page, base_url, shot, name):
    page.goto(f"{base_url}/reports/")
    segments = page.locator("[data-testid=report-types] a")
    assert segments.count() == 3
    assert page.locator("[data-testid=report-types] a[aria-current=page]").get_attribute("data-type") == "sme_monthly"
    page.click("[data-testid=report-types] a[data-type=ningbo_quarterly]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reports/?type=ningbo_quarterly")
    assert page.locator("[data-testid=report-types] a[aria-current=page]").get_attribute("data-type") == "ningbo_quarterly"
    assert "季度" in page.locator("table.rp-periods tbody tr").first.inner_text()
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # the switcher never makes the page scroll sideways
    for i in range(3):  # every segment on screen, tappable
        box = segments.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= widths[1] and box["height"] >= 32
    shot(page, name)


def test_the_type_switcher_on_a_desktop_and_a_phone(three_types, page, phone_page, live_server, shot):
    login(page, live_server.url, "com_demo01", PASSWORD, MOBILE)
    switch(page, live_server.url, shot, "report-types-desktop")
    login(phone_page, live_server.url, "com_demo01", PASSWORD, MOBILE)
    switch(phone_page, live_server.url, shot, "report-types-phone")
