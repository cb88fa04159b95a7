"""问卷发布和统计 over HTTP: menu, list, the six designer steps, preview, actions, answers, statistics; the
enterprise's 调查问卷 page and home block."""
import re

import pytest
from django.urls import reverse

from survey_builder import services
from survey_builder.enums import QuestionnaireStatus, QuestionType
from survey_builder.models import Questionnaire

from .builders import enabled, option_ids, qid, texts_for, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, designer):
    client.force_login(designer)
    return client


def step_url(questionnaire, step):
    return reverse("survey_admin:design", args=[questionnaire.pk, step])


def test_menu_and_list_for_administrators_only(web, client, enterprises, monthly):
    page = web.get("/admin/").content.decode()
    assert reverse("survey_admin:list") in page
    page = web.get(reverse("survey_admin:list")).content.decode()
    assert monthly[1].title in page and reverse("survey_admin:new") in page
    client.force_login(enterprises["com_demo01"].filler)
    assert client.get(reverse("survey_admin:list")).status_code in (302, 403)


def test_list_query_count_does_not_grow_with_rows(web, designer, django_assert_max_num_queries):
    for n in range(3):
        enabled(designer, types=[QuestionType.SINGLE], title=f"问卷{n}")
    with django_assert_max_num_queries(30):
        response = web.get(reverse("survey_admin:list"))
    assert response.status_code == 200


def test_designer_steps_over_http(web, designer):
    # step 1: a new draft; the name is limited to 50 characters
    data = {"title": "问" * 51, "description": "说明", "frequency": "monthly", "mandatory": "1", "starts_on": "2020-01-01",
            "ends_on": "2099-12-31", "target": "all", "action": "next"}
    response = web.post(reverse("survey_admin:new"), data)
    assert response.status_code == 200 and not Questionnaire.objects.exists()
    data["title"] = "企业用工调查"
    response = web.post(reverse("survey_admin:new"), data)
    questionnaire = Questionnaire.objects.get()
    assert response.url == step_url(questionnaire, 2)
    # step 2: the type buttons add questions; texts typed on the page are kept by every button
    web.post(step_url(questionnaire, 2), {"op": "add:single"})
    web.post(step_url(questionnaire, 2), {"op": "add:fill"})
    questionnaire.refresh_from_db()
    posted = texts_for(questionnaire.design)
    posted[f"q-{qid(questionnaire, 1)}-text"] = "本月是否招工"
    web.post(step_url(questionnaire, 2), {**posted, "op": f"item_add:{qid(questionnaire, 1)}:options"})
    questionnaire.refresh_from_db()
    assert questionnaire.design["questions"][0]["text"] == "本月是否招工" and len(questionnaire.design["questions"][0]["options"]) == 3
    # new options start empty (their numbers are placeholders): name them
    posted = texts_for(questionnaire.design)
    posted.update({f"q-{qid(questionnaire, 1)}-options-{o}": label for o, label in zip(option_ids(questionnaire, 1), ("是", "否", "不确定"))})
    posted[f"q-{qid(questionnaire, 2)}-text"] = "本月新招员工人数"
    web.post(step_url(questionnaire, 2), {**posted, "action": "save"})
    questionnaire.refresh_from_db()
    page = web.get(step_url(questionnaire, 2)).content.decode()
    assert "本月是否招工" in page and 'value="add:matrix_multiple"' in page
    # step 3: an incomplete branch is refused with a message naming the question
    q1, q2 = qid(questionnaire, 1), qid(questionnaire, 2)
    o1, o2, o3 = option_ids(questionnaire, 1)
    response = web.post(step_url(questionnaire, 3), {f"b-{q1}-{o1}": "end", "action": "next"})
    assert response.status_code == 200 and "Q1" in response.content.decode()
    response = web.post(step_url(questionnaire, 3), {f"b-{q1}-{o1}": "end", f"b-{q1}-{o2}": q2, f"b-{q1}-{o3}": q2, "action": "next"})
    assert response.url == step_url(questionnaire, 4)
    # step 4: validation with a message
    response = web.post(step_url(questionnaire, 4), {f"v-{q1}-present": "1", f"v-{q1}-required": "on", f"v-{q1}-message": "请选择",
                                                     f"v-{q2}-present": "1", f"v-{q2}-kind": "number", f"v-{q2}-minimum": "5",
                                                     f"v-{q2}-maximum": "1", "action": "next"})
    assert response.status_code == 200 and "Q2" in response.content.decode()
    response = web.post(step_url(questionnaire, 4), {f"v-{q1}-present": "1", f"v-{q1}-required": "on", f"v-{q1}-message": "请选择",
                                                     f"v-{q2}-present": "1", f"v-{q2}-kind": "number", "action": "next"})
    assert response.url == step_url(questionnaire, 5)
    # step 5: layout and the preview of one question, rendered by the engine
    response = web.post(step_url(questionnaire, 5), {"numbering": "1", f"per_row-{q1}": "2", "action": "save"})
    page = web.get(step_url(questionnaire, 5) + f"?preview={q1}").content.decode()
    assert 'data-testid="question-preview"' in page and 'data-css-var="--fd-per-row" data-css-value="2"' in page and "本月是否招工" in page
    # step 6: preview through the engine's preview mode, then enable
    response = web.get(reverse("survey_admin:preview", args=[questionnaire.pk]))
    assert response.url.startswith("/forms/preview/")
    assert "本月是否招工" in web.get(response.url).content.decode()
    assert "企业用工调查" in web.get(step_url(questionnaire, 6)).content.decode()
    response = web.post(step_url(questionnaire, 6), {"action": "enable"})
    assert response.url == reverse("survey_admin:list")
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.ACTIVE
    # an active questionnaire's designer pages send back to the list
    assert web.get(step_url(questionnaire, 2)).url == reverse("survey_admin:list")


def test_list_actions(web, designer, demo_core):
    draft = services.questionnaire_create(actor=designer, theme=theme(title="草稿"))
    active = enabled(designer, types=[QuestionType.SINGLE], title="启用的")
    response = web.post(reverse("survey_admin:copy", args=[active.pk]))
    twin = Questionnaire.objects.exclude(pk__in=[draft.pk, active.pk]).get()
    assert response.url == step_url(twin, 1) and twin.status == QuestionnaireStatus.DRAFT
    web.post(reverse("survey_admin:delete", args=[draft.pk]))
    assert not Questionnaire.objects.filter(pk=draft.pk).exists()
    web.post(reverse("survey_admin:delete", args=[active.pk]))  # refused: not a draft
    assert Questionnaire.objects.filter(pk=active.pk).exists()
    haishu = demo_core["sme_haishu"]
    assert "sme_haishu" in web.get(reverse("survey_admin:distribute", args=[active.pk])).content.decode()
    web.post(reverse("survey_admin:distribute", args=[active.pk]), {"administrators": [haishu.pk]})
    assert active.distributions.filter(administrator=haishu).exists()
    web.post(reverse("survey_admin:stop", args=[active.pk]))
    active.refresh_from_db()
    assert active.status == QuestionnaireStatus.STOPPED


def test_answers_and_statistics_pages(web, designer, enterprises, period):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.MATRIX_SINGLE, QuestionType.ESSAY])
    ids = [q["id"] for q in questionnaire.design["questions"]]
    rows = [r["id"] for r in questionnaire.design["questions"][2]["rows"]]
    for name, choice in (("com_demo01", "o1"), ("com_demo02", "o2")):
        enterprise = enterprises[name]
        services.questionnaire_response_store(
            questionnaire=questionnaire, enterprise=enterprise, period=period, version=questionnaire.definition.versions.get(),
            answers={ids[0]: choice, ids[1]: ["o1", "o2"], ids[2]: {r: "o1" for r in rows}, ids[3]: f"{name}的意见"},
            actor=enterprise.filler)
    page = web.get(reverse("survey_admin:answers", args=[questionnaire.pk]), {"username": "com_demo02"}).content.decode()
    assert "com_demo02" in page and enterprises["com_demo02"].name in page and enterprises["com_demo01"].name not in page
    response = web.get(reverse("survey_admin:answers", args=[questionnaire.pk]), {"export": "1"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    url = reverse("survey_admin:analyse", args=[questionnaire.pk])
    page = web.get(url).content.decode()
    assert 'data-chart="pie"' in page and "echarts.min.js" in page and "com_demo02的意见" in page
    assert re.search(r'data-testid="responses">2<', page)
    page = web.get(url, {"period": f"{period:%Y-%m}", "q": 2}).content.decode()
    assert 'data-chart="bar"' in page and 'data-testid="prev-question"' in page
    page = web.get(url, {"period": f"{period:%Y-%m}", "q": 3}).content.decode()
    assert 'data-chart="matrix"' in page and 'data-testid="next-question"' not in page
    response = web.get(url, {"period": f"{period:%Y-%m}", "export": "1"})
    assert response["Content-Disposition"].endswith(f'-{period:%Y-%m}.xlsx"')


def test_enterprise_questionnaires_page_and_home_block(client, designer, enterprises, period, monthly):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE], title="宁波专项调查")
    client.force_login(enterprises["com_demo01"].filler)
    home = client.get("/").content.decode()
    assert reverse("survey_builder:mine") in home and 'data-testid="home-questionnaires"' in home and "宁波专项调查" in home
    page = client.get(reverse("survey_builder:mine")).content.decode()
    assert "宁波专项调查" in page and monthly[1].title in page
    assert reverse("survey_builder:answer", args=[questionnaire.pk, f"{period:%Y-%m}"]) in page
    client.force_login(enterprises["com_demo03"].filler)  # Hangzhou: outside the Ningbo questionnaire's region
    page = client.get(reverse("survey_builder:mine")).content.decode()
    assert "宁波专项调查" not in page and monthly[1].title in page


# -- closed periods (issue 22 §4) -------------------------------------------------------------------------

def test_an_approved_or_future_months_questionnaire_is_refused_with_a_message(client, enterprises, period, monthly):
    """The answering URL of a month whose report is 审核通过, or of a month not over yet, is a page saying why
    (never the form); posting answers changes nothing; the 调查问卷 page offers no answering for it."""
    from formdefs.models import WizardDraft
    from reporting.periods import month_add
    from survey_builder.models import QuestionnaireResponse
    from tests.reporting.conftest import Builder

    report_type, builtin = monthly
    enterprise = enterprises["com_demo01"]
    Builder(report_type, builtin).approved(enterprise, period)
    stored = QuestionnaireResponse.objects.get(questionnaire=builtin, enterprise=enterprise, period=period)
    client.force_login(enterprise.filler)
    url = reverse("survey_builder:answer", args=[builtin.pk, f"{period:%Y-%m}"])
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 403 and 'data-testid="questionnaire-closed"' in text
    assert "审核通过" in text and "问卷不能再填写或修改" in text and "wizard_action" not in text
    first = builtin.definition.versions.get().document["steps"][0]
    posted = client.post(url, {"wizard_action": "save", "answer_wizard_view-current_step": first["id"]})
    assert posted.status_code == 403 and "审核通过" in posted.content.decode()
    assert QuestionnaireResponse.objects.get(pk=stored.pk).answers == stored.answers
    assert not WizardDraft.objects.exists()
    mine = client.get(reverse("survey_builder:mine")).content.decode()
    assert url not in mine and "问卷不能再填写或修改" in mine

    for future in (month_add(period, 1), month_add(period, 8)):
        page = client.get(reverse("survey_builder:answer", args=[builtin.pk, f"{future:%Y-%m}"]))
        assert page.status_code == 403 and "尚未结束" in page.content.decode() and "wizard_action" not in page.content.decode()


def test_the_report_step_says_when_its_questionnaires_are_closed(client, enterprises, period, monthly):
    from tests.reporting.conftest import Builder

    report_type, builtin = monthly
    enterprise = enterprises["com_demo01"]
    Builder(report_type, builtin).submitted(enterprise, period)
    client.force_login(enterprise.filler)
    page = client.get(reverse("reporting:submit", args=[report_type.key, f"{period:%Y-%m}"])).content.decode()
    assert 'data-testid="questionnaires-closed"' in page and "待审核" in page
    assert reverse("survey_builder:answer", args=[builtin.pk, f"{period:%Y-%m}"]) not in page
