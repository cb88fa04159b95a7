"""Browser journey of the API tokens: an enterprise creates a token on the portal (desktop and phone),
the docs page opens (Swagger UI from static files), an administrator creates one in the back office. Screenshots: screenshots/api-*.png."""
import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_tokens_in_portal_and_back_office(e2e_demo, live_server, page, shot):
    from accounts.demo import DEMO_PASSWORD

    login(page, live_server.url, "com_demo01", DEMO_PASSWORD, "13800000001", next_url="/accounts/profile/")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.click("main a:has-text('接口令牌')")
    page.wait_for_url(re.compile(r"/api/tokens/"))
    page.fill("main input[name=name]", "本企业ERP系统")
    page.click("main [data-testid=token-create]")
    secret = page.locator("main .api-secret-value").inner_text()
    assert secret.startswith("smep_")
    assert "只显示这一次" in page.locator("main [data-testid=token-secret]").inner_text()
    shot(page, "api-tokens-portal")
    assert page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).ok

    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    shot(page, "api-docs")

    # The same page on a phone (the SMS code cannot be asked for again within a minute: same session).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/api/tokens/")
    assert "本企业ERP系统" in page.locator("main [data-testid=tokens-table]").inner_text()
    shot(page, "api-tokens-portal-phone")
    page.click("main [data-testid=token-revoke]")
    assert "已吊销" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    assert not page.request.get(f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).ok

    page.context.clear_cookies()
    login(page, live_server.url, "sme_ningbo", DEMO_PASSWORD, "13900000003", next_url="/admin/api-tokens/")
    page.goto(f"{live_server.url}/admin/api-tokens/")
    page.fill("main input[name=name]", "宁波市监测平台")
    page.click("main [data-testid=token-create]")
    assert page.locator("main .api-secret-value").inner_text().startswith("smep_")
    shot(page, "api-tokens-admin")
