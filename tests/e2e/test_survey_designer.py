"""The questionnaire designer in Chromium (issue 20 §1): a pasted list becomes one option per line, Enter adds
the next option and moves there, a question dragged above another, the live preview following every edit,
delete asking first and undo, all without a page load; on a 390 px phone the ↑/↓ buttons and the preview's
phone width. Screenshots of each designer step, desktop and phone."""
import pytest

from .conftest import login

PASSWORD = "Demo@2026sme"


@pytest.fixture
def draft(e2e_demo):
    import datetime

    from accounts.models import User
    from survey_builder import services

    designer = User.objects.get(username="sme_ningbo")
    today = datetime.date.today()
    return services.questionnaire_create(actor=designer, theme=services.ThemeData(
        title="上海企业经济月度调查问卷", description="了解本市企业生产经营的月度变化。", frequency="monthly", mandatory=True,
        starts_on=datetime.date(today.year - 1, 1, 1), ends_on=datetime.date(today.year + 1, 12, 31)))


def paste(page, selector, text):
    page.focus(selector)
    page.evaluate("""([selector, text]) => {
        const data = new DataTransfer(); data.setData("text/plain", text);
        document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
    }""", [selector, text])


def settle(page):
    page.wait_for_load_state("networkidle")


def test_paste_enter_drag_undo_and_the_live_preview(live_server, draft, browser, shot):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003")
    settle(page)
    page.goto(f"{live_server.url}/admin/surveys/{draft.pk}/design/2/")
    loads = []
    page.on("load", lambda _p: loads.append(1))
    page.click("button[name=op][value='add:single']")
    page.wait_for_selector("#q-q1-text")
    assert page.get_attribute("#q-q1-text", "placeholder") == "题目" and page.input_value("#q-q1-options-o1") == ""
    assert page.evaluate("document.activeElement.id") == "q-q1-text"
    page.fill("#q-q1-text", "企业总体生产经营状况(本月实际)")
    paste(page, "#q-q1-options-o1", "良好\n一般\n不良")  # one paste, one option per line
    page.wait_for_selector("#q-q1-options-o3")
    assert [page.input_value(f"#q-q1-options-o{n}") for n in (1, 2, 3)] == ["良好", "一般", "不良"]
    preview = page.locator("[data-testid=live-preview]")
    assert "企业总体生产经营状况(本月实际)" in preview.inner_text() and "不良" in preview.inner_text()
    # Enter in an option adds the next one and moves there
    page.press("#q-q1-options-o3", "Enter")
    page.wait_for_selector("#q-q1-options-o4")
    # the focus moves once the swapped-in option settles (on a loaded machine a moment after it appears)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'q-q1-options-o4'")
    page.keyboard.type("说不清")
    page.click("#q-q1-text")  # leaving the field saves it
    settle(page)
    page.wait_for_function("() => document.querySelector('[data-testid=live-preview]').innerText.includes('说不清')")
    # a second question, dragged above the first by its handle
    page.click("button[name=op][value='add:multiple']")
    page.wait_for_selector("#q-q2-text")
    page.fill("#q-q2-text", "本月企业招工渠道")
    paste(page, "#q-q2-options-o1", "网络招聘\n现场招聘")
    page.wait_for_function("() => document.querySelector('#q-q2-options-o2').value === '现场招聘'")
    shot(page, "designer-step2-desktop")
    assert refused == []  # paste, Enter, autosave and the preview's redraws set no inline style
    handle = page.locator("#q-q2 legend .sb-handle").bounding_box()
    target = page.locator("#q-q1 legend").bounding_box()
    page.mouse.move(handle["x"] + 4, handle["y"] + 4)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(handle["x"] + 4, handle["y"] + 4 - (handle["y"] - target["y"] + 10) * step / 10)
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.mouse.up()
    settle(page)
    draft.refresh_from_db()
    assert [q["id"] for q in draft.design["questions"]] == ["q2", "q1"]
    assert [o["label"] for o in draft.design["questions"][1]["options"]] == ["良好", "一般", "不良", "说不清"]
    first = preview.inner_text()
    assert first.index("本月企业招工渠道") < first.index("企业总体生产经营状况")
    # 删除 asks; undo brings the question back
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#q-q1 button[data-confirm-op=question]")
    page.wait_for_selector("#q-q1", state="detached")
    page.click("[data-testid=undo]")
    page.wait_for_selector("#q-q1")
    assert page.input_value("#q-q1-options-o4") == "说不清"
    assert loads == []  # not one full page load while editing questions
    context.close()


def test_steps_on_a_phone_reorder_with_buttons_and_preview_at_phone_width(live_server, draft, phone_page, browser, shot):
    from accounts.models import User
    from survey_builder import services
    from tests.survey_builder.builders import add_questions

    designer = User.objects.get(username="sme_ningbo")
    add_questions(draft, designer, ["single", "multiple", "fill"], texts={1: "企业流动资金情况", 2: "融资渠道", 3: "本月用电量"})
    page = phone_page
    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003")
    settle(page)
    base = f"{live_server.url}/admin/surveys/{draft.pk}/design"
    page.goto(f"{base}/1/")
    assert page.locator("[data-field=sections]").is_hidden()  # 行业门类 only for that target
    page.check("input[name=target][value=sections]")
    assert page.locator("[data-field=sections]").is_visible()
    page.check("input[name=target][value=all]")
    page.fill("[data-region-search]", "海曙")
    shot(page, "designer-step1-phone")
    page.click("button.sb-step[value='goto:2']")  # a tab saves step 1, then moves
    page.wait_for_url(f"{base}/2/")
    settle(page)
    page.click("#q-q2 button[value='up:q2']")
    page.wait_for_function("() => document.querySelector('.sb-question').id === 'q-q2'")
    page.click("[data-preview-width=phone]")
    assert "sb-phone" in page.get_attribute("#sb-preview", "class")
    shot(page, "designer-step2-phone")
    for step in (3, 4, 5):
        page.click(f"button.sb-step[value='goto:{step}']")
        page.wait_for_url(f"{base}/{step}/")
        settle(page)
        shot(page, f"designer-step{step}-phone")
    draft.refresh_from_db()
    assert [q["id"] for q in draft.design["questions"]] == ["q2", "q1", "q3"]
    assert services.design_revision(draft) >= 3
    # the same steps on a desktop
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900},
                                  storage_state=page.context.storage_state())  # the same login (SMS codes are throttled)
    desk = context.new_page()
    for step in (1, 3, 4, 5):
        desk.goto(f"{base}/{step}/")
        settle(desk)
        shot(desk, f"designer-step{step}-desktop")
    desk.goto(f"{base}/4/")
    desk.check("[data-testid=all-required]")
    assert all(box.is_checked() for box in desk.locator("input[name$='-required']").all())
    desk.click("main button[name=action][value=save] >> nth=0")
    settle(desk)
    draft.refresh_from_db()
    assert all(q["validation"].get("required") for q in draft.design["questions"])
    context.close()
