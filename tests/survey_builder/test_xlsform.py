"""XLSForm in and out: a workbook becomes a draft questionnaire (or is refused naming sheet, row and column),
any questionnaire exports as a workbook pyxform converts, and import → export → import keeps the definition."""
import io

import pytest
from django.urls import reverse
from django.utils import translation
from pyxform.xls2xform import convert

from formdefs.engine import RuleContext, compile_document, definition_check
from formdefs.selectors import version_current
from survey_builder import services
from survey_builder.enums import QuestionType
from survey_builder.models import Questionnaire
from survey_builder.services.designer import questionnaire_document
from survey_builder.xlsform import (XLSFormRefused, document_to_xlsform, questionnaire_export_xlsform,
                                    questionnaire_import_xlsform, xlsform_read)

from .builders import EVERY_TYPE, add_questions, option_ids, qid, theme
from .xlsforms import CHOICES, SETTINGS, SURVEY, SURVEY_HEADER, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """Messages as an administrator reads them (zh-hans, the default UI language)."""
    with translation.override("zh-hans"):
        yield


def pyxform_converts(content: bytes) -> str:
    return convert(xlsform=io.BytesIO(content), file_type=".xlsx", warnings=[]).xform


def hidden(document: dict, answers: dict) -> set:
    """The questions (field ids) the engine hides for `answers`, steps resolved onto their fields."""
    compiled = compile_document(document)
    nodes = compiled.hidden_nodes(answers, RuleContext())
    return {f["id"] for f in compiled.index.fields if f["id"] in nodes or compiled.index.step_of[f["id"]] in nodes}


def test_an_xlsform_becomes_a_draft_with_pages_conditions_checks_and_english_labels(designer):
    questionnaire, notices = questionnaire_import_xlsform(actor=designer, content=workbook(), filename="月度调查.xlsx")
    assert questionnaire.is_draft and questionnaire.created_by == designer and notices == []
    assert questionnaire.title == "中小企业月度经营调查"
    design = questionnaire.design
    by_id = {q["id"]: q for q in design["questions"]}
    assert [q["id"] for q in design["questions"]] == ["q1", "q2", "staff", "sales", "advice", "contact", "grid"]
    assert [(p["id"], p["title"], p.get("title_en")) for p in design["pages"]] == [("basic", "基本情况", "Basics"),
                                                                                  ("more", "经营细节", "Details")]
    q1 = by_id["q1"]
    assert (q1["type"], q1["text"], q1["text_en"], q1["hint"], q1["per_row"]) == (
        "single", "本月企业总体生产经营状况", "Overall business this month", "与上月相比", 3)
    assert q1["validation"] == {"required": True, "message": "请选择经营状况"}
    assert [(o["id"], o["label"], o["label_en"]) for o in q1["options"]][0] == ("good", "良好", "Good")
    q2 = by_id["q2"]  # select_multiple … or_other, count-selected, an or of two comparisons
    assert q2["type"] == "multiple_other" and q2["options"][-1]["id"] == "other" and q2["options"][-1]["specify"]
    assert q2["validation"] == {"max_selections": 2, "message": "最多选两项"}
    assert q2["show_if"] == {"join": "any", "rules": [{"q": "q1", "op": "is", "value": "bad"},
                                                      {"q": "q1", "op": "is", "value": "fair"}]}
    assert by_id["staff"]["integer"] and by_id["staff"]["validation"] == {
        "kind": "number", "required": True, "minimum": 0, "maximum": 100000, "message": "请填写从业人数"}
    assert by_id["sales"]["visible_if"] == "((has(cur.q2) && 'cost' in cur.q2) && !((has(cur.q1) && cur.q1 == 'good')))"
    assert (by_id["advice"]["type"], by_id["advice"]["validation"]) == ("essay", {"max_length": 300})
    assert by_id["contact"]["validation"]["pattern"] == "^[0-9-]+$"
    grid = by_id["grid"]
    assert grid["type"] == "matrix_single" and [r["id"] for r in grid["rows"]] == ["orders", "prices"]
    assert grid["validation"] == {"required": True} and [o["id"] for o in grid["options"]] == ["up", "same", "down"]
    # enabled, it runs on the engine: the page 经营细节 shows for more than 10 employees, the conditions as XLSForm says
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    document = version_current(key=questionnaire.definition.key).document
    assert [s["id"] for s in document["steps"]] == ["basic", "more"] and document["steps"][1]["title_en"] == "Details"
    assert hidden(document, {"q1": "good", "staff": 5}) == {"q2", "sales", "advice", "contact", "grid"}
    assert hidden(document, {"q1": "bad", "q2": ["cost"], "staff": 50}) == set()
    assert hidden(document, {"q1": "fair", "q2": ["cash"], "staff": 50}) == {"sales"}


def test_import_export_import_gives_the_same_definition(designer):
    first, _notices = questionnaire_import_xlsform(actor=designer, content=workbook(), filename="a.xlsx")
    exported = questionnaire_export_xlsform(questionnaire=first, actor=designer)
    assert "<h:title>中小企业月度经营调查</h:title>" in pyxform_converts(exported)
    second, _notices = questionnaire_import_xlsform(actor=designer, content=exported, filename="b.xlsx")
    assert second.design == first.design
    one, two = questionnaire_document(first), questionnaire_document(second)
    assert {**one, "id": "", "description": ""} == {**two, "id": "", "description": ""} and definition_check(two) == []


def test_every_designer_question_type_exports_and_branches_become_relevant(designer):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE] + EVERY_TYPE)
    q1, q2, q3 = qid(questionnaire, 1), qid(questionnaire, 2), qid(questionnaire, 3)
    o1, o2 = option_ids(questionnaire, 1)
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: "end"}})
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={
        qid(questionnaire, 4): {"kind": "number", "minimum": "0", "maximum": "99.5", "required": True, "message": "请填数字"},
        qid(questionnaire, 3): {"min_selections": "1", "max_selections": "2"}})
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    content = questionnaire_export_xlsform(questionnaire=questionnaire, actor=designer)
    pyxform_converts(content)
    read = xlsform_read(content)
    original = version_current(key=questionnaire.definition.key).document
    design = read.design
    assert [q["type"] for q in design["questions"]] == [q["type"] for q in questionnaire.design["questions"]]
    assert design["questions"][3]["validation"] == {"kind": "number", "required": True, "minimum": 0, "maximum": 99.5,
                                                    "message": "请填数字"}
    # the jumps (逻辑分支) came back as conditions that hide the same questions
    again = questionnaire_document(services.questionnaire_create(actor=designer, theme=theme())) | {}
    from survey_builder.design import DocumentMeta, document_build

    again = document_build(design, DocumentMeta(key="again", title="t", description=""))
    for answers in ({q1: o1}, {q1: o2}, {}, {q1: o1, q2: ["o1"]}):
        assert hidden(again, answers) == hidden(original, answers), answers


def test_the_shipped_questionnaire_001_exports(designer, monthly):
    builtin = monthly[1]
    content = questionnaire_export_xlsform(questionnaire=builtin, actor=designer)
    pyxform_converts(content)
    fields = [f for s in version_current(key=builtin.definition.key).document["steps"] for c in s["sections"] for f in c["fields"]]
    assert [q["id"] for q in xlsform_read(content).design["questions"]] == [f["id"] for f in fields]


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(XLSFormRefused) as refused:
        xlsform_read(content)
    return refused.value.messages


def test_what_the_platform_cannot_express_is_refused_by_sheet_row_and_column(designer):
    header = SURVEY_HEADER + ["calculation", "label::French (fr)"]
    survey = [row + [None, None] for row in SURVEY[:4]] + [
        ["calculate", "total", None, None, None, None, None, None, None, None, None, "${staff} * 2", None],   # row 6
        ["geopoint", "where", "位置", None, None, None, None, None, None, None, None, None, None],           # row 7
        ["text", "note1", "说明", None, None, None, None, "today() > 5", None, None, None, None, "Remarque"],  # row 8
        ["text", "later", "以后", None, None, None, None, "${nowhere} = 'x'", "string-length(.) > 3", None, None, None, None],
        ["end group", "basic", None, None, None, None, None, None, None, None, None, None, None],
    ]
    before = Questionnaire.objects.count()
    problems = problems_of(workbook(survey, survey_header=header))
    text = "\n".join(problems)
    assert "工作表“survey”，第6行，“calculation”列" in text
    assert "工作表“survey”，第6行，“type”列" in text and "calculate" in text
    assert "工作表“survey”，第7行，“type”列" in text and "geopoint" in text
    assert "工作表“survey”，第8行，“label::French (fr)”列" in text
    assert "工作表“survey”，第8行，“relevant”列" in text
    assert "工作表“survey”，第9行，“relevant”列" in text and "nowhere" in text
    assert "工作表“survey”，第9行，“constraint”列" in text
    with pytest.raises(XLSFormRefused):
        questionnaire_import_xlsform(actor=designer, content=workbook(survey, survey_header=header))
    assert Questionnaire.objects.count() == before  # nothing was created
    # repeats; a choice list that does not exist; what pyxform itself refuses (a choice name twice in a list)
    repeat = [["begin repeat", "people", "人员"] + [None] * 8, ["text", "who", "姓名"] + [None] * 8,
              ["end repeat", "people"] + [None] * 9]
    assert any("第2行，“type”列" in p for p in problems_of(workbook(repeat)))
    assert any("第2行，“type”列" in p and "nolist" in p for p in problems_of(workbook([["select_one nolist", "q1", "问题"] + [None] * 8])))
    twice = problems_of(workbook([["select_one state", "q1", "问题"] + [None] * 8],
                                 choices=[["state", "a", "甲", None], ["state", "a", "乙", None]]))
    assert twice[0].startswith("pyxform 无法转换该 XLSForm")


def test_metadata_rows_are_skipped_with_a_notice_and_a_broken_upload_is_refused(designer):
    survey = [["start", "start"] + [None] * 9, ["text", "name", "企业名称"] + [None] * 8]
    questionnaire, notices = questionnaire_import_xlsform(actor=designer, content=workbook(survey, choices=[]), filename="x.xlsx")
    assert [q["id"] for q in questionnaire.design["questions"]] == ["name"] and "第2行" in notices[0]
    assert problems_of(b"not a workbook at all")  # the upload checks (formdefs.excel.safety) say it is no .xlsx


def test_import_and_export_pages(client, designer, admins):
    client.force_login(designer)
    page = client.get(reverse("survey_admin:list")).content.decode()
    assert reverse("survey_admin:xlsform_import") in page
    upload = io.BytesIO(workbook())
    upload.name = "月度调查.xlsx"
    response = client.post(reverse("survey_admin:xlsform_import"), {"file": upload})
    questionnaire = Questionnaire.objects.get(created_by=designer, title="中小企业月度经营调查")
    assert response.status_code == 302 and response.url == reverse("survey_admin:design", args=[questionnaire.pk, 1])
    assert reverse("survey_admin:xlsform_export", args=[questionnaire.pk]) in client.get(reverse("survey_admin:list")).content.decode()
    response = client.get(reverse("survey_admin:xlsform_export", args=[questionnaire.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats") and pyxform_converts(response.content)
    bad = io.BytesIO(workbook([["geopoint", "where", "位置"] + [None] * 8]))
    bad.name = "bad.xlsx"
    response = client.post(reverse("survey_admin:xlsform_import"), {"file": bad})
    assert response.status_code == 200 and "工作表“survey”，第2行，“type”列" in response.content.decode()
    # another administrator does not export someone else's draft
    client.force_login(admins["sme_zhejiang"])
    response = client.get(reverse("survey_admin:xlsform_export", args=[questionnaire.pk]))
    assert response.status_code in (302, 404)


def test_show_if_conditions_of_the_designer_export_and_come_back_hiding_the_same(designer):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.FILL,
                                                            QuestionType.FILL, QuestionType.ESSAY])
    q1, q2, q3, q4, q5 = (qid(questionnaire, n) for n in range(1, 6))
    o1, o2 = option_ids(questionnaire, 1)
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={q3: {"kind": "number"}})
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={}, conditions={
        q4: {"join": "any", "rules": [{"q": q1, "op": "is_not", "value": o1}, {"q": q2, "op": "excludes", "value": "o2"},
                                      {"q": q3, "op": "gt", "value": "5"}]},
        q5: {"join": "all", "rules": [{"q": q1, "op": "is", "value": o2}, {"q": q2, "op": "includes", "value": "o1"}]}})
    questionnaire.refresh_from_db()
    original = questionnaire_document(questionnaire)
    content = questionnaire_export_xlsform(questionnaire=questionnaire, actor=designer)
    pyxform_converts(content)
    design = xlsform_read(content).design
    assert design["questions"][4]["show_if"] == questionnaire.design["questions"][4]["show_if"]  # editable in step 3 again
    from survey_builder.design import DocumentMeta, document_build

    again = document_build(design, DocumentMeta(key="again", title="t", description=""))
    for answers in ({}, {q1: o1}, {q1: o2}, {q1: o1, q2: ["o2"]}, {q1: o1, q2: ["o1", "o2"], q3: 6},
                    {q1: o2, q2: ["o1"]}, {q1: o1, q2: ["o1", "o2"], q3: 5}):
        assert hidden(again, answers) == hidden(original, answers), answers
