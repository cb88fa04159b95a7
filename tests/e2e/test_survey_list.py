"""问卷发布和统计's list on Wagtail's listing (issue 21 §4) in Chromium: the filter drawer narrows the rows
without a page load, on a desktop and on a 390 px phone, where the table scrolls inside its box."""
from datetime import timedelta

from .conftest import login

PASSWORD = "Demo@2026sme"


def test_filter_drawer_on_desktop_and_phone(e2e_demo, page, live_server, settings, shot):
    from reporting.demo import _ensure_types
    from survey_builder import services
    from tests.survey_builder.builders import theme

    from accounts.models import User

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    shipped = _ensure_types()[1]
    draft = services.questionnaire_create(actor=User.objects.get(username="sme_ningbo"), theme=theme(title="宁波用工草稿"))
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, base, "sme_ningbo", PASSWORD, "13900000003")
    page.goto(f"{base}/admin/surveys/")
    rows = page.locator("#listing-results tbody tr[data-code]")
    assert rows.count() == 2
    page.click("button[aria-label='显示过滤器']")
    page.locator("#filters-drilldown [aria-controls='drilldown-id_status']").click()
    with page.expect_response(lambda r: "/admin/surveys/results/" in r.url):
        page.select_option("#id_status", "draft")
    page.wait_for_function("() => document.querySelectorAll('#listing-results tbody tr[data-code]').length === 1")
    assert rows.first.get_attribute("data-code") == draft.code and "status=draft" in page.url
    shot(page, "survey-list-filtered")
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/admin/surveys/")
    assert {rows.nth(i).get_attribute("data-code") for i in range(rows.count())} == {draft.code, shipped.code}
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths  # the table scrolls inside .sb-list-scroll, not the page
    shot(page, "survey-list-phone")
