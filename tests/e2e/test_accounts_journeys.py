"""First journeys: register an account, log in with the SMS code from the outbox, log out;
an administrator logs into the back office."""
import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

from tests.e2e.conftest import last_code, login

PASSWORD = "Xk9#mQ2pLw"


def _register_login_logout(page, base, shot, suffix, mobile, username):
    page.goto(f"{base}/accounts/register/")
    shot(page, f"register-empty-{suffix}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "weak")
    expect(page.locator(".strength-label")).to_have_text("弱")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.fill("input[name=real_name]", "王五")
    page.fill("input[name=email]", f"{username}@example.com")
    page.fill("input[name=mobile]", mobile)
    page.click("button[data-sms-url]")
    expect(page.locator("[data-sms-result]")).to_contain_text("验证码已发送")
    page.fill("input[name=sms_code]", last_code(mobile))
    shot(page, f"register-filled-{suffix}")
    page.click("main button.btn.block")
    page.wait_for_load_state()
    shot(page, f"register-submitted-{suffix}")
    expect(page.locator(".msg-success")).to_contain_text("注册成功")

    login(page, base, username, PASSWORD, mobile)
    expect(page.locator("h1")).to_contain_text("欢迎")
    shot(page, f"enterprise-home-{suffix}")
    page.click("text=退出")
    expect(page.locator(".msg-success")).to_contain_text("退出")
    page.goto(f"{base}/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_register_login_logout_desktop(page, live_server, e2e_demo, shot):
    _register_login_logout(page, live_server.url, shot, "desktop", "13712340001", "desk2026")


def test_register_login_logout_phone(phone_page, live_server, e2e_demo, shot):
    _register_login_logout(phone_page, live_server.url, shot, "phone", "13712340002", "phone2026")


def test_bad_login_shows_a_clear_message(page, live_server, e2e_demo, shot):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "com_demo01")
    page.fill("input[name=password]", "wrong-pass1")
    page.click("main button[type=submit]")
    expect(page.locator(".form-errors")).to_contain_text("登录名或密码错误")
    shot(page, "login-error-desktop")
    login(page, live_server.url, "com_demo01", DEMO_PASSWORD, "13800000001")
    expect(page.locator("h1")).to_contain_text("欢迎")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_administrator_logs_into_the_back_office(viewport, page, phone_page, live_server, e2e_demo, shot):
    p = page if viewport == "desktop" else phone_page
    p.goto(f"{live_server.url}/admin/")
    expect(p).to_have_url(re.compile(r"/accounts/login/"))
    shot(p, f"login-{viewport}")
    p.fill("input[name=username]", "sme_ningbo")
    p.fill("input[name=password]", DEMO_PASSWORD)
    p.click("main button[type=submit]")
    p.wait_for_url(re.compile(r"/accounts/login/verify/"))
    shot(p, f"login-verify-{viewport}")
    p.fill("input[name=code]", last_code("13900000003"))
    p.click("main button[type=submit]:not([name=action])")
    p.wait_for_url(re.compile(r"/admin/$"))
    expect(p.locator("body")).to_contain_text("宁波市")
    shot(p, f"admin-home-{viewport}")
