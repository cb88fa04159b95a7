"""The 404 and 403 pages in the browser (issue 21 §3): the portal's and the back office's layout, the
server's message, the status and a way back that works; desktop and 390 px phone screenshots."""
import re

from .conftest import PHONE, login

PASSWORD = "Demo@2026sme"


def test_404_and_403_pages_on_desktop_and_phone(live_server, e2e_demo, page, browser, shot):
    base = live_server.url
    login(page, base, "sme_haishu", PASSWORD, "13900000004")
    page.wait_for_url(re.compile(r"/admin/"))

    page.goto(f"{base}/reports/current/")  # the portal's reporting page: no enterprise of one's own
    assert page.locator("main h1").inner_text() == "无权访问"
    assert "错误代码 403" in page.inner_text("main")
    assert "尚未审核通过" in page.locator("[role=alert]").inner_text()
    shot(page, "error-403-desktop")

    page.goto(f"{base}/admin/no-such-page/")  # the back office: Wagtail's sidebar with the platform's logo
    assert "页面不存在" in page.inner_text("main") and "错误代码 404" in page.inner_text("main")
    shot(page, "error-404-admin-desktop")

    page.goto(f"{base}/")
    page.goto(f"{base}/no-such-page/")
    assert page.locator("main h1").inner_text() == "页面不存在"
    shot(page, "error-404-desktop")
    page.get_by_role("button", name="返回上一页").click()  # the way back works (behaviours.js, no inline script)
    page.wait_for_url(re.compile(r"/admin/"))

    phone = browser.new_context(**PHONE, locale="zh-CN", storage_state=page.context.storage_state())  # same login
    try:
        mobile = phone.new_page()
        for url, name in (("/no-such-page/", "error-404-phone"), ("/reports/current/", "error-403-phone")):
            mobile.goto(base + url)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
            assert mobile.get_by_role("link", name="首页").last.is_visible()
            shot(mobile, name)
    finally:
        phone.close()
