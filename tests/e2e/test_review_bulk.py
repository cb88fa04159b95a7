"""批量退回 in Chromium: tick two reports of the review list (one on a desktop, one on a phone), give
one reason, both are returned; the month page shows 上月/上年 beside the values."""
from pathlib import Path

from playwright.sync_api import expect

from .test_review_journeys import as_admin, review, row  # noqa: F401  (the fixture is used by name)

REASON = "本月营业收入口径有误，请核实后重新上报。"
SHOTS = Path("/tmp/shots/h36")


def test_tick_two_reports_and_return_them_with_one_reason(browser, live_server, review, shot):
    from reporting.models import Submission

    SHOTS.mkdir(parents=True, exist_ok=True)
    base, e1, e2 = live_server.url, review["enterprises"]["com_demo01"], review["enterprises"]["com_demo02"]
    context, page = as_admin(browser, base, "sme_ningbo")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/admin/review/enterprise/{e1.pk}/{review['key']}/")
    expect(page.locator("main [data-testid=compare-head]")).to_contain_text("上月")
    page.screenshot(path=str(SHOTS / "month-desktop.png"), full_page=True)
    page.goto(f"{base}/admin/review/?month={review['key']}")
    row(page, e1).locator("[data-testid=select]").check()
    page.screenshot(path=str(SHOTS / "list-desktop.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    # 一键接收 wraps under the page title on a phone instead of crowding it out of the header (issue 21)
    title = page.locator(".w-slim-header .w-breadcrumbs li").last.bounding_box()
    button = page.locator("#w-slim-header-buttons [data-testid=receive-all]").bounding_box()
    assert button["y"] >= title["y"] + title["height"] - 1 and button["x"] + button["width"] <= 390
    row(page, e2).locator("[data-testid=select]").check()
    page.screenshot(path=str(SHOTS / "list-phone.png"), full_page=True)
    page.locator("[data-bulk-action-footer] a", has_text="退回").click()  # Wagtail's bulk-action footer
    expect(page.locator("main [data-testid=chosen] li")).to_have_count(2)
    page.locator("main textarea[name=reason]").fill(REASON)
    page.screenshot(path=str(SHOTS / "bulk-return-phone.png"), full_page=True)
    page.locator("main [data-testid=confirm-bulk-return]").click()
    expect(page.locator(".messages")).to_contain_text("已退回2份报表。")
    expect(row(page, e1).locator("[data-testid=status]")).to_have_text("退回")
    expect(row(page, e2).locator("[data-testid=status]")).to_have_text("退回")
    shot(page, "review_bulk_return_phone")
    assert set(Submission.objects.filter(pk__in=[review["s1"].pk, review["s2"].pk])
               .values_list("status", "return_reason")) == {("returned", REASON)}
    context.close()
