"""The monthly report wizard in Chromium: fill steps 1–3 (desktop and phone), see a warning, save,
leave, come back on another device and find the draft."""
import re
from datetime import timedelta

import pytest

from .conftest import login

PASSWORD = "Demo@2026sme"
URL = "/forms/demo/sme_monthly_report/?period=2026-01"


@pytest.fixture
def report_site(e2e_demo, settings):
    from formdefs.demo import seed_demo

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    seed_demo()


def fill_basic(page):
    page.check("input[name=provincial_specialized][value=false]")
    page.check("input[name=national_little_giant][value=true]")
    page.fill("input[name=revenue_last_year]", "5200")
    page.fill("input[name=profit_last_year]", "300")
    page.fill("input[name=employees_last_year]", "180")
    page.fill("input[name=rd_staff_last_year]", "18")
    page.fill("input[name=rd_funds_last_year]", "260")
    # computed shares update live, decided by the server (a function, not an expression: the page's CSP
    # refuses the eval Playwright would use for a bare expression)
    page.wait_for_function("() => document.querySelector('[data-fd-computed=rd_staff_share]').textContent.trim() === '10'")


def fill_indicators(page):
    rows = ["gross_output", "electricity", "revenue", "cost", "receivables", "profit", "employees"]
    for row in rows:
        for col, value in (("month", "100"), ("ytd", "100"), ("ly_month", "90"), ("ly_ytd", "90")):
            page.fill(f"input[name=ind__{row}__{col}]", value)
    page.fill("input[name=ind__gross_output__ytd]", "150")  # January: 本月 ≠ 1-本月 → warning


def click(page, action):
    page.click(f"button[name=wizard_action][value={action}]")
    page.wait_for_load_state("networkidle")


def test_monthly_report_desktop_then_draft_on_phone(live_server, report_site, page, phone_page, shot):
    login(page, live_server.url, "com_demo01", PASSWORD, "13800000001")
    page.goto(live_server.url + URL)
    assert page.locator(".fd-tab.current").inner_text().endswith("基本信息")
    assert page.input_value("input[name=name]") == "宁波海曙示范机械有限公司"
    # cascades show the stored industry / region chains
    assert page.locator("[data-fd-node=region] select[data-fd-level='2'] option:checked").inner_text() == "海曙区"
    fill_basic(page)
    # branching: the stock code appears only for a listed enterprise
    assert page.locator("[data-fd-node=stock_code]").is_hidden()
    page.check("input[name=is_listed][value=true]")
    page.wait_for_selector("[data-fd-node=stock_code]", state="visible")
    page.check("input[name=is_listed][value=false]")
    page.wait_for_selector("[data-fd-node=stock_code]", state="hidden")
    shot(page, "formdefs_step1_desktop")
    click(page, "next")
    assert page.locator(".fd-tab.current").inner_text().endswith("经济指标")
    # industrial rows are shown, quarterly rows are not (January)
    assert page.locator("tr[data-fd-node='ind.gross_output']").is_visible()
    assert page.locator("tr[data-fd-node='ind.total_assets']").is_hidden()
    fill_indicators(page)
    page.wait_for_function("() => document.querySelector('[data-fd-computed=\"ind.revenue.ytd_growth\"]').textContent.trim() === '11.11'")
    shot(page, "formdefs_step2_desktop")
    click(page, "next")
    assert page.locator(".fd-tab.current").inner_text().endswith("产品产销存")
    warning = page.locator(".fd-issues")
    assert "1月份本年本月应等于本年1-本月" in warning.inner_text()
    page.click("[data-fd-add]")
    cells = {"name": "数控机床", "code": "", "unit": "台", "stock": "4"}
    for key in ("output", "sales"):
        for col in ("month", "ytd", "ly_month", "ly_ytd"):
            cells[f"{key}_{col}"] = "10"
    for col, value in cells.items():
        if value:
            page.fill(f"input[name=products__0__{col}]", value)
    click(page, "save")
    assert page.locator(".msg-success").count() == 1
    assert page.input_value("input[name=products__0__name]") == "数控机床"
    shot(page, "formdefs_step3_desktop")
    page.goto(live_server.url + "/")  # leave

    # another device: log in on a phone and find the draft where it was left
    login(phone_page, live_server.url, "com_demo01", PASSWORD, "13800000001")
    phone_page.goto(live_server.url + URL)
    assert phone_page.locator(".fd-tab.current").inner_text().endswith("产品产销存")
    assert phone_page.input_value("input[name=products__0__name]") == "数控机床"
    assert "1月份本年本月应等于本年1-本月" in phone_page.locator(".fd-issues").inner_text()
    shot(phone_page, "formdefs_step3_phone")
    # tabs jump back to reached steps with their answers
    phone_page.click("button[name=wizard_goto_step][value=indicators]")
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.input_value("input[name=ind__gross_output__ytd]") == "150"
    phone_page.click("button[name=wizard_goto_step][value=product_step]")
    phone_page.wait_for_load_state("networkidle")
    click(phone_page, "next")  # submit
    assert re.search(r"/forms/answers/\d+/", phone_page.url)
    from formdefs.models import FormAnswer

    answer = FormAnswer.objects.get()
    assert answer.is_anomalous and answer.answers["products"][0]["name"] == "数控机床"


def test_monthly_report_on_phone(live_server, report_site, phone_page, shot):
    login(phone_page, live_server.url, "com_demo02", PASSWORD, "13800000002")
    phone_page.goto(live_server.url + URL)
    fill_basic(phone_page)
    shot(phone_page, "formdefs_step1_phone")
    click(phone_page, "next")
    # com_demo02 is a software company: no industrial rows
    assert phone_page.locator("tr[data-fd-node='ind.gross_output']").is_hidden()
    for row in ["revenue", "cost", "receivables", "profit", "employees"]:
        for col, value in (("month", "100"), ("ytd", "100"), ("ly_month", "90"), ("ly_ytd", "90")):
            phone_page.fill(f"input[name=ind__{row}__{col}]", value)
    phone_page.fill("input[name=ind__revenue__month]", "-1")
    shot(phone_page, "formdefs_step2_phone")
    click(phone_page, "save")
    assert "不能为负数" in phone_page.locator("td.has-error").first.inner_text() or "negative" in phone_page.content()
    shot(phone_page, "formdefs_step2_phone_error")
    phone_page.fill("input[name=ind__revenue__month]", "100")
    click(phone_page, "next")
    assert phone_page.locator(".fd-tab.current").inner_text().endswith("产品产销存")
    shot(phone_page, "formdefs_step3_phone_empty")
