"""Browser journeys for content and documents: an editor publishes a notice that enterprises see on their
home; an administrator uploads a document, adds a version, sets the baseline and shares it; a group
member downloads it."""
import re

import pytest

from .conftest import login

PASSWORD = "Demo@2026sme"


@pytest.fixture
def editor(e2e_demo):
    from django.contrib.auth.models import Group

    from accounts.enums import EDITOR_GROUP_NAME
    from accounts.models import User
    from cms.content import editor_permissions_ensure

    editor_permissions_ensure()
    user = User.objects.create_user(
        username="editor01", password=PASSWORD, mobile="13700000001", kind="editor", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITOR_GROUP_NAME))
    return user


def test_editor_publishes_notice_enterprise_sees_it(page, phone_page, browser, live_server, editor, shot):
    from cms.models import NoticeIndexPage

    base = live_server.url
    index = NoticeIndexPage.objects.get()
    login(page, base, "editor01", PASSWORD, "13700000001", next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    shot(page, "cms_admin_home_editor")
    page.goto(f"{base}/admin/pages/add/cms/noticepage/{index.pk}/")
    page.fill("#id_title", "关于开展2026年一季度运行监测培训的通知")
    page.fill("#id_date", "2026-03-20")
    page.keyboard.press("Escape")
    page.locator(".Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("各地区管理员请于3月25日前组织企业参加线上培训。")
    page.locator("#id_title").click()  # Draftail stores its content when it loses focus
    page.wait_for_timeout(500)
    shot(page, "cms_editor_new_notice")
    page.eval_on_selector("button[name='action-publish']", "button => button.click()")
    page.wait_for_url(re.compile(rf"/admin/pages/{index.pk}/"))

    login(phone_page, base, "com_demo01", PASSWORD, "13800000001")
    phone_page.wait_for_url(re.compile(r"/$"))
    home = phone_page.content()
    assert "关于开展2026年一季度运行监测培训的通知" in home and "2026-03-20" in home
    shot(phone_page, "cms_enterprise_home_phone")
    phone_page.click("text=关于开展2026年一季度运行监测培训的通知")
    shot(phone_page, "cms_notice_phone")
    assert "线上培训" in phone_page.content()

    desktop = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    login(desktop, base, "com_demo02", PASSWORD, "13800000002")
    desktop.wait_for_url(re.compile(r"/$"))
    assert "关于开展2026年一季度运行监测培训的通知" in desktop.content()
    shot(desktop, "cms_enterprise_home")
    desktop.goto(f"{base}/notices/")
    shot(desktop, "cms_notice_index")
    desktop.goto(f"{base}/glossary/")
    shot(desktop, "cms_glossary")
    desktop.context.close()


def test_administrator_versions_baseline_share_member_downloads(page, browser, live_server, e2e_demo, shot):
    from cms.models import LibraryFile

    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, base, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    shot(page, "cms_admin_home")

    page.goto(f"{base}/admin/library/space/personal/")
    page.set_input_files("#lib-files", files=[
        {"name": "监测工作方案.txt", "mimeType": "text/plain", "buffer": "第一版：工作方案\n".encode()}])
    page.click("form:has(#lib-files) button[type=submit]")
    page.wait_for_selector("text=监测工作方案.txt")
    page.fill("#lib-new-folder", "工作文档")
    page.click("form:has(#lib-new-folder) button[type=submit]")
    page.wait_for_selector("a.cms-lib-name:has-text('工作文档')")
    shot(page, "cms_library_folder")
    # Wagtail's bulk actions: tick the file, 移动 in the footer, choose the folder on the confirm page.
    page.check("tr:has-text('监测工作方案.txt') input[data-bulk-action-checkbox]")
    page.click("[data-bulk-action-footer] a:has-text('移动')")
    page.wait_for_selector("[data-testid=chosen]:has-text('监测工作方案.txt')")
    page.select_option("select[name=target]", label="— 工作文档")
    page.click("form[action*='/admin/bulk/cms/'] button[type=submit]")
    page.wait_for_selector("text=已移动 1 项。")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "cms_library_folder_phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    file = LibraryFile.objects.get(name="监测工作方案.txt")
    page.goto(f"{base}/admin/library/file/{file.pk}/")
    page.set_input_files("#lib-version", files=[
        {"name": "监测工作方案.txt", "mimeType": "text/plain", "buffer": "第二版：工作方案（修订）\n".encode()}])
    page.click("form:has(#lib-version) button[type=submit]")
    page.wait_for_selector("text=v2")
    page.locator("form:has(input[name=action][value=baseline]) button").first.click()
    page.wait_for_load_state()
    file.refresh_from_db()
    assert file.baseline.number == 2 and file.versions.count() == 2

    page.goto(f"{base}/admin/library/groups/")
    page.fill("#lib-group-name", "信息共享组")
    page.click("form:has(#lib-group-name) button[type=submit]")
    page.wait_for_selector("#lib-member")
    zhejiang_value = page.eval_on_selector(
        "#lib-member", "s => [...s.options].find(o => o.textContent.trim().startsWith('sme_zhejiang')).value")
    page.select_option("#lib-member", zhejiang_value)
    page.click("form:has(#lib-member) button[type=submit]")
    page.wait_for_selector("td:text('sme_zhejiang')")
    shot(page, "cms_library_group")

    page.goto(f"{base}/admin/library/file/{file.pk}/")
    page.click("form:has(#lib-share-group) button[type=submit]")
    page.wait_for_selector(".cms-lib-shares li")
    shot(page, "cms_library_file")
    page.goto(f"{base}/admin/library/file/{file.pk}/preview/")
    assert "第二版" in page.content()
    shot(page, "cms_library_preview")

    member = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                 has_touch=True, device_scale_factor=2).new_page()
    login(member, base, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/")
    member.wait_for_url(re.compile(r"/admin/$"))
    member.goto(f"{base}/admin/library/shared/")
    shot(member, "cms_library_shared_phone")
    with member.expect_download() as info:
        member.click(f"a[href='/admin/library/file/{file.pk}/download/']")
    download = info.value
    assert download.suggested_filename == "监测工作方案.txt"
    assert open(download.path(), encoding="utf-8").read() == "第二版：工作方案（修订）\n"
    member.context.close()

    outsider = browser.new_context(locale="zh-CN").new_page()
    login(outsider, base, "sme_haishu", PASSWORD, "13900000004", next_url="/admin/")
    outsider.wait_for_url(re.compile(r"/admin/$"))
    outsider.goto(f"{base}/admin/library/file/{file.pk}/")
    assert "监测工作方案.txt" not in outsider.content()
    outsider.context.close()
