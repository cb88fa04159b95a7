"""The shipped registration and questionnaire, a branched questionnaire and the severe-warning
explanation, each through the real wizard views (`/forms/demo/<key>/`) with the test client."""
import re

import pytest
from django.urls import reverse

from formdefs import services
from formdefs.models import FormAnswer, WizardDraft

pytestmark = pytest.mark.django_db

CLIMATE = {
    "overall_actual": "good", "overall_expected": "normal", "industry_actual": "normal", "industry_expected": "bad",
    "hiring": "75_90", "domestic_orders": "up", "export_orders": "no_export", "working_capital": "normal",
    "financing": "met", "material_prices": "up", "energy_prices": "flat",
}
SEVERE = {
    "id": "severe_check", "version": 1, "kind": "questionnaire", "title": "严重警告测试",
    "steps": [
        {"id": "money", "title": "经营", "sections": [{"id": "m", "fields": [
            {"id": "revenue", "type": "decimal", "label": "营业收入", "required": True, "nonnegative": True},
            {"id": "cost", "type": "decimal", "label": "营业成本", "required": True, "nonnegative": True}]}]},
        {"id": "closing", "title": "其他", "sections": [{"id": "c", "fields": [
            {"id": "remark", "type": "text", "label": "备注"}]}]},
    ],
    "rules": [{"id": "cost_not_above_tenfold", "severity": "severe", "expr": "cur.cost <= cur.revenue * 10.0",
               "message": "营业成本超过营业收入的10倍", "message_en": "Cost is more than ten times revenue"}],
}
BRANCHED = {
    "id": "export_survey", "version": 1, "kind": "questionnaire", "title": "出口调查", "numbering": True,
    "steps": [{"id": "s", "title": "问卷", "sections": [{"id": "q", "fields": [
        {"id": "exports", "type": "choice", "label": "是否出口", "required": True,
         "options": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}], "branches": {"yes": "countries", "no": "outlook"}},
        {"id": "countries", "type": "text", "label": "出口国家", "required": True},
        {"id": "export_share", "type": "decimal", "label": "出口占比", "required": True, "unit": "%"},
        {"id": "outlook", "type": "choice", "label": "下月预期", "required": True,
         "options": [{"value": "stop", "label": "不再作答"}, {"value": "go", "label": "继续"}], "branches": {"stop": "end", "go": "opinion"}},
        {"id": "opinion", "type": "textarea", "label": "意见建议", "required": True},
    ]}]}],
}


@pytest.fixture
def filler(client, demo, published):
    from accounts.models import User

    user = User.objects.get(username="com_demo01")
    client.force_login(user)
    client.user = user
    return client


def publish(document: dict):
    version = services.formdef_version_save(document=document)
    return services.formdef_publish(version=version)


def demo_url(key: str) -> str:
    return reverse("formdefs:demo", args=[key])


def management(response) -> tuple[str, str]:
    match = re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode())
    return match.group(1), match.group(2)


def errors(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'class="error" role="alert">([^<]+)<', body) + re.findall(r'class="form-errors" role="alert"><p>([^<]+)<', body)


def submit(client, url, data, action="next"):
    """Post the current step of the wizard at `url` (the management field is read from a GET)."""
    name, step = management(client.get(url))
    return client.post(url, {name: step, **data, "wizard_action": action})


# -- enterprise registration -------------------------------------------------------------------
def registration_data(**changes):
    data = {
        "name": "宁波海曙示范机械有限公司", "credit_code": "91330203MA2AAAAA1X", "legal_representative": "张三",
        "industry": "C3435", "region": "330203", "registration_type": "173", "holding_type": "3",
        "revenue_last_year": "5200", "employees_last_year": "180", "assets_last_year": "8000", "size": "small",
        "is_listed": "false", "opened_on": "2015-03-01", "website": "https://example.cn", "address": "宁波市海曙区示范路1号",
        "postcode": "315000", "contact": "李四", "phone": "0574-88888888", "mobile": "", "fax": "", "email": "li@example.cn",
        "main_business": "数控机床",
    }
    data.update(changes)
    return data


def test_registration_page_is_prefilled_with_one_tab_and_a_hidden_stock_code(filler):
    response = filler.get(demo_url("enterprise_registration"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="宁波海曙示范机械有限公司"' in body
    assert len(re.findall(r'class="fd-tab[ "]', body)) == 1 and "企业信息" in body
    assert re.search(r'data-fd-node="stock_code" hidden', body)
    assert "上年末营业收入(千元)" in body and '<small class="muted">(千元)</small>' not in body  # the unit once
    assert 'value="next" class="btn">上报</button>' in body  # the only step is the last: its button submits


def test_registration_required_fields_are_refused_naming_each_field(filler):
    data = registration_data(name="", opened_on="", main_business="")
    response = submit(filler, demo_url("enterprise_registration"), data)
    assert response.status_code == 200
    messages = errors(response)
    for label in ("企业名称", "开业时间", "主营业务/主要产品"):
        assert f"{label}为必填项。" in messages, messages
    assert "请先改正下列错误后再试。" in response.content.decode()  # a banner at the top: nothing moved
    assert not FormAnswer.objects.exists()


def test_registration_pattern_and_rule_errors(filler):
    data = registration_data(credit_code="123", postcode="31500", phone="", mobile="")
    messages = errors(submit(filler, demo_url("enterprise_registration"), data))
    assert "统一社会信用代码应为18位数字或大写字母" in messages
    assert "邮政编码应为6位数字" in messages
    assert any("电话" in m and "手机" in m for m in messages), messages  # the phone-or-mobile rule
    assert not FormAnswer.objects.exists()


def test_registration_listed_enterprise_needs_a_stock_code(filler):
    messages = errors(submit(filler, demo_url("enterprise_registration"), registration_data(is_listed="true")))
    assert "股票代码为必填项。" in messages


def test_registration_submits_and_drops_the_hidden_stock_code(filler):
    url = demo_url("enterprise_registration")
    response = submit(filler, url, registration_data(stock_code="600000"))  # not listed: stock_code is hidden
    assert response.status_code == 302, errors(response)
    answer = FormAnswer.objects.get()
    assert answer.key == f"demo:{filler.user.pk}:enterprise_registration"
    assert "stock_code" not in answer.answers
    assert answer.answers["is_listed"] is False and answer.answers["industry"] == "C3435"
    assert answer.answers["employees_last_year"] == 180 and answer.answers["opened_on"] == "2015-03-01"
    assert not answer.is_anomalous and not WizardDraft.objects.exists()
    page = filler.get(response["Location"])
    assert page.status_code == 200 and "宁波海曙示范机械有限公司" in page.content.decode()


def test_registration_listed_enterprise_keeps_its_stock_code(filler):
    response = submit(filler, demo_url("enterprise_registration"), registration_data(is_listed="true", stock_code="600000"))
    assert response.status_code == 302, errors(response)
    assert FormAnswer.objects.get().answers["stock_code"] == "600000"


# -- the business-climate questionnaire -------------------------------------------------------
def test_questionnaire_numbers_its_eleven_questions(filler):
    body = filler.get(demo_url("sme_business_climate")).content.decode()
    numbers = re.findall(r'<span class="fd-number">(\d+)\.</span>', body)
    assert numbers == [str(n) for n in range(1, 12)]
    assert "企业总体生产经营状况(本月实际)" in body and "近期能源购入价格变化情况" in body


def test_questionnaire_unanswered_questions_are_refused_naming_each(filler):
    response = submit(filler, demo_url("sme_business_climate"), {"overall_actual": "good"})
    messages = errors(response)
    assert "企业总体生产经营状况(本月实际)为必填项。" not in messages
    assert "企业总体生产经营状况(下月预期)为必填项。" in messages
    assert "近期能源购入价格变化情况为必填项。" in messages
    assert len([m for m in messages if m.endswith("为必填项。")]) == 10
    assert not FormAnswer.objects.exists()


def test_questionnaire_rejects_an_unknown_option_naming_the_question(filler):
    messages = errors(submit(filler, demo_url("sme_business_climate"), {**CLIMATE, "hiring": "all"}))
    assert "本月企业招工情况：请选择有效的选项。" in messages


def test_questionnaire_saves_a_draft_then_submits(filler):
    url = demo_url("sme_business_climate")
    response = submit(filler, url, {"overall_actual": "bad"}, action="save")  # 保存 keeps it, flagged (issue 21 §1)
    assert "已保存草稿 10:00，有" in response.content.decode() and "处需更正" in response.content.decode()
    response = submit(filler, url, CLIMATE, action="save")
    assert "已保存" in response.content.decode()
    assert WizardDraft.objects.get().data["extra_data"]["answers"]["survey"]["hiring"] == "75_90"
    assert re.search(r'value="75_90"[^>]*checked', filler.get(url).content.decode())  # the draft comes back
    response = submit(filler, url, CLIMATE)
    assert response.status_code == 302, errors(response)
    assert FormAnswer.objects.get().answers == CLIMATE
    assert not WizardDraft.objects.exists()


# -- a branched questionnaire ------------------------------------------------------------------
@pytest.fixture
def branched(filler):
    publish(BRANCHED)
    return demo_url("export_survey")


def test_branch_skips_questions_and_drops_their_answers(filler, branched):
    data = {"exports": "no", "countries": "德国", "export_share": "35", "outlook": "go", "opinion": "加大扶持"}
    response = submit(filler, branched, data)
    assert response.status_code == 302, errors(response)
    assert FormAnswer.objects.get().answers == {"exports": "no", "outlook": "go", "opinion": "加大扶持"}


def test_branch_to_end_skips_required_questions(filler, branched):
    response = submit(filler, branched, {"exports": "yes", "countries": "德国", "export_share": "35", "outlook": "stop", "opinion": "x"})
    assert response.status_code == 302, errors(response)
    assert FormAnswer.objects.get().answers == {"exports": "yes", "countries": "德国", "export_share": 35.0, "outlook": "stop"}


def test_questions_on_the_branch_taken_stay_required(filler, branched):
    response = submit(filler, branched, {"exports": "yes", "outlook": "go"})
    messages = errors(response)
    assert "出口国家为必填项。" in messages and "出口占比为必填项。" in messages and "意见建议为必填项。" in messages
    body = response.content.decode()
    assert re.search(r'data-fd-node="countries"(?! hidden)', body)


def test_live_state_reports_the_skipped_questions(filler, branched):
    name, step = management(filler.get(branched))
    state = filler.post(branched, {name: step, "exports": "no", "outlook": "stop", "wizard_action": "state"}).json()
    assert {"countries", "export_share", "opinion"} <= set(state["hidden"])
    assert "outlook" not in state["hidden"]


# -- severe warnings need the filler's explanation (填报人说明) before submit -------------------
@pytest.fixture
def severe(filler):
    publish(SEVERE)
    url = demo_url("severe_check")
    response = submit(filler, url, {"revenue": "10", "cost": "500"})  # severe, but 下一步 moves on
    assert management(response)[1] == "closing", errors(response)
    return url


def test_severe_warning_is_shown_and_the_explanation_field_is_on_the_last_step(filler, severe):
    body = filler.get(severe).content.decode()
    assert "营业成本超过营业收入的10倍" in body and "严重警告" in body
    assert "存在严重警告，须填写填报人说明后才能上报。" in body
    assert 'name="explanation"' in body and "填报人说明" in body


def test_submit_without_explanation_is_refused(filler, severe):
    response = submit(filler, severe, {"remark": "", "explanation": "  "})
    assert response.status_code == 200
    assert "存在严重警告，请填写填报人说明后再上报。" in errors(response)
    assert not FormAnswer.objects.exists()
    assert management(response)[1] == "closing"


def test_submit_with_explanation_stores_and_shows_it(filler, severe):
    response = submit(filler, severe, {"remark": "", "explanation": "本月集中采购原材料，成本一次性入账。"})
    assert response.status_code == 302, errors(response)
    answer = FormAnswer.objects.get()
    assert answer.explanation == "本月集中采购原材料，成本一次性入账。"
    assert [i["code"] for i in answer.issues] == ["cost_not_above_tenfold"]
    assert answer.is_anomalous
    page = filler.get(response["Location"]).content.decode()
    assert "填报人说明" in page and "本月集中采购原材料，成本一次性入账。" in page


def test_no_explanation_needed_without_a_severe_warning(filler):
    publish(SEVERE)
    url = demo_url("severe_check")
    submit(filler, url, {"revenue": "100", "cost": "500"})
    response = submit(filler, url, {"remark": "", "explanation": ""})
    assert response.status_code == 302, errors(response)
    assert FormAnswer.objects.get().explanation == ""
