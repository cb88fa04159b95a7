"""回执 in Chromium (issue 21 §3): 上报 → the success message's link → the printable 报送回执 (code, Shanghai
time, no buttons on paper) → 回执核验 says it is valid; the detail page's progress line (海曙区 审核中 → 宁波市 → 浙江省 → 全国); then the receipt
at phone width (390 px) without sideways scrolling."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import login

PASSWORD = "Demo@2026sme"
MOBILE = "13800000001"  # com_demo01
SHOTS = Path("/tmp/shots/h43")


@pytest.fixture
def ready_report(e2e_demo, settings):
    """com_demo01's report of the current period, saved and its questionnaire answered: ready for 上报."""
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.periods import period_current
    from tests.reporting.conftest import Builder

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    report_type, questionnaire = _ensure_types()[:2]
    enterprise = Enterprise.objects.get(filler__username="com_demo01")
    period = period_current(report_type)
    builder = Builder(report_type, questionnaire)
    submission = builder.save(enterprise, period)
    builder.answer_questionnaire(enterprise, period)
    return submission


def no_sideways_scroll(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths


def test_submit_then_print_and_check_the_receipt_desktop_and_phone(ready_report, page, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    login(page, base, "com_demo01", PASSWORD, MOBILE)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/reports/{ready_report.report_type.key}/{ready_report.period_key}/")
    page.click("form.actions button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("上报成功")
    page.click(".messages [data-testid=receipt-link]")

    receipt = page.locator("[data-testid=receipt]")
    expect(receipt).to_contain_text("报送回执")
    expect(receipt).to_contain_text(ready_report.enterprise.credit_code)
    code = page.inner_text("[data-testid=receipt-code]").strip()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}", code), code
    assert re.match(r"2026-11-18 10:\d\d:\d\d ?（北京时间）", page.inner_text("[data-testid=receipt-time]"))  # Shanghai
    expect(page.locator("[data-testid=progress]")).to_contain_text("海曙区 审核中")
    page.screenshot(path=str(SHOTS / "receipt-desktop.png"), full_page=True)
    page.emulate_media(media="print")  # on paper: the receipt alone, no buttons
    assert not page.locator("button[data-action=print]").is_visible() and receipt.is_visible()
    page.screenshot(path=str(SHOTS / "receipt-print-media.png"), full_page=True)
    page.emulate_media(media="screen")

    page.click("text=立即核验")
    expect(page.locator("[data-testid=verdict]")).to_contain_text("回执有效")
    expect(page.locator("[data-testid=verdict]")).to_contain_text(ready_report.enterprise.name)
    page.screenshot(path=str(SHOTS / "verify-desktop.png"), full_page=True)

    page.goto(f"{base}/reports/s/{ready_report.pk}/")
    expect(page.locator("[data-testid=progress] li")).to_have_text(
        [re.compile("海曙区 审核中"), re.compile("宁波市"), re.compile("浙江省"), re.compile("全国")])
    page.screenshot(path=str(SHOTS / "detail-progress-desktop.png"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/reports/s/{ready_report.pk}/receipt/")
    expect(page.locator("[data-testid=receipt-code]")).to_have_text(code)
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "receipt-phone.png"), full_page=True)
    page.goto(f"{base}/receipt/check/?id={ready_report.pk}&code={code.lower()}")
    expect(page.locator("[data-testid=verdict]")).to_contain_text("回执有效")
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "verify-phone.png"), full_page=True)
    page.goto(f"{base}/reports/s/{ready_report.pk}/")
    no_sideways_scroll(page)
    page.screenshot(path=str(SHOTS / "detail-progress-phone.png"))
