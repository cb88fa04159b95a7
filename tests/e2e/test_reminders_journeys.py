"""催报 in Chromium: an administrator reminds one non-reporter from its row and then all of them, on a
desktop and on a phone; the run page shows the progress bar and each enterprise's outcome."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import login

PASSWORD = "Demo@2026sme"


@pytest.fixture
def period(e2e_demo):
    from reporting.demo import _ensure_types
    from reporting.periods import period_current

    return period_current(_ensure_types()[0])


def test_remind_one_then_all_non_reporters_on_a_desktop(page, live_server, period, shot):
    from accounts.models import SmsMessage

    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/reminders/")
    page.wait_for_url(re.compile(r"/admin/reminders/"))
    table = page.locator("[data-testid=non-reporters]")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("宁波海曙示范机械有限公司")
    expect(table).not_to_contain_text("杭州西湖示范食品有限公司")
    shot(page, "reminders-desktop-list")
    table.locator("tr[data-enterprise=com_demo01] [data-testid=remind]").click()
    expect(page.locator(".messages")).to_contain_text("已向宁波海曙示范机械有限公司（13800000001）发送催报短信")
    assert SmsMessage.objects.filter(mobile="13800000001", text__contains="尚未报送").count() == 1
    # 催报 of the ticked ones: Wagtail's bulk-action footer, then its confirmation page
    table.locator("tr[data-enterprise=com_demo02] input[type=checkbox]").check()
    page.click("[data-testid=bulk-remind]")
    expect(page.locator("[data-testid=chosen]")).to_contain_text("宁波江北示范软件有限公司")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("已向1家企业发送催报短信")
    assert SmsMessage.objects.filter(mobile="13800000002", text__contains="尚未报送").count() == 1
    page.click("[data-testid=send-all]")
    expect(page.locator("[data-testid=preview-count]")).to_contain_text("2")
    page.click("[data-testid=confirm-send-all]")
    page.wait_for_url(re.compile(r"/admin/reminders/runs/\d+/"))
    expect(page.locator("[data-testid=run-status]")).to_have_text("已完成")
    expect(page.locator("[data-testid=run-sent]")).to_have_text("2")
    expect(page.locator("[data-testid=deliveries] tbody tr")).to_have_count(2)
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    shot(page, "reminders-desktop-run")
    assert SmsMessage.objects.filter(mobile="13800000002", text__contains=f"{period.year}年{period.month}月").exists()


def test_remind_one_non_reporter_on_a_phone(phone_page, live_server, period, shot):
    login(phone_page, live_server.url, "sme_haishu", PASSWORD, "13900000004", next_url="/admin/reminders/")
    phone_page.wait_for_url(re.compile(r"/admin/reminders/"))
    row = phone_page.locator("[data-testid=non-reporters] tr[data-enterprise=com_demo01]")
    expect(row).to_contain_text("未填报")
    shot(phone_page, "reminders-phone-list")
    row.locator("[data-testid=remind]").click()
    expect(phone_page.locator(".messages")).to_contain_text("发送催报短信")
    expect(phone_page.locator("[data-testid=non-reporters] tr[data-enterprise=com_demo01]")).to_contain_text(str(period.year))
    shot(phone_page, "reminders-phone-sent")
