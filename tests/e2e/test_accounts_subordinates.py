"""下级管理员维护 in the browser: a city administrator creates a county subordinate, who then logs in
with the one-time password and an SMS code; the national administrator's region cascade."""
import re

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

from tests.e2e.conftest import login


def _create_county_subordinate(page, base, shot, suffix, username, mobile):
    login(page, base, "sme_ningbo", DEMO_PASSWORD, "13900000003", next_url="/admin/subordinates/")
    page.wait_for_url(re.compile(r"/admin/subordinates/$"))
    tree = page.locator("[data-testid=admin-tree]")
    expect(tree.locator("[data-admin=sme_ningbo]")).to_contain_text("浙江省宁波市")
    expect(tree.locator("[data-admin=sme_haishu]")).to_contain_text("浙江省宁波市海曙区")
    expect(tree.locator("[data-admin=sme_zhejiang]")).to_have_count(0)
    shot(page, f"subordinates-tree-{suffix}")

    page.click("[data-testid=create-subordinate]")
    form = page.locator("form[data-testid=subordinate-form]")
    shot(page, f"subordinates-create-empty-{suffix}")
    expect(form.locator("select[name=region_2]")).to_have_count(0)  # a city picks among its counties only
    expect(form.locator("input[name=can_skip_level]")).to_have_count(0)
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=real_name]").fill("赵六")
    form.locator("input[name=mobile]").fill(mobile)
    form.locator("input[name=email]").fill(f"{username}@example.com")
    form.locator("input[name=phone]").fill("0574-87000000")
    form.locator("input[name=organisation]").fill("江北区经济和信息化局")
    form.locator("select[name=region_3]").select_option(label="江北区")
    form.locator("input[name=can_review_report]").check()
    form.locator("input[name=can_one_click]").check()
    shot(page, f"subordinates-create-filled-{suffix}")
    form.locator("[data-testid=save]").click()

    secret = page.locator("[data-testid=password]")
    expect(secret).to_be_visible()
    password = secret.inner_text().strip()
    assert len(password) >= 12
    shot(page, f"subordinates-password-{suffix}")
    page.click("[data-testid=done]")
    detail = page.locator("[data-testid=admin-detail]")
    expect(detail.locator("[data-testid=detail-region]")).to_have_text("浙江省宁波市江北区")
    expect(detail).to_contain_text("江北区经济和信息化局")
    expect(page.locator("[data-testid=delete]")).to_be_visible()
    shot(page, f"subordinates-detail-{suffix}")

    # Deleting sme_haishu is refused with the reason, in Chinese.
    page.goto(f"{base}/admin/subordinates/")
    page.locator("[data-testid=admin-tree] [data-admin=sme_haishu] a.sa-card__name").click()
    expect(page.locator("[data-testid=delete-blocked]")).to_contain_text("直接审核员")
    shot(page, f"subordinates-delete-blocked-{suffix}")

    # The new county administrator logs in with the password and an SMS code.
    page.context.clear_cookies()
    login(page, base, username, password, mobile, next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("[data-testid=admin-region]")).to_have_text("浙江省宁波市江北区")
    page.goto(f"{base}/admin/subordinates/")
    expect(page.locator("[data-testid=admin-tree] [data-admin]")).to_have_count(1)
    expect(page.locator("[data-testid=create-subordinate]")).to_have_count(0)
    shot(page, f"subordinates-new-admin-{suffix}")


def test_city_creates_county_subordinate_desktop(page, live_server, e2e_demo, shot):
    _create_county_subordinate(page, live_server.url, shot, "desktop", "jb_admin01", "13900000031")


def test_city_creates_county_subordinate_phone(phone_page, live_server, e2e_demo, shot):
    _create_county_subordinate(phone_page, live_server.url, shot, "phone", "jb_admin02", "13900000032")


def test_national_region_cascade_and_skip_level(page, live_server, e2e_demo, shot):
    base = live_server.url
    login(page, base, "sme_admin", DEMO_PASSWORD, "13900000001", next_url="/admin/subordinates/create/")
    page.wait_for_url(re.compile(r"/admin/subordinates/create/$"))
    form = page.locator("form[data-testid=subordinate-form]")
    skip = form.locator("input[name=can_skip_level]")
    expect(skip).to_be_hidden()
    form.locator("select[name=region_1]").select_option(label="江苏省")
    expect(skip).to_be_visible()  # a province: skip-level is offered
    expect(form.locator("select[name=region_2] option", has_text="苏州市")).to_have_count(1)
    form.locator("select[name=region_2]").select_option(label="苏州市")
    expect(skip).to_be_hidden()
    expect(form.locator("select[name=region_3] option", has_text="姑苏区")).to_have_count(1)
    form.locator("select[name=region_2]").select_option(value="")
    expect(form.locator("select[name=region_3] option")).to_have_count(1)
    form.locator("input[name=username]").fill("sme_jiangsu")
    form.locator("input[name=mobile]").fill("13900000041")
    form.locator("input[name=organisation]").fill("江苏省工业和信息化厅")
    skip.check()
    shot(page, "subordinates-national-create-desktop")
    form.locator("[data-testid=save]").click()
    expect(page.locator("[data-testid=password]")).to_be_visible()
    page.click("[data-testid=done]")
    expect(page.locator("[data-testid=admin-detail]")).to_contain_text("越级审核权 ✓")
    page.goto(f"{base}/admin/subordinates/")
    expect(page.locator("[data-testid=admin-tree] [data-admin=sme_jiangsu]")).to_contain_text("江苏省")
    shot(page, "subordinates-national-tree-desktop")
