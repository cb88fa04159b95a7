"""The enterprise's monthly report in Chromium: fill the wizard with a warning and a note, answer the
questionnaire, submit, see 待审核, withdraw, resubmit; import a filled template; export and print."""
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from .conftest import login

PASSWORD = "Demo@2026sme"
MOBILE = "13800000009"


@pytest.fixture
def journey(e2e_demo, settings):
    """A new enterprise user (approved by this test helper) and last month's report approved."""
    from accounts.models import User
    from enterprises.services import enterprise_create_approved
    from regions.models import HoldingType, RegistrationType
    from regions.selectors import industry_by_full_code, region_by_code
    from reporting.demo import _ensure_types
    from reporting.periods import month_add, period_current
    from tests.reporting.conftest import Builder

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    report_type, questionnaire = _ensure_types()[:2]
    user = User.objects.create_user(username="com_newco", password=PASSWORD, mobile=MOBILE, real_name="王填报", kind="enterprise")
    enterprise = enterprise_create_approved(
        user=user, name="宁波海曙新创软件有限公司", credit_code="91330203MA2H000005", legal_representative="王五",
        industry=industry_by_full_code("I6513"), region=region_by_code("330203"),
        registration_type=RegistrationType.objects.filter(parent__isnull=False).first(),
        holding_type=HoldingType.objects.first(), size="small", address="海曙区新创路1号", postcode="315000",
        opened_on="2020-01-01", contact="王填报", phone="0574-88880000", main_business="软件开发")
    period = period_current(report_type)
    Builder(report_type, questionnaire).approved(enterprise, month_add(period, -1))
    return {"enterprise": enterprise, "period": period, "report_type": report_type}


def fill_grid(page, scale=1.0):
    """Every visible input cell of the grid: a consistent month (1-本月 = last month's + this month)."""
    for name in page.eval_on_selector_all(
            "input[name^=ind__]:not([readonly])", "els => els.filter(e => e.offsetParent !== null).map(e => e.name)"):
        page.fill(f"input[name='{name}']", str(round(1000 * scale)))


def go(page, action):
    page.click(f"main button[name=wizard_action][value={action}]")
    page.wait_for_load_state("networkidle")


def answer_questionnaire(page):
    page.click("main a:has-text('进入答题')")
    page.wait_for_load_state("networkidle")
    while True:
        for name in set(page.eval_on_selector_all("main input[type=radio]", "els => els.map(e => e.name)")):
            page.locator(f"main input[type=radio][name='{name}']").first.check()
        go(page, "next")
        if "/surveys/" not in page.url:
            break


def status_of(page, period_key):
    return page.locator(f"tr[data-period='{period_key}'] .rp-status").inner_text()


def test_fill_submit_withdraw_resubmit(live_server, journey, page, shot):
    base, key = live_server.url, f"{journey['period']:%Y-%m}"
    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.goto(base + "/")
    assert status_of(page, key) == "未填报"
    shot(page, "reporting_home_desktop")
    page.click("main a:has-text('当期报送')")
    page.wait_for_load_state("networkidle")
    assert page.locator(".fd-tab.current").inner_text().endswith("基本信息")
    assert page.input_value("input[name=name]") == "宁波海曙新创软件有限公司"
    go(page, "next")
    assert page.locator(".fd-tab.current").inner_text().endswith("经济指标")
    fill_grid(page)
    shot(page, "reporting_wizard_grid_desktop")
    go(page, "next")
    # 1-本月 (1000) below last month's 1-本月: a non-blocking balance warning
    assert "营业收入：本年1-本月不应小于上月本年1-本月" in page.locator(".fd-issues").inner_text()
    page.fill("textarea[name=explanation]", "本月起按新口径统计营业收入")
    go(page, "next")
    assert page.url.endswith(f"/reports/sme_monthly/{key}/")
    assert page.locator("main button:has-text('上报')").is_disabled()
    answer_questionnaire(page)
    assert "问卷已答" in page.locator("main").inner_text()
    shot(page, "reporting_step4_desktop")
    page.click("main button:has-text('上报')")
    page.wait_for_url(re.compile(r"/reports/(\?type=[a-z_]+)?$"))
    assert status_of(page, key) == "待审核【海曙区经济和信息化局】"
    assert "数据异常" in page.locator(f"tr[data-period='{key}']").inner_text()
    shot(page, "reporting_history_desktop")
    # withdraw, then submit again from the wizard
    page.click(f"tr[data-period='{key}'] button:has-text('撤销')")
    page.wait_for_load_state("networkidle")
    assert status_of(page, key) == "编辑"
    page.click(f"tr[data-period='{key}'] a:has-text('编辑')")
    page.wait_for_load_state("networkidle")
    go(page, "next")
    fill_grid(page, scale=100)  # now above last month's: no warning
    go(page, "next")
    go(page, "next")
    page.click("main button:has-text('上报')")
    page.wait_for_url(re.compile(r"/reports/(\?type=[a-z_]+)?$"))
    assert status_of(page, key) == "待审核【海曙区经济和信息化局】"
    assert "数据异常" not in page.locator(f"tr[data-period='{key}']").inner_text()
    # the detail, its Excel export and the print view
    page.click(f"tr[data-period='{key}'] a:has-text('查看')")
    page.wait_for_load_state("networkidle")
    assert "审核记录" in page.locator("main").inner_text()
    shot(page, "reporting_detail_desktop")
    with page.expect_download() as download:
        page.click("main a:has-text('导出Excel')")
    workbook = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    texts = {str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "宁波海曙新创软件有限公司" in texts and "100000" in {t.split(".")[0] for t in texts}
    with page.context.expect_page() as popup:
        page.click("main a:has-text('打印')")
    printable = popup.value
    printable.wait_for_load_state()
    # The A4 landscape page rule comes from reporting/print.css (no inline styles under the CSP).
    assert printable.evaluate("""() => [...document.styleSheets].some(sheet =>
        [...sheet.cssRules].some(rule => rule.cssText.includes('landscape')))""")
    shot(printable, "reporting_print")


def fill_template(path, values: dict):
    """Write numbers next to the labels of the template's grid (found by label, not by position)."""
    workbook = load_workbook(path)
    sheet = next(ws for ws in workbook.worksheets if ws.sheet_state == "visible" and any(
        str(c.value).rstrip(" *") == "营业收入" for row in ws.iter_rows() for c in row))
    header = next(row for row in sheet.iter_rows() if any(c.value == "本年本月" for c in row))
    columns = {c.value: c.column for c in header if c.value}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        label = next((c.value.rstrip(" *") for c in row if isinstance(c.value, str)), None)
        if label in values:
            for column, value in values[label].items():
                sheet.cell(row=row[0].row, column=columns[column], value=value)
    out = path + ".filled.xlsx"
    workbook.save(out)
    return out


def test_import_a_filled_template_on_a_phone(live_server, journey, phone_page, shot, tmp_path):
    page, base = phone_page, live_server.url
    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.goto(base + "/reports/import/")
    with page.expect_download() as download:
        page.click("main a:has-text('下载Excel模板')")
    template = str(tmp_path / "template.xlsx")
    download.value.save_as(template)
    numbers = {"本年本月": 3000, "本年1-本月": 9000, "上年本月": 2700, "上年1-本月": 8000}
    rows = ["营业收入", "营业成本", "应收账款", "利润总额", "从业人员"]
    bad = fill_template(template, {row: dict(numbers) for row in rows} | {"营业成本": {**numbers, "本年本月": "12a"}})
    page.set_input_files("input[name=file]", bad)
    page.click("main button:has-text('上传并预检')")
    page.wait_for_load_state("networkidle")
    errors = page.locator(".rp-import-errors").inner_text()
    assert "营业成本" in errors and "12a" not in errors or "数字" in errors
    shot(page, "reporting_import_errors_phone")
    good = fill_template(template, {row: dict(numbers) for row in rows})
    page.set_input_files("input[name=file]", good)
    page.click("main button:has-text('上传并预检')")
    assert "预检通过" in page.locator("main [data-testid=precheck-result]").inner_text()  # nothing saved yet
    shot(page, "reporting_import_precheck_phone")
    page.click("main [data-testid=confirm-import]")
    page.wait_for_url(re.compile(r"/reports/s/\d+/$"))
    body = page.locator("main").inner_text()
    assert "导入" in body and "9,000" in body  # the detail page shows thousands separators
    shot(page, "reporting_detail_phone")
    page.goto(base + "/reports/")
    shot(page, "reporting_history_phone")
