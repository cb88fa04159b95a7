"""The designer's state as plain functions: question operations, branches and their pruning, checks, compiling."""
import pytest

from formdefs.engine import compile_document, definition_check
from survey_builder import design as d
from survey_builder.enums import QuestionType

from .builders import EVERY_TYPE, texts_for


def build(*types) -> dict:
    design = d.design_new()
    for number, qtype in enumerate(types, 1):
        question = d.question_add(design, qtype)
        question["text"] = f"问题{number}"
        for kind, word in (("options", "选项"), ("rows", "行")):  # new options and rows start empty (placeholders)
            for n, item in enumerate(question.get(kind, []), 1):
                item["label"] = item["label"] or f"{word}{n}"
    return design


def ids(design) -> list[str]:
    return [q["id"] for q in design["questions"]]


def meta():
    return d.DocumentMeta(key="questionnaire_900", title="测试问卷", description="说明")


def test_every_type_compiles_to_a_definition_that_passes_the_check():
    design = build(*EVERY_TYPE)
    document = d.document_build(design, meta())
    assert definition_check(document) == []
    types = [f["type"] for f in document["steps"][0]["sections"][0]["fields"]]
    assert types == ["choice", "multichoice", "text", "textarea", "matrix_single", "matrix_multiple", "matrix_fill",
                     "choice", "multichoice"]
    fields = document["steps"][0]["sections"][0]["fields"]
    assert [o.get("specify", False) for o in fields[7]["options"]] == [False, False, True]
    compile_document(document)  # the engine builds its forms


def test_question_operations_keep_ids_stable_and_never_reuse_them():
    design = build(QuestionType.SINGLE, QuestionType.FILL, QuestionType.ESSAY)
    assert ids(design) == ["q1", "q2", "q3"]
    d.question_move(design, "q3", -1)
    assert ids(design) == ["q1", "q3", "q2"]
    twin = d.question_copy(design, "q1")
    assert ids(design) == ["q1", "q4", "q3", "q2"] and twin["text"] == "问题1" and twin["options"] == design["questions"][0]["options"]
    d.question_delete(design, "q4")
    assert d.question_add(design, QuestionType.FILL)["id"] == "q5"  # q4 is not reused
    d.question_move(design, "q1", -1)  # already first: nothing happens
    assert ids(design)[0] == "q1"


def test_options_and_rows_add_copy_delete_move():
    design = build(QuestionType.MATRIX_SINGLE)
    question = design["questions"][0]
    d.item_add(design, "q1", "options")
    d.item_copy(design, "q1", "rows", "r1")
    assert [o["id"] for o in question["options"]] == ["o1", "o2", "o3"]
    assert [r["id"] for r in question["rows"]] == ["r1", "r3", "r2"]
    d.item_move(design, "q1", "options", "o3", -1)
    assert [o["id"] for o in question["options"]] == ["o1", "o3", "o2"]
    d.item_delete(design, "q1", "options", "o3")
    assert d.item_add(design, "q1", "options")["id"] == "o4"
    with pytest.raises(d.DesignError):
        d.item_add(design, "q1", "columns")
    single = build(QuestionType.FILL)
    with pytest.raises(d.DesignError):
        d.item_add(single, "q1", "options")  # a fill-in question has no options


def test_the_last_option_cannot_be_deleted():
    design = build(QuestionType.SINGLE)
    d.item_delete(design, "q1", "options", "o1")
    with pytest.raises(d.DesignError):
        d.item_delete(design, "q1", "options", "o2")


def test_texts_are_applied_only_to_posted_questions():
    design = build(QuestionType.SINGLE_OTHER, QuestionType.FILL)
    data = texts_for(design)
    data["q-q1-text"] = "  本月企业招工情况 "
    data["q-q1-options-o1"] = "招工难"
    data.pop("q-q1-specify-o3")
    data["q-q1-specify-o2"] = "on"
    del data["q-q2-text"]
    d.texts_apply(design, data)
    question = design["questions"][0]
    assert question["text"] == "本月企业招工情况" and question["options"][0]["label"] == "招工难"
    assert [bool(o.get("specify")) for o in question["options"]] == [False, True, False]
    assert design["questions"][1]["text"] == "问题2"


def test_operations_are_parsed_from_the_button_value():
    design = build(QuestionType.SINGLE)
    d.operation_apply(design, "item_add:q1:options")
    d.operation_apply(design, "add:multiple")
    assert len(design["questions"][0]["options"]) == 3 and design["questions"][1]["type"] == "multiple"
    for bad in ("explode:q1", "item_add:q1", "", "add:nope"):
        with pytest.raises(d.DesignError):
            d.operation_apply(design, bad)


# -- branches -----------------------------------------------------------------------------------------

def branched() -> dict:
    design = build(QuestionType.SINGLE, QuestionType.FILL, QuestionType.SINGLE_OTHER, QuestionType.ESSAY)
    return d.branches_set(design, {"q1": {"o1": "q3", "o2": "end"}, "q3": {"o1": "q4", "o2": "q4", "o3": "end"}})


def test_branches_need_every_option_once_one_has_one():
    design = build(QuestionType.SINGLE, QuestionType.FILL)
    with pytest.raises(d.DesignError) as exc:
        d.branches_set(design, {"q1": {"o1": "end", "o2": ""}})
    assert "Q1" in exc.value.messages[0] and design["questions"][0]["options"][1]["label"] in exc.value.messages[0]
    assert "branches" not in design["questions"][0]  # refused: nothing changed
    design = d.branches_set(design, {"q1": {"o1": "end", "o2": "q2"}})
    assert design["questions"][0]["branches"] == {"o1": "end", "o2": "q2"}
    design = d.branches_set(design, {"q1": {"o1": "", "o2": ""}})
    assert "branches" not in design["questions"][0]  # cleared


def test_branches_only_jump_forward():
    design = build(QuestionType.FILL, QuestionType.SINGLE)
    with pytest.raises(d.DesignError):
        d.branches_set(design, {"q2": {"o1": "q1", "o2": "end"}})
    assert [t["value"] for t in d.branch_targets(design, "q2")] == ["end"]
    assert [t["value"] for t in d.branch_targets(design, "q1")] == ["q2", "end"]


def test_editing_keeps_branches_that_still_make_sense():
    design = branched()
    data = texts_for(design)
    data["q-q2-text"] = "改过的问题"
    after, dropped = d.questions_edit(design, data=data, op="copy:q2")
    assert dropped == []
    assert after["questions"][0]["branches"] == {"o1": "q3", "o2": "end"}
    assert after["questions"][3]["branches"] == {"o1": "q4", "o2": "q4", "o3": "end"}


def test_editing_drops_only_the_broken_branches_and_names_them():
    design = branched()
    after, dropped = d.questions_edit(design, data=texts_for(design), op="delete:q3")
    assert after["questions"][0]["branches"] == {"o2": "end"}  # o1 jumped to the deleted Q3
    assert len(dropped) == 1 and "Q1" in dropped[0] and "Q3" in dropped[0]
    # the incomplete question is reported for step 3 and blocks enabling
    assert d.branch_problems(after) and d.design_problems(after)


def test_deleting_an_option_drops_its_branch_and_moving_a_target_behind_drops_jumps_to_it():
    design = branched()
    after, dropped = d.questions_edit(design, data=texts_for(design), op="item_delete:q3:options:o3")
    assert after["questions"][2]["branches"] == {"o1": "q4", "o2": "q4"} and len(dropped) == 1
    assert d.branch_problems(after) == []  # the remaining options all branch
    moved, dropped = d.questions_edit(design, data=texts_for(design), op="up:q3")  # Q3 now before Q2, still after Q1
    assert moved["questions"][0]["branches"] == {"o1": "q3", "o2": "end"} and dropped == []
    moved, dropped = d.questions_edit(moved, data=texts_for(moved), op="up:q3")  # Q3 now first: Q1's jump to it breaks
    assert ids(moved)[0] == "q3"
    assert [q for q in moved["questions"] if q["id"] == "q1"][0]["branches"] == {"o2": "end"}
    assert len(dropped) == 1


def test_a_copied_single_choice_keeps_its_valid_branches():
    design = branched()
    after, dropped = d.questions_edit(design, data=texts_for(design), op="copy:q1")
    assert after["questions"][1]["branches"] == {"o1": "q3", "o2": "end"} and dropped == []


# -- validation and layout ------------------------------------------------------------------------------

def test_validation_checks_each_value():
    design = build(QuestionType.MULTIPLE, QuestionType.FILL, QuestionType.ESSAY)
    with pytest.raises(d.DesignError) as exc:
        d.validation_set(design, {"q1": {"min_selections": "3", "max_selections": "1"},
                                  "q2": {"kind": "text", "pattern": "([a-z"},
                                  "q3": {"min_length": "x"}})
    text = " ".join(exc.value.messages)
    assert "Q1" in text and "Q2" in text and "Q3" in text
    design = d.validation_set(design, {"q1": {"required": True, "min_selections": "1", "max_selections": "2", "message": "请选择1到2项"},
                                       "q2": {"kind": "number", "minimum": "0", "maximum": "100.5", "min_length": "4"},
                                       "q3": {"min_length": "5", "max_length": "300"}})
    assert design["questions"][0]["validation"] == {"required": True, "min_selections": 1, "max_selections": 2, "message": "请选择1到2项"}
    assert design["questions"][1]["validation"] == {"kind": "number", "minimum": 0, "maximum": 100.5}
    fields = d.document_build(design, meta())["steps"][0]["sections"][0]["fields"]
    assert fields[0]["required"] and fields[0]["min_selections"] == 1 and fields[0]["error_message"] == "请选择1到2项"
    assert fields[1]["type"] == "decimal" and fields[1]["maximum"] == 100.5
    assert fields[2]["type"] == "textarea" and fields[2]["min_length"] == 5 and fields[2]["max_length"] == 300
    assert definition_check(d.document_build(design, meta())) == []


def test_more_selections_than_options_is_refused():
    design = build(QuestionType.MULTIPLE)
    with pytest.raises(d.DesignError):
        d.validation_set(design, {"q1": {"min_selections": "3"}})


def test_layout_sets_numbering_and_options_per_row():
    design = build(QuestionType.SINGLE, QuestionType.FILL)
    design = d.layout_set(design, numbering=False, per_row={"q1": 2, "q2": 3})
    document = d.document_build(design, meta())
    fields = document["steps"][0]["sections"][0]["fields"]
    assert document["numbering"] is False and fields[0]["options_per_row"] == 2 and "options_per_row" not in fields[1]
    with pytest.raises(d.DesignError):
        d.layout_set(design, numbering=True, per_row={"q1": 9})


def test_problems_before_enabling():
    assert d.design_problems(d.design_new())  # no question
    design = build(QuestionType.SINGLE_OTHER, QuestionType.MATRIX_SINGLE)
    assert d.design_problems(design) == []
    design["questions"][0]["options"][2]["specify"] = False
    design["questions"][1]["rows"][0]["label"] = ""
    design["questions"][0]["text"] = ""
    messages = [m for _q, m in d.design_problems(design)]
    assert len(messages) == 3


def test_design_from_the_shipped_questionnaire_round_trips():
    import json
    from pathlib import Path

    document = json.loads((Path(__file__).resolve().parents[2] / "formdefs/definitions/sme_business_climate.json").read_text())
    design = d.design_from_document(document)
    assert len(design["questions"]) == 11 and design["questions"][0]["validation"] == {"required": True}
    rebuilt = d.document_build(design, d.DocumentMeta(key="questionnaire_901", title="复制", description=""))
    assert definition_check(rebuilt) == []
    original = document["steps"][0]["sections"][0]["fields"]
    copied = rebuilt["steps"][0]["sections"][0]["fields"]
    assert [(f["id"], f["label"], [o["value"] for o in f["options"]]) for f in original] == \
           [(f["id"], f["label"], [o["value"] for o in f["options"]]) for f in copied]
