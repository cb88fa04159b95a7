"""Phones and accessibility in Chromium (issue 21 §2): at 390x844 no portal list, no back-office list and no
wizard grid step scrolls sideways; every grid input has an accessible name 「营业收入 本年本月」; signed cells get
a keypad with a minus; the skip link is the first Tab stop; a refused step's error summary takes focus and
links to each input in error. The desktop keeps the grid as a table."""
import re

from playwright.sync_api import expect

from .conftest import PHONE, login
from .test_reporting_journeys import MOBILE, PASSWORD, go, journey  # noqa: F401  (journey: fixture)

SHOTS = "/tmp/shots/h33"


def fits(page, name):
    """No sideways scrolling at the page's width; a screenshot for a human to look at."""
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    width = page.viewport_size["width"]
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: {scroll}px wide at {width}px"


def unnamed_grid_inputs(page):
    """The visible grid inputs whose accessible name (label or aria-label) is empty."""
    return page.eval_on_selector_all(
        ".fd-grid-table input", """els => els.filter(e => e.offsetParent !== null).filter(e => {
            const label = (e.getAttribute('aria-label') || '') + [...e.labels].map(l => l.textContent).join('');
            return !label.trim(); }).map(e => e.name)""")


def test_portal_lists_and_the_grid_fit_a_phone_with_names_skip_link_and_error_summary(live_server, journey, browser):
    base, key = live_server.url, f"{journey['period']:%Y-%m}"
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.wait_for_url(re.compile(r"/$"))

    # The skip link is the first Tab stop and leads to <main id="main">.
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
    assert focused == ["skip-link", "跳到正文"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    fits(page, "home-phone")
    # Status and the action of each row are on its card.
    row = page.locator("table.rp-periods tbody tr").first
    expect(row.locator(".rp-status")).to_be_visible()
    expect(row.locator(".rp-actions a").first).to_be_in_viewport()
    page.goto(f"{base}/reports/")
    fits(page, "history-phone")
    page.goto(f"{base}/tasks/")
    fits(page, "tasks-phone")

    # The grid step: one card per indicator, every input named by its row and column.
    page.goto(f"{base}/reports/sme_monthly/{key}/fill/")
    go(page, "next")
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")
    fits(page, "grid-phone")
    assert unnamed_grid_inputs(page) == []
    expect(page.get_by_role("textbox", name="营业收入 本年本月", exact=True)).to_be_visible()
    # 利润总额 may be negative: a keypad with a minus. 营业收入 may not: the decimal keypad.
    assert page.get_attribute("input[name=ind__profit__month]", "inputmode") == "text"
    assert page.get_attribute("input[name=ind__revenue__month]", "inputmode") == "decimal"

    # A refused step: the error summary has focus and its link puts the cursor in the input.
    page.fill("input[name=ind__revenue__month]", "-5")
    go(page, "next")
    assert page.evaluate("document.activeElement.id") == "fd-error-summary"
    link = page.locator("#fd-error-summary a", has_text="营业收入 · 本年本月不能为负数")
    expect(link).to_have_attribute("href", "#id_ind__revenue__month")
    link.click()
    assert page.evaluate("document.activeElement.name") == "ind__revenue__month"
    fits(page, "grid-errors-phone")

    # The desktop keeps the table (its header row visible), the inputs still named.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator(".fd-grid-table thead th").first).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.fd-grid-table tbody tr:not([hidden])')).display") == "table-row"
    assert unnamed_grid_inputs(page) == []
    page.screenshot(path=f"{SHOTS}/grid-desktop.png", full_page=True)
    context.close()


def test_back_office_non_reporters_and_audit_trail_fit_a_phone(live_server, e2e_demo, phone_page):
    login(phone_page, live_server.url, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/reminders/")
    phone_page.wait_for_url(re.compile(r"/admin/reminders/"))
    row = phone_page.locator("[data-testid=non-reporters] tbody tr").first
    expect(row.locator("button")).to_be_in_viewport()
    fits(phone_page, "reminders-phone")
    phone_page.goto(f"{live_server.url}/admin/review/audit/")
    expect(phone_page.locator("[data-testid=audit-table]")).to_be_visible()
    fits(phone_page, "audit-phone")
