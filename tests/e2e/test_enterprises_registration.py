"""Enterprise registration in Chromium (desktop and phone): a new user registers an account, then an
enterprise through the wizard (duplicate name refused on the field, size computed) and sees 待审核;
a returned registration is corrected and resubmitted; the association page hands the filler over."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

from tests.e2e.conftest import last_code, login

PASSWORD = "Xk9#mQ2pLw"


@pytest.fixture
def site(e2e_demo, settings):
    settings.SMS_MOBILE_INTERVAL = timedelta(0)


@pytest.fixture(params=["desktop", "phone"])
def on_device(request):
    """(page, suffix): the same journey on a desktop window and on a phone."""
    page = request.getfixturevalue("page" if request.param == "desktop" else "phone_page")
    return page, request.param


def credit_code(first17: str) -> str:
    from enterprises.validators import uscc_check_char

    return first17 + uscc_check_char(first17)


def register_account(page, base, username, mobile):
    page.goto(f"{base}/accounts/register/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=real_name]", "王五")
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=mobile]", mobile)
    page.click("button[data-sms-url]")
    expect(page.locator("[data-sms-result]")).to_contain_text("验证码已发送")
    page.fill("input[name=sms_code]", last_code(mobile))
    page.click("main button.btn.block")
    expect(page.locator(".msg-success")).to_contain_text("注册成功")


def cascade(page, field, codes):
    for level, code in enumerate(codes):
        select = page.locator(f"[data-fd-node={field}] select[data-fd-level='{level}']")
        expect(select.locator(f"option[value='{code}']")).to_be_attached()
        select.select_option(code)


def fill_registration(page, name, code):
    page.fill("input[name=name]", name)
    page.fill("input[name=credit_code]", code)
    page.fill("input[name=legal_representative]", "王建国")
    page.fill("input[name=revenue_last_year]", "25000")
    page.fill("input[name=employees_last_year]", "60")
    page.fill("input[name=assets_last_year]", "30000")
    cascade(page, "industry", ["C", "C34", "C343", "C3435"])
    cascade(page, "region", ["330000", "330200", "330203"])
    cascade(page, "registration_type", ["100", "170", "173"])
    page.check("input[name=holding_type][value='3']")
    page.check("input[name=is_listed][value=false]")
    page.fill("input[name=opened_on]", "2018-05-20")
    page.fill("input[name=address]", "浙江省宁波市海曙区示范路8号")
    page.fill("input[name=postcode]", "315000")
    page.fill("input[name=contact]", "王五")
    page.fill("input[name=phone]", "0574-87654321")
    page.fill("textarea[name=main_business]", "电梯配件的研发、生产与销售")


def click(page, action):
    page.click(f"button[name=wizard_action][value={action}]")
    page.wait_for_load_state("networkidle")


def test_new_user_registers_an_enterprise(live_server, site, on_device, shot):
    page, suffix = on_device
    base = live_server.url
    username, mobile = f"newent{suffix[:2]}01", "1371234000" + ("1" if suffix == "desktop" else "2")
    register_account(page, base, username, mobile)
    login(page, base, username, PASSWORD, mobile)
    page.goto(f"{base}/enterprise/registration/")
    expect(page.locator("main")).to_contain_text("您尚未注册企业")
    shot(page, f"enterprises-status-none-{suffix}")
    page.click("main a.btn:has-text('注册企业')")
    expect(page.locator("h1")).to_contain_text("企业信息注册")
    expect(page.locator("input[name=mobile]")).to_have_value(mobile)  # from the account
    expect(page.locator("button[name=wizard_action][value=save]")).to_have_text("暂存")
    expect(page.locator("button[name=wizard_action][value=next]")).to_have_text("提交审核")

    # an existing enterprise's name is refused on the field, nothing is saved
    fill_registration(page, "宁波海曙示范机械有限公司", credit_code(f"91330203MA2{suffix[:1].upper()}0001"[:17].ljust(17, "1")))
    # 企业规模 follows the industry and the three measures (computed by the server)
    expect(page.locator("input[name=size][value=small]")).to_be_checked()
    cascade(page, "industry", ["F", "F52", "F521", "F5211"])
    expect(page.locator("input[name=size][value=medium]")).to_be_checked()
    page.click(".ent-size-button")
    expect(page.locator(".ent-size-note")).to_contain_text("已重新计算企业规模：中型")
    shot(page, f"enterprises-wizard-filled-{suffix}")
    click(page, "next")
    expect(page.locator("[data-fd-node=name] .error")).to_contain_text("企业名称已存在")
    shot(page, f"enterprises-wizard-duplicate-{suffix}")

    page.fill("input[name=name]", f"宁波海曙新注册{suffix}有限公司")
    click(page, "save")  # 暂存
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    expect(page.locator("input[name=size][value=medium]")).to_be_checked()
    click(page, "next")  # 提交审核
    expect(page).to_have_url(re.compile(r"/enterprise/registration/$"))
    expect(page.locator(".ent-status")).to_have_text("待审核")
    expect(page.locator(".msg-success")).to_contain_text("注册信息已提交审核")
    shot(page, f"enterprises-status-pending-{suffix}")

    from enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(user__username=username)
    assert enterprise.status == "pending" and enterprise.size == "medium" and enterprise.industry.full_code == "F5211"
    # a pending registration cannot be opened again
    page.goto(f"{base}/enterprise/register/")
    expect(page).to_have_url(re.compile(r"/enterprise/registration/$"))
    expect(page.locator(".msg")).to_contain_text("正在等待审核")


def test_returned_registration_is_corrected_and_resubmitted(live_server, site, on_device, shot):
    page, suffix = on_device
    base = live_server.url
    login(page, base, "com_demo05", DEMO_PASSWORD, "13800000005")
    page.goto(f"{base}/enterprise/registration/")
    expect(page.locator(".ent-status")).to_have_text("退回")
    expect(page.locator(".ent-returned")).to_contain_text("营业执照上的企业名称与填写的不一致")
    shot(page, f"enterprises-status-returned-{suffix}")
    page.click("text=修改并重新提交")
    expect(page.locator("input[name=name]")).to_have_value("宁波北仑退回示范物流有限公司")
    expect(page.locator("[data-fd-node=region] select[data-fd-level='2'] option:checked")).to_have_text("北仑区")
    expect(page.locator(".ent-returned")).to_contain_text("营业执照上的企业名称与填写的不一致")
    shot(page, f"enterprises-wizard-returned-{suffix}")
    page.fill("input[name=name]", "宁波北仑更正示范物流有限公司")
    click(page, "next")
    expect(page.locator(".ent-status")).to_have_text("待审核")
    expect(page.locator("main")).to_contain_text("宁波北仑更正示范物流有限公司")
    shot(page, f"enterprises-status-resubmitted-{suffix}")


def test_associated_user_takes_over_as_filler(live_server, site, page, phone_page, shot):
    base = live_server.url
    # com_demo01 (the filler, desktop) hands the role to com_demo06 (associated, phone)
    login(page, base, "com_demo01", DEMO_PASSWORD, "13800000001")
    page.goto(f"{base}/enterprise/associations/")
    item = page.locator(".ent-item", has_text="宁波海曙示范机械有限公司")
    expect(item.locator("[data-role]")).to_have_text("填报员")
    item.locator("select").select_option(label="周八 (com_demo06)")
    shot(page, "enterprises-associations-filler-desktop")
    page.once("dialog", lambda dialog: dialog.accept())  # "hand the role over?"
    item.locator("button:has-text('移交')").click()
    expect(page.locator(".msg-success")).to_contain_text("您不能再填报该企业的报表")
    expect(page.locator(".ent-item", has_text="宁波海曙示范机械有限公司").locator("[data-role]")).to_have_text("注册人")

    login(phone_page, base, "com_demo06", DEMO_PASSWORD, "13800000006")
    phone_page.goto(f"{base}/enterprise/associations/")
    expect(phone_page.locator(".ent-item", has_text="宁波海曙示范机械有限公司").locator("[data-role]")).to_have_text("填报员")
    # associate with a second enterprise by name and credit code, then switch to it
    from enterprises.models import Enterprise

    other = Enterprise.objects.get(user__username="com_demo02")
    phone_page.fill("input[name=name]", other.name)
    phone_page.fill("input[name=credit_code]", "91330205MA2BBBBB20")
    phone_page.click("main form button:has-text('关联')")
    expect(phone_page.locator(".form-errors")).to_contain_text("没有企业名称和统一社会信用代码均匹配")
    phone_page.fill("input[name=credit_code]", other.credit_code)
    phone_page.click("main form button:has-text('关联')")
    expect(phone_page.locator(".msg-success")).to_contain_text(f"已关联“{other.name}”")
    phone_page.locator(".ent-item", has_text=other.name).locator("button:has-text('切换到该企业')").click()
    expect(phone_page.locator(".ent-item", has_text=other.name).locator(".badge.current")).to_be_visible()
    shot(phone_page, "enterprises-associations-phone")
