"""The designer's editing at SurveyJS / Kobo level (issue 20 §1): a pasted list becomes one option per line,
Enter adds the next option, drag-and-drop order, 按文本编辑, placeholders, duplicates refused, undo, stale pages
refused with the typed input kept, htmx partials with the live preview, step tabs that save, show-if conditions
compiled to the engine's visibility, 全部必填, the question bank, step 1's region tree."""
import pytest
from django.urls import reverse

from formdefs.engine import compile_document, definition_check
from survey_builder import design as d
from survey_builder import services
from survey_builder.enums import QuestionType
from survey_builder.models import BankQuestion

from .builders import add_questions, texts_for, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(designer):
    return services.questionnaire_create(actor=designer, theme=theme(title="上海企业经济月度调查问卷"))


@pytest.fixture
def web(client, designer):
    client.force_login(designer)
    return client


def step_url(questionnaire, step):
    return reverse("survey_admin:design", args=[questionnaire.pk, step])


def edit(questionnaire, designer, op="", text="", **typed):
    data = texts_for(questionnaire.design)
    data.update(typed)
    return services.questionnaire_questions_edit(questionnaire=questionnaire, actor=designer, data=data, op=op, text=text)[0]


def labels(questionnaire, number=1):
    return [o["label"] for o in questionnaire.design["questions"][number - 1]["options"]]


# -- design functions --------------------------------------------------------------------------------

def test_new_questions_have_empty_texts_shown_as_placeholders():
    design = d.design_new()
    question = d.question_add(design, QuestionType.MATRIX_SINGLE)
    assert question["text"] == "" and [o["label"] for o in question["options"]] == ["", ""]
    assert [r["label"] for r in question["rows"]] == ["", ""]
    assert any("每个选项都需要填写内容" in m or "every option" in m for _q, m in d.question_problems(design))


def test_a_pasted_list_becomes_one_option_per_line_after_the_pasted_one():
    design = d.design_new()
    d.question_add(design, QuestionType.SINGLE)
    d.item_add(design, "q1", "options")
    design["questions"][0]["options"][2]["label"] = "其他"
    created = d.item_paste(design, "q1", "options", "o1", "良好\r\n一般\n\n  不良  \n")
    options = design["questions"][0]["options"]
    assert [o["label"] for o in options] == ["良好", "一般", "不良", "其他"]  # the empty o2 took the second line
    assert [o["id"] for o in options] == ["o1", "o2", "o4", "o3"] and len(created) == 1
    assert d.text_lines("1. 增加\n2、基本持平\n- 减少") == ["增加", "基本持平", "减少"]


def test_a_whole_question_pasted_into_its_text_box_fills_its_options():
    design = d.design_new()
    d.question_add(design, QuestionType.SINGLE)
    d.operation_apply(design, "question_paste:q1", "企业本月用电量比上月变化情况\n增加\n基本持平\n减少\n")
    question = design["questions"][0]
    assert question["text"] == "企业本月用电量比上月变化情况" and [o["label"] for o in question["options"]] == ["增加", "基本持平", "减少"]
    d.question_add(design, QuestionType.ESSAY)
    d.operation_apply(design, "question_paste:q2", "您的建议\n（可多写几行）")
    assert design["questions"][1]["text"] == "您的建议\n（可多写几行）"  # no options: the text stays whole


def test_options_as_text_keep_the_ids_of_unchanged_lines():
    design = d.design_new()
    d.question_add(design, QuestionType.SINGLE)
    d.items_from_text(design, "q1", "options", "良好\n一般")
    d.items_from_text(design, "q1", "options", "一般\n良好\n不良")
    options = design["questions"][0]["options"]
    assert [(o["id"], o["label"]) for o in options] == [("o4", "一般"), ("o3", "良好"), ("o5", "不良")]
    assert set(design["questions"][0]["retired_options"]) >= {"o1", "o2"}
    with pytest.raises(d.DesignError):
        d.items_from_text(design, "q1", "options", "  \n ")


def test_drag_and_drop_orders_must_name_the_same_ids():
    design = d.design_new()
    for _n in range(3):
        d.question_add(design, QuestionType.SINGLE)
    d.questions_order(design, "q3,q1,q2")
    assert [q["id"] for q in design["questions"]] == ["q3", "q1", "q2"]
    d.operation_apply(design, "item_order:q1:options:o2,o1")
    assert [o["id"] for o in design["questions"][1]["options"]] == ["o2", "o1"]
    for bad in ("order:q1,q2", "order:q1,q2,q3,q9", "item_order:q1:options:o1"):
        with pytest.raises(d.DesignError):
            d.operation_apply(design, bad)


def test_show_if_compiles_to_the_engines_visibility_and_hides_the_question():
    design = d.design_new()
    for qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.FILL, QuestionType.ESSAY):
        question = d.question_add(design, qtype)
        question["text"] = "问题"
        for n, option in enumerate(question.get("options", []), 1):
            option["label"] = f"选项{n}"
    design = d.validation_set(design, {"q3": {"kind": "number"}})
    design = d.show_if_set(design, {"q4": {"join": "any", "rules": [
        {"q": "q1", "op": "is", "value": "o2"}, {"q": "q2", "op": "includes", "value": "o1"}, {"q": "q3", "op": "gt", "value": "5"}]}})
    assert design["questions"][3]["show_if"]["rules"][2]["value"] == 5
    document = d.document_build(design, d.DocumentMeta(key="questionnaire_901", title="测试", description=""))
    assert definition_check(document) == []
    field = document["steps"][0]["sections"][0]["fields"][3]
    assert field["visible_if"] == '(has(cur.q1) && cur.q1 == "o2") || (has(cur.q2) && "o1" in cur.q2) || (has(cur.q3) && cur.q3 > 5.0)'
    compiled = compile_document(document)
    from formdefs.engine.compiler import RuleContext

    hidden = lambda answers: "q4" in compiled.hidden_nodes(answers, RuleContext())  # noqa: E731
    assert hidden({"q1": "o1"}) and not hidden({"q1": "o2"}) and not hidden({"q2": ["o1"]}) and not hidden({"q3": 6})
    assert hidden({"q3": 5})
    # AND over the same rules; a rule over a later question or a wrong number is refused, nothing changes
    design = d.show_if_set(design, {"q4": {"join": "all", "rules": [{"q": "q1", "op": "is", "value": "o2"},
                                                                     {"q": "q3", "op": "le", "value": "5"}]}})
    compiled = compile_document(d.document_build(design, d.DocumentMeta(key="questionnaire_901", title="测试", description="")))
    assert not hidden({"q1": "o2", "q3": 5}) and hidden({"q1": "o2", "q3": 6})
    with pytest.raises(d.DesignError):
        d.show_if_set(design, {"q1": {"rules": [{"q": "q4", "op": "is", "value": "o1"}]}})
    with pytest.raises(d.DesignError):
        d.show_if_set(design, {"q4": {"rules": [{"q": "q3", "op": "gt", "value": "很多"}]}})


def test_deleting_the_question_a_condition_reads_drops_the_condition_and_says_so():
    design = d.design_new()
    for _n in range(2):
        question = d.question_add(design, QuestionType.SINGLE)
        question["text"] = "问题"
    design = d.show_if_set(design, {"q2": {"rules": [{"q": "q1", "op": "is", "value": "o1"}]}})
    after, messages = d.questions_edit(design, data={}, op="delete:q1")
    assert "show_if" not in after["questions"][0] and len(messages) == 1


# -- services ----------------------------------------------------------------------------------------

def test_duplicate_option_texts_are_refused_and_nothing_changes(designer, draft):
    draft = edit(draft, designer, op="add:single")
    with pytest.raises(d.DesignError) as refused:
        edit(draft, designer, **{"q-q1-options-o1": "良好", "q-q1-options-o2": "良好"})
    assert "良好" in str(refused.value)
    draft.refresh_from_db()
    assert labels(draft) == ["", ""]
    with pytest.raises(d.DesignError):
        edit(draft, designer, op="item_paste:q1:options:o1", text="一般\n一般")


def test_undo_goes_one_edit_back_even_after_a_delete(designer, draft):
    draft = edit(draft, designer, op="add:single")
    draft = edit(draft, designer, op="item_paste:q1:options:o1", text="良好\n一般\n不良")
    draft = edit(draft, designer, op="delete:q1")
    assert draft.design["questions"] == []
    draft = edit(draft, designer, op="undo")
    assert labels(draft) == ["良好", "一般", "不良"]
    assert not draft.design.get("undo")  # one step back
    with pytest.raises(d.DesignError):
        edit(draft, designer, op="undo")
    draft = edit(draft, designer, op="add:single")
    assert draft.design["questions"][1]["id"] == "q2"  # ids stay unique after an undo


def test_a_stale_page_is_refused(designer, draft):
    revision = services.design_revision(draft)
    draft = services.questionnaire_questions_edit(questionnaire=draft, actor=designer, data={}, op="add:single",
                                                  expected_revision=revision)[0]
    assert services.design_revision(draft) == revision + 1
    with pytest.raises(services.DesignStale):
        services.questionnaire_questions_edit(questionnaire=draft, actor=designer, data={}, op="add:fill", expected_revision=revision)
    with pytest.raises(services.DesignStale):
        services.questionnaire_validation_set(questionnaire=draft, actor=designer, raw={}, expected_revision=revision)
    draft.refresh_from_db()
    assert len(draft.design["questions"]) == 1


def test_the_bank_offers_the_national_survey_and_saved_questions(designer, draft, admins):
    other_designer = admins["sme_haishu"]
    from survey_builder.services.designer_bank import bank_question_get, bank_question_save, bank_questions

    national = [b for b in bank_questions(actor=designer) if b["built_in"]]
    assert [b["text"] for b in national][:2] == ["企业总体生产经营状况(本月实际)", "企业总体生产经营状况(下月预期)"]
    draft = services.questionnaire_question_insert(questionnaire=draft, actor=designer, question=bank_question_get(
        actor=designer, key=national[0]["key"]))
    assert draft.design["questions"][0]["id"] == "q1" and labels(draft) == ["良好", "一般", "不良"]
    draft = edit(draft, designer, **{"q-q1-text": "本月企业用电情况"})
    bank_question_save(questionnaire=draft, actor=designer, qid="q1")
    saved = BankQuestion.objects.get()
    assert saved.text == "本月企业用电情况" and saved.created_by == designer
    assert bank_questions(actor=other_designer)[0]["text"] == "本月企业用电情况"  # shared by the back office
    with pytest.raises(Exception):
        bank_question_save(questionnaire=draft, actor=other_designer, qid="q1")  # only the maker's draft


# -- over HTTP (htmx partials) -----------------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_step_2_edits_through_htmx_partials_with_the_live_preview(web, designer, draft):
    url = step_url(draft, 2)
    page = web.get(url).content.decode()
    assert 'hx-post="%s"' % url in page and "designer.js" in page and 'data-testid="live-preview"' in page
    response = web.post(url, {"op": "add:single", "revision": "0"}, **HTMX)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="sb-editor"' in page and 'placeholder="题目"' in page and 'placeholder="选项1"' in page
    assert 'data-focus="q-q1-text"' in page
    # a paste sent by the page's script: one option per line, focus on the last new one
    response = web.post(url, {"op": "item_paste:q1:options:o1", "op_text": "良好\n一般\n不良", "revision": "1",
                              "q-q1-text": "企业总体生产经营状况(本月实际)", "q-q1-options-o1": "", "q-q1-options-o2": ""}, **HTMX)
    draft.refresh_from_db()
    assert labels(draft) == ["良好", "一般", "不良"]
    assert 'data-focus="q-q1-options-o3"' in response.content.decode()
    preview = response.content.decode().split('data-testid="live-preview"')[1]
    assert "企业总体生产经营状况(本月实际)" in preview and "不良" in preview
    # a field saved on leaving it: the new revision and preview come back out of band
    data = {**texts_for(draft.design), "autosave": "1", "revision": "2", "q-q1-options-o2": "较好"}
    response = web.post(url, data, **HTMX)
    page = response.content.decode()
    assert 'id="sb-revision" hx-swap-oob="true"' in page and 'value="3"' in page and "较好" in page
    # Enter in an option: the next option, right after it
    web.post(url, {**texts_for(draft.design), "op": "item_after:q1:options:o1", "revision": "3"}, **HTMX)
    draft.refresh_from_db()
    assert [o["id"] for o in draft.design["questions"][0]["options"]][:2] == ["o1", "o4"]


def test_a_refused_htmx_edit_keeps_what_was_typed(web, designer, draft):
    draft = edit(draft, designer, op="add:single")
    url = step_url(draft, 2)
    typed = {"q-q1-text": "国内市场订单情况", "q-q1-options-o1": "增加", "q-q1-options-o2": "增加", "revision": "1"}
    page = web.post(url, {**typed, "op": "item_add:q1:options"}, **HTMX).content.decode()
    assert "国内市场订单情况" in page and "出现了两次" in page or "appears twice" in page
    draft.refresh_from_db()
    assert draft.design["questions"][0]["text"] == ""
    # the same typing from a page older than the draft: refused, kept, not saved
    page = web.post(url, {**typed, "q-q1-options-o2": "减少", "revision": "0", "op": "item_add:q1:options"}, **HTMX).content.decode()
    assert "国内市场订单情况" in page and "其他窗口" in page
    draft.refresh_from_db()
    assert services.design_revision(draft) == 1
    autosave = web.post(url, {**typed, "q-q1-options-o2": "减少", "revision": "0", "autosave": "1"}, **HTMX)
    assert autosave["HX-Reswap"] == "none" and "sb-refused" in autosave.content.decode()
    assert 'id="sb-revision"' not in autosave.content.decode()  # the stale page keeps its token


def test_step_tabs_save_before_moving_and_htmx_navigation_redirects(web, designer, draft):
    draft = edit(draft, designer, op="add:single")
    response = web.post(step_url(draft, 2), {"q-q1-text": "企业融资需求能否满足", "q-q1-options-o1": "有", "q-q1-options-o2": "无",
                                             "action": "goto:4", "revision": "1"}, **HTMX)
    assert response.status_code == 204 and response["HX-Redirect"] == step_url(draft, 4)
    draft.refresh_from_db()
    assert draft.design["questions"][0]["text"] == "企业融资需求能否满足"
    page = web.get(step_url(draft, 4)).content.decode()
    assert 'value="goto:2"' in page and 'form="sb-design"' in page and "data-all-required" in page
    response = web.post(step_url(draft, 4), {"v-q1-present": "1", "v-q1-required": "on", "action": "goto:1", "revision": "2"})
    assert response.url == step_url(draft, 1)
    draft.refresh_from_db()
    assert draft.design["questions"][0]["validation"]["required"] is True


def test_step_3_sets_show_if_conditions(web, designer, draft):
    draft = add_questions(draft, designer, [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ESSAY])
    page = web.get(step_url(draft, 3)).content.decode()
    assert 'name="c-q3-1-q"' in page and 'name="c-q1-1-q"' not in page  # Q1 has no earlier question
    response = web.post(step_url(draft, 3), {"c-q3-present": "1", "c-q3-join": "any", "c-q3-1-q": "q1", "c-q3-1-op": "is",
                                             "c-q3-1-value": "o2", "c-q3-2-q": "q2", "c-q3-2-op": "includes", "c-q3-2-value": "o1",
                                             "action": "save"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.design["questions"][2]["show_if"] == {"join": "any", "rules": [
        {"q": "q1", "op": "is", "value": "o2"}, {"q": "q2", "op": "includes", "value": "o1"}]}
    assert "选项2" in web.get(step_url(draft, 2)).content.decode().split('id="q-q3"')[1].split("</legend>")[0]


def test_step_2_inserts_from_the_bank_and_saves_to_it(web, designer, draft):
    url = step_url(draft, 2)
    assert "企业总体生产经营状况(本月实际)" in web.get(url).content.decode()
    web.post(url, {"op": "bank_insert:national:hiring", "revision": "0"}, **HTMX)
    draft.refresh_from_db()
    assert draft.design["questions"][0]["text"] == "本月企业招工情况" and len(labels(draft)) == 6
    web.post(url, {**texts_for(draft.design), "op": "bank_save:q1", "revision": "2"}, **HTMX)
    assert BankQuestion.objects.filter(text="本月企业招工情况", created_by=designer).exists()


def test_step_1_offers_a_region_tree(web, designer, draft):
    page = web.get(step_url(draft, 1)).content.decode()
    assert 'data-testid="region-tree"' in page and 'class="sb-tree' in page and "data-region-search" in page
    assert "<select" not in page.split('data-testid="region-tree"')[1].split("</div>")[0]
