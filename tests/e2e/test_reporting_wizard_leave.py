"""The report wizard in Chromium (issue 22): the step bar lists 4. 调查问卷 from the start; leaving a step
with errors asks first (a tab, and leaving the page); a valid step is kept without asking; step 4
refuses to submit past a step left with errors and links back to it."""
import re

from playwright.sync_api import expect

from .conftest import login
from .test_reporting_journeys import MOBILE, PASSWORD, fill_grid, go, journey  # noqa: F401  (journey: fixture)

LEAVE = "本步骤有错误，修改尚未保存。确定离开本步骤吗？"


def tab(page, title):
    return page.locator("nav.fd-tabs button", has_text=title)


def wait_for(page, dialogs, count):
    for _ in range(50):
        if len(dialogs) >= count:
            return
        page.wait_for_timeout(100)


def test_leaving_a_step_with_errors_asks_and_step_4_links_back(live_server, journey, page, shot):
    base, key = live_server.url, f"{journey['period']:%Y-%m}"
    dialogs, answer = [], {"accept": False}

    def on_dialog(dialog):
        dialogs.append((dialog.type, dialog.message))
        dialog.accept() if answer["accept"] else dialog.dismiss()

    login(page, base, "com_newco", PASSWORD, MOBILE)
    page.on("dialog", on_dialog)
    page.goto(f"{base}/reports/sme_monthly/{key}/fill/")
    # 4. 调查问卷 is in the step bar from the start; it opens once the report exists.
    expect(tab(page, "调查问卷")).to_have_text("4. 调查问卷")
    expect(tab(page, "调查问卷")).to_be_disabled()
    go(page, "next")  # 基本信息 is valid: saved, the report exists (编辑)
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")
    expect(tab(page, "调查问卷")).to_be_enabled()

    # A valid edit is kept by the tab itself: no question asked.
    fill_grid(page)
    tab(page, "基本信息").click()
    expect(page.locator(".fd-tab.current")).to_contain_text("基本信息")
    assert dialogs == []
    tab(page, "经济指标").click()
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")

    # An invalid edit: the tab asks; "cancel" stays on the step with what was typed.
    page.fill("input[name=ind__revenue__month]", "-5")
    tab(page, "基本信息").click()
    wait_for(page, dialogs, 1)
    assert dialogs == [("confirm", LEAVE)]
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")
    assert page.input_value("input[name=ind__revenue__month]") == "-5"
    # Leaving the page by a link asks too (the browser's own question).
    page.click("a[href='/reports/']", no_wait_after=True)
    wait_for(page, dialogs, 2)
    assert dialogs[-1][0] == "beforeunload"
    assert "/fill/" in page.url
    shot(page, "reporting_wizard_leave_with_errors")

    # "OK": the step is left, its typed values kept in the draft but not in the report.
    answer["accept"] = True
    tab(page, "基本信息").click()
    expect(page.locator(".fd-tab.current")).to_contain_text("基本信息")
    count = len(dialogs)
    tab(page, "调查问卷").click()  # 基本信息 unchanged and valid: no question
    page.wait_for_url(re.compile(rf"/reports/sme_monthly/{key}/$"))
    assert len(dialogs) == count
    box = page.locator("[data-testid=unsaved-steps]")
    expect(box).to_contain_text("经济指标")
    expect(page.locator("main button:has-text('上报')")).to_be_disabled()
    shot(page, "reporting_step4_unsaved_step")

    # The link opens the step as it was left, with its error; corrected and saved, step 4 is clear.
    box.locator("a", has_text="经济指标").click()
    expect(page.locator(".fd-tab.current")).to_contain_text("经济指标")
    assert page.input_value("input[name=ind__revenue__month]") == "-5"
    expect(page.locator(".has-error input[name=ind__revenue__month]")).to_have_count(1)
    page.fill("input[name=ind__revenue__month]", "900")
    go(page, "save")
    expect(page.locator(".msg-success")).to_contain_text("已保存")
    go(page, "next")
    expect(page.locator(".fd-tab.current")).to_contain_text("产品产销存")
    # The last step goes on to 调查问卷; it does not submit.
    expect(page.locator("main button[name=wizard_action][value=next]")).to_have_text("下一步")
    go(page, "next")
    page.wait_for_url(re.compile(rf"/reports/sme_monthly/{key}/$"))
    expect(page.locator(".msg-success")).to_contain_text("已保存。请完成调查问卷并上报。")
    expect(page.locator("[data-testid=unsaved-steps]")).to_have_count(0)
    expect(page.locator(".rp-step.current")).to_contain_text("调查问卷")
