"""带入上期 in Chromium (issue 21 §1): last year's cells carried from the approved report with their source,
↺ after an edit, 本年1-本月 following 本月 until typed (or pasted), the balance hint's 采用, a cleared carried
cell still empty after 保存 and a reload. Desktop, then the same page at phone width (the notes and buttons
fit in the indicator's card; the sparkline sits under the focused row and covers no cell, for the filler and
the reviewer)."""
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login
from .test_reporting_journeys import MOBILE, PASSWORD, go, journey  # noqa: F401  (journey: fixture)

SHOTS = Path("/tmp/shots/h48")


@pytest.fixture
def carried(journey):
    """The journey's enterprise with last month AND the same month last year approved."""
    from reporting.models import Submission
    from reporting.periods import month_add
    from tests.reporting.conftest import Builder

    from reporting.demo import _ensure_types

    report_type, questionnaire = _ensure_types()[:2]
    period, enterprise = journey["period"], journey["enterprise"]
    Builder(report_type, questionnaire).approved(enterprise, month_add(period, -12), check_window=False)
    answers = {s.period: s.answers["ind"] for s in Submission.objects.filter(enterprise=enterprise)}
    return {**journey, "last_year": answers[month_add(period, -12)], "last_month": answers[month_add(period, -1)]}


def number(text):
    return Decimal(text.replace(",", ""))


def shown(value: Decimal) -> str:
    """As the page shows a number: 千分位, no trailing zeros (5,616.5)."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def covered(page, panel: str, cells: str) -> list:
    """The boxes among `cells` (visible ones) that the panel's box overlaps."""
    return page.evaluate("""([panel, cells]) => { const p = document.querySelector(panel).getBoundingClientRect();
        return [...document.querySelectorAll(cells)].map(c => c.getBoundingClientRect()).filter(r => r.height > 0
            && r.top < p.bottom - 1 && r.bottom > p.top + 1 && r.left < p.right - 1 && r.right > p.left + 1)
            .map(r => [r.top, r.bottom]); }""", [panel, cells])


def test_carried_cells_show_their_source_restore_and_adopt(live_server, carried, page, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, period = live_server.url, carried["period"]
    ly_key = f"{period.year - 1}-{period.month:02d}"
    prev_key = f"{period.year}-{period.month - 1:02d}" if period.month > 1 else None
    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/reports/sme_monthly/{period:%Y-%m}/fill/")
    go(page, "next")
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")

    ly_month = page.locator("input[name='ind__revenue__ly_month']")
    carried_value = Decimal(str(carried["last_year"]["revenue"]["month"]))
    assert number(ly_month.input_value()) == carried_value
    note = page.locator("td:has(> input[name='ind__revenue__ly_month']) .fd-carry-note")
    expect(note).to_have_text(f"带入：{ly_key} 已审核")
    assert ly_month.get_attribute("aria-describedby").endswith("-carry")

    # 本年1-本月 follows 本月 as typed: last month's approved 1-本月 + 本月.
    ytd = page.locator("input[name='ind__revenue__ytd']")
    last_ytd = Decimal(str(carried["last_month"]["revenue"]["ytd"]))
    page.fill("input[name='ind__revenue__month']", "100")
    assert number(ytd.input_value()) == last_ytd + 100
    expect(page.locator("td:has(> input[name='ind__revenue__ytd']) .fd-carry-note")).to_have_text(f"带入：{prev_key} 已审核 + 本月")
    page.fill("input[name='ind__revenue__month']", "250.5")
    assert number(ytd.input_value()) == last_ytd + Decimal("250.5")

    # Typed into 1-本月: it stays, and the hint offers the expected number; 采用 puts it in.
    ytd.fill("5")
    page.fill("input[name='ind__revenue__month']", "300")
    assert ytd.input_value() == "5"  # a typed value is never replaced
    hint = page.locator("td:has(> input[name='ind__revenue__ytd']) .fd-carry-hint")
    expected = last_ytd + 300
    expect(hint).to_contain_text(f"应为 {shown(expected)}（{prev_key} 已审核）")
    hint.locator("button", has_text="采用").click()
    assert number(ytd.input_value()) == expected
    expect(hint).to_be_hidden()

    # A pasted block is typed too: its 1-本月 stays as pasted.
    page.focus("input[name='ind__cost__month']")
    page.evaluate("""() => { const d = new DataTransfer(); d.setData("text/plain", "4,000\\t99,999\\r\\n");
        document.querySelector('input[name="ind__cost__month"]').dispatchEvent(
            new ClipboardEvent("paste", {clipboardData: d, bubbles: true, cancelable: true})); }""")
    assert page.input_value("input[name='ind__cost__ytd']") == "99999"

    # An edited last-year cell offers ↺, which restores the carried value.
    ly_month.fill("7")
    restore = page.locator("td:has(> input[name='ind__revenue__ly_month']) .fd-carry-restore")
    expect(restore).to_be_visible()
    expect(restore).to_have_attribute("aria-label", re.compile(r"^恢复带入值 "))
    page.screenshot(path=str(SHOTS / "grid-carry-desktop.png"), full_page=True)
    restore.click()
    assert number(ly_month.input_value()) == carried_value
    expect(restore).to_be_hidden()
    expect(note).to_have_text(f"带入：{ly_key} 已审核")

    # Cleared by the clerk: the carried cell stays empty after 保存 and a reload, and still offers ↺.
    cleared = page.locator("input[name='ind__loan_balance__ly_month']")
    assert cleared.input_value() != ""
    cleared.fill("")
    go(page, "save")
    page.on("dialog", lambda dialog: dialog.accept())  # the step may be kept with errors: leaving asks first
    page.goto(f"{base}/reports/sme_monthly/{period:%Y-%m}/fill/?step=indicators")
    assert cleared.input_value() == ""
    expect(page.locator("td:has(> input[name='ind__loan_balance__ly_month']) .fd-carry-restore")).to_be_visible()
    page.screenshot(path=str(SHOTS / "grid-cleared-desktop.png"), full_page=True)

    # Focus shows the indicator's last approved months (here last month and the same month last year).
    page.focus("input[name='ind__cost__ly_ytd']")
    trend = page.locator(".fd-grid .fd-trend")
    expect(trend.locator("figcaption")).to_have_text("营业成本：近2个已审核月份")
    expect(trend.locator("svg polyline")).to_have_count(1)
    cost = [carried["last_year"]["cost"]["month"], carried["last_month"]["cost"]["month"]]
    expect(trend.locator(".fd-trend-months")).to_have_text(
        f"{ly_key} {shown(Decimal(str(cost[0])))}；{prev_key} {shown(Decimal(str(cost[1])))}")
    expect(trend.locator(".fd-trend-range")).to_contain_text("最低")
    page.screenshot(path=str(SHOTS / "grid-trend-desktop.png"))

    # Phone: the card holds the note, the hint and ↺ without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    ly_month.fill("8")
    page.fill("input[name='ind__revenue__month']", "300")
    ytd.fill("6")
    expect(restore).to_be_visible()
    expect(hint).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ytd.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "grid-carry-phone.png"))
    ytd.focus()
    expect(trend.locator("figcaption")).to_have_text("营业收入：近2个已审核月份")
    assert covered(page, ".fd-grid .fd-trend", ".fd-grid-table input") == []
    # Under the focused row: below its inputs, above the next row's.
    below = page.evaluate("""() => { const p = document.querySelector('.fd-grid .fd-trend').getBoundingClientRect();
        const tr = document.querySelector("input[name='ind__revenue__ytd']").closest('tr');
        let next = tr.nextElementSibling; while (next && next.hidden) next = next.nextElementSibling;
        return [Math.max(...[...tr.querySelectorAll('input')].map(i => i.getBoundingClientRect().bottom)) <= p.top,
                p.bottom <= next.querySelector('input').getBoundingClientRect().top]; }""")
    assert below == [True, True]
    trend.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "grid-trend-phone.png"))

    # The reviewer: the county's month page of the submitted report shows the same on a focused cell.
    from django.urls import reverse

    from reporting.demo import _ensure_types
    from tests.reporting.conftest import Builder

    Builder(*_ensure_types()[:2]).submitted(carried["enterprise"], period)
    reviewer = browser.new_page(viewport={"width": 1280, "height": 900})
    login(reviewer, base, "sme_haishu", PASSWORD, "13900000004", next_url="/admin/")
    reviewer.goto(base + reverse("workflow_review:month", args=[carried["enterprise"].pk, f"{period:%Y-%m}"]))
    reviewer.locator("[data-fd-grid=ind] tr[data-row=revenue] td").nth(1).focus()
    review_trend = reviewer.locator(".fd-trend")
    expect(review_trend.locator("figcaption")).to_have_text("营业收入：近2个已审核月份")
    review_trend.scroll_into_view_if_needed()
    reviewer.screenshot(path=str(SHOTS / "review-trend-desktop.png"))
    expect(reviewer.locator("[data-fd-grid=ind] + .fd-trend")).to_have_count(1)  # desktop: after the grid's box
    reviewer.set_viewport_size({"width": 390, "height": 844})
    reviewer.locator("[data-fd-grid=ind] tr[data-row=cost] td").nth(1).focus()
    expect(review_trend.locator("figcaption")).to_have_text("营业成本：近2个已审核月份")
    assert reviewer.evaluate("document.documentElement.scrollWidth") <= 390
    # Phone: in a row of its own under 营业成本, covering no row of the grid.
    expect(reviewer.locator("[data-fd-grid=ind] tr[data-row=cost] + tr.fd-trend-row .fd-trend")).to_have_count(1)
    assert covered(reviewer, ".fd-trend", "[data-fd-grid=ind] tr[data-row]") == []
    review_trend.scroll_into_view_if_needed()
    reviewer.screenshot(path=str(SHOTS / "review-trend-phone.png"))
    reviewer.close()
