"""问卷发布和统计 in Chromium: an administrator designs a questionnaire of every question type (a branch that
ends early, a required question, two options per row), previews and enables it, then sees the pie and bar
charts; an enterprise answers it on a phone inside its monthly report's 调查问卷 step."""
import datetime
import re
from urllib.parse import urlparse

import pytest

from .conftest import login

PASSWORD = "Demo@2026sme"
TYPES = ["single", "multiple", "fill", "essay", "matrix_single", "matrix_multiple", "matrix_fill", "single_other", "multiple_other"]
TEXTS = ["本月企业生产经营状况", "本月招工渠道", "本月新招员工人数", "对中小企业政策的建议", "各项成本变化", "主要困难",
         "主要产品产量", "企业流动资金情况", "融资渠道"]


def go(page, selector):
    page.click(selector)
    page.wait_for_load_state("networkidle")
    # the questions step redraws through htmx: wait until every request it sent is answered
    page.wait_for_function("() => (document.documentElement.dataset.sbPending || '0') === '0'")


def step_action(page, action):
    # every step button leads to a page (step 2 sends it through htmx, which then loads the next page)
    with page.expect_navigation():
        page.click(f"main button[name=action][value={action}] >> nth=0")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def survey_setup(e2e_demo):
    from reporting.demo import _ensure_types
    from reporting.periods import period_current

    report_type, shipped, _lines = _ensure_types()
    return {"report_type": report_type, "shipped": shipped, "period": period_current(report_type)}


def test_design_every_type_preview_enable_and_see_the_charts(live_server, survey_setup, browser, shot):
    from enterprises.models import Enterprise
    from survey_builder import services
    from survey_builder.models import Questionnaire

    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    login(page, base, "sme_ningbo", PASSWORD, "13900000003")
    page.wait_for_load_state("networkidle")
    go(page, "a:has-text('问卷发布和统计')")
    assert "/admin/surveys/" in page.url
    go(page, "[data-testid=new]")
    # 1. 问卷主题定义
    page.fill("#id_title", "宁波市中小企业用工与经营专题调查")
    page.fill("#id_description", "了解本市中小企业用工、成本和资金情况。")
    page.check("input[name=frequency][value=monthly]")
    page.check("input[name=mandatory][value='1']")
    page.fill("#id_starts_on", "2020-01-01")
    page.fill("#id_ends_on", f"{datetime.date.today().year + 1}-12-31")
    step_action(page, "next")
    # 2. 问卷定义: one question of every type
    for qtype in TYPES:
        go(page, f"button[name=op][value='add:{qtype}']")
    assert page.locator("fieldset.sb-question").count() == 9
    for number, text in enumerate(TEXTS, 1):
        page.fill(f"#q-q{number}-text", text)
    go(page, "button[name=op][value='item_add:q1:options']")  # keeps the typed texts
    for option, label in zip(("o1", "o2", "o3"), ("良好", "一般", "不良")):
        page.fill(f"input[name='q-q1-options-{option}']", label)
    for box in page.locator("input[data-item]").all():  # new options and rows start empty: name them
        if not box.input_value():
            box.fill(box.get_attribute("placeholder"))
    assert page.input_value("#q-q9-text") == "融资渠道"
    shot(page, "survey-designer-questions")
    step_action(page, "next")
    # 3. 逻辑分支定义: 不良 ends the questionnaire early; the other options go on to Q2
    assert "/design/3/" in page.url
    page.select_option("select[name=b-q1-o1]", "q2")
    page.select_option("select[name=b-q1-o2]", "q2")
    page.select_option("select[name=b-q1-o3]", "end")
    shot(page, "survey-designer-branches")
    step_action(page, "next")
    # 4. 数据校验定义: Q2 is required, with its own message
    page.check("input[name=v-q2-required]")
    page.fill("#v-q2-message", "请至少选择一种招工渠道")
    step_action(page, "next")
    # 5. 布局定义: two options per row for Q1, previewed by the engine
    page.select_option("select[name=per_row-q1]", "2")
    step_action(page, "save")
    go(page, "tr[data-question='1'] a:has-text('预览')")
    preview = page.locator("[data-testid=question-preview]")
    assert "本月企业生产经营状况" in preview.inner_text()
    assert "--fd-per-row: 2" in preview.locator(".fd-options").get_attribute("style")
    shot(page, "survey-designer-layout-preview")
    step_action(page, "next")
    # 6. 启用问卷: preview the whole questionnaire in the engine's preview mode, then enable
    with context.expect_page() as popup:
        page.click("[data-testid=preview]")
    preview_page = popup.value
    preview_page.wait_for_load_state("networkidle")
    assert "/forms/preview/" in preview_page.url and "融资渠道" in preview_page.content()
    shot(preview_page, "survey-preview")
    preview_page.close()
    page.once("dialog", lambda dialog: dialog.accept())
    go(page, "[data-testid=enable]")
    questionnaire = Questionnaire.objects.get(title="宁波市中小企业用工与经营专题调查")
    assert questionnaire.status == "active"
    row = page.locator(f"tr[data-code='{questionnaire.code}']")
    assert "启用" in row.inner_text()
    shot(page, "survey-list")
    # enterprises answer (through the real service, as the answering wizard would)
    period = survey_setup["period"]
    version = questionnaire.definition.versions.get()
    for name, q1, q2 in (("com_demo01", "o1", ["o1", "o2"]), ("com_demo02", "o2", ["o2"])):
        enterprise = Enterprise.objects.get(user__username=name)
        services.questionnaire_response_store(questionnaire=questionnaire, enterprise=enterprise, period=period, version=version,
                                              answers={"q1": q1, "q2": q2, "q3": 3}, actor=enterprise.filler)
    go(page, f"tr[data-code='{questionnaire.code}'] a:has-text('分析')")
    page.wait_for_selector("#sb-chart-1[data-rendered=pie] svg")  # every question on one page, each with its chart
    page.wait_for_selector("#sb-chart-2[data-rendered=bar] svg")
    shot(page, "survey-statistics-all")
    go(page, "[data-testid=one-question]")
    page.wait_for_selector("#sb-chart[data-rendered=pie] svg")
    assert page.locator("[data-testid=responses]").inner_text() == "2"
    shot(page, "survey-statistics-pie")
    go(page, "[data-testid=next-question]")
    page.wait_for_selector("#sb-chart[data-rendered=bar] svg")
    counts = page.locator("[data-testid=counts] tbody tr").all_inner_texts()
    assert re.sub(r"\s+", " ", counts[1]).strip().endswith("2 100.0%")  # option 2 chosen by both
    shot(page, "survey-statistics-bar")
    context.close()


def test_enterprise_answers_inside_the_monthly_report_on_a_phone(live_server, survey_setup, phone_page, shot):
    from accounts.models import User
    from enterprises.models import Enterprise
    from survey_builder import services
    from survey_builder.models import QuestionnaireResponse
    from tests.reporting.conftest import Builder
    from tests.survey_builder.builders import add_questions, theme

    designer = User.objects.get(username="sme_ningbo")
    questionnaire = services.questionnaire_create(actor=designer, theme=theme(title="宁波用工专题调查"))
    questionnaire = add_questions(questionnaire, designer, ["single", "fill", "multiple"],
                                  texts={1: "本月是否招工", 2: "新招员工人数", 3: "招工渠道"})
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={"q1": {"o1": "q2", "o2": "end"}})
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={
        "q2": {"required": True, "kind": "number", "minimum": "0", "message": "请填写新招员工人数"}})
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    enterprise = Enterprise.objects.get(user__username="com_demo01")
    period, builder = survey_setup["period"], Builder(survey_setup["report_type"], survey_setup["shipped"])
    builder.save(enterprise, period)
    builder.answer_questionnaire(enterprise, period)  # the built-in 001 is answered already

    page, base, key = phone_page, live_server.url, f"{period:%Y-%m}"
    login(page, base, "com_demo01", PASSWORD, "13800000001")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/reports/sme_monthly/{key}/")
    row = page.locator("main tr", has_text="宁波用工专题调查")
    assert "未填报" in row.inner_text()
    assert page.locator("main button.btn[type=submit]").is_disabled()  # mandatory and unanswered
    shot(page, "survey-report-step-phone")
    go(page, "main tr:has-text('宁波用工专题调查') a:has-text('进入答题')")
    assert "/surveys/" in page.url
    # 否 ends the questionnaire: the later questions disappear as soon as it is chosen
    page.locator("main input[name=q1][value=o2]").check()
    page.wait_for_selector("[data-fd-node=q2]", state="hidden")
    page.locator("main input[name=q1][value=o1]").check()
    page.wait_for_selector("[data-fd-node=q2]", state="visible")
    page.click("main button[name=wizard_action][value=next]")  # Q2 is required: its own message
    page.wait_for_load_state("networkidle")
    assert "请填写新招员工人数" in page.content()
    page.fill("main input[name=q2]", "12")
    page.locator("main input[name=q3][value=o1]").check()
    shot(page, "survey-answer-phone")
    go(page, "main button[name=wizard_action][value=next]")
    assert urlparse(page.url).path.endswith(f"/reports/sme_monthly/{key}/")  # the query names the type
    assert "问卷已答" in page.locator("main tr", has_text="宁波用工专题调查").inner_text()
    response = QuestionnaireResponse.objects.get(questionnaire=questionnaire, enterprise=enterprise, period=period)
    assert response.answers == {"q1": "o1", "q2": 12, "q3": ["o1"]}
    go(page, "main button.btn[type=submit]")
    assert urlparse(page.url).path.endswith("/reports/")
