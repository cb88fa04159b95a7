"""Every field type renders, validates and rejects bad input with a message naming the field; branches."""
import copy

import pytest
from django.http import QueryDict

from formdefs.engine import RuleContext, compile_document, definition_check
from formdefs.forms.step_form import StepForm

OPTS = [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}, {"value": "x", "label": "其他", "specify": True}]
ALL_TYPES = {
    "id": "all_types", "version": 1, "title": "全部题型", "numbering": True,
    "steps": [{"id": "s1", "title": "第一步", "sections": [{"id": "sec", "columns": 2, "fields": [
        {"id": "t_text", "type": "text", "label": "短文本", "required": True, "pattern": "^[0-9]{6}$", "max_length": 6},
        {"id": "t_area", "type": "textarea", "label": "长文本", "max_length": 10},
        {"id": "t_int", "type": "integer", "label": "整数", "nonnegative": True},
        {"id": "t_dec", "type": "decimal", "label": "小数", "decimals": 2, "maximum": 100, "unit": "%"},
        {"id": "t_date", "type": "date", "label": "日期"},
        {"id": "t_dt", "type": "datetime", "label": "日期时间"},
        {"id": "t_yes", "type": "yesno", "label": "是否"},
        {"id": "t_choice", "type": "choice", "label": "单选", "options": OPTS},
        {"id": "t_multi", "type": "multichoice", "label": "多选", "options": OPTS, "min_selections": 1, "max_selections": 2},
        {"id": "t_region", "type": "cascade", "label": "地区", "source": "region"},
        {"id": "t_ms", "type": "matrix_single", "label": "矩阵单选", "rows": [{"id": "r1", "label": "行一"}], "options": OPTS[:2]},
        {"id": "t_mm", "type": "matrix_multiple", "label": "矩阵多选", "rows": [{"id": "r1", "label": "行一"}], "options": OPTS[:2]},
        {"id": "t_mf", "type": "matrix_fill", "label": "矩阵填空", "rows": [{"id": "r1", "label": "行一"}], "max_length": 3},
        {"id": "t_grid", "type": "indicator_grid", "label": "指标", "rows": [{"id": "sales", "label": "销售", "unit": "千元", "nonnegative": True}],
         "columns": [{"id": "month", "label": "本月"}, {"id": "ly", "label": "上年"},
                     {"id": "growth", "label": "增长", "expr": "row.ly != 0.0 ? (row.month - row.ly) / row.ly * 100.0 : null"}]},
        {"id": "t_table", "type": "table", "label": "产品", "columns": [{"id": "name", "label": "名称", "required": True},
                                                                     {"id": "qty", "label": "数量", "type": "decimal", "nonnegative": True}]},
        {"id": "t_calc", "type": "computed", "label": "计算", "expr": "cur.t_int * 2.0"},
        {"id": "t_static", "type": "static", "label": "说明", "text": "静态文本"},
    ]}]}],
}
VALID = {
    "t_text": "315000", "t_area": "短", "t_int": "3", "t_dec": "12.5", "t_date": "2025-05-01", "t_dt": "2025-05-01T08:30",
    "t_yes": "true", "t_choice": "x", "t_choice_other": "丙", "t_multi": ["a", "b"], "t_region": "330203",
    "t_ms__r1": "a", "t_mm__r1": ["a", "b"], "t_mf__r1": "abc", "t_grid__sales__month": "120", "t_grid__sales__ly": "100",
    "t_table__0__name": "螺丝", "t_table__0__qty": "5",
}
BAD = [  # (field name, bad value, label that must appear in the message)
    ("t_text", "abc", "短文本"), ("t_area", "x" * 11, "长文本"), ("t_int", "-1", "整数"), ("t_int", "1.5", "整数"),
    ("t_dec", "101", "小数"), ("t_date", "2025-13-01", "日期"), ("t_dt", "yesterday", "日期时间"), ("t_yes", "maybe", "是否"),
    ("t_choice", "zzz", "单选"), ("t_choice_other", "", "单选"), ("t_multi", ["a", "b", "x"], "多选"), ("t_region", "330200", "地区"),
    ("t_ms__r1", "q", "矩阵单选"), ("t_mm__r1", ["q"], "矩阵多选"), ("t_mf__r1", "abcd", "矩阵填空"),
    ("t_grid__sales__month", "-5", "销售"), ("t_table__0__name", "", "产品"), ("t_table__0__qty", "-1", "产品"),
]


@pytest.fixture(scope="module")
def all_types():
    assert definition_check(ALL_TYPES) == []
    return compile_document(ALL_TYPES)


def form_for(compiled, data, step="s1", context=None):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return StepForm(data=query, compiled=compiled, step_id=step, context=context or RuleContext())


def test_every_type_renders(all_types, refdata):
    form = StepForm(compiled=all_types, step_id="s1", initial={"__answers__": {}})
    html = "".join(_render(item) for section in form.layout() for item in section["items"])
    for name in ("t_text", "t_area", "t_int", "t_dec", "t_date", "t_dt", "t_yes", "t_choice", "t_multi", "t_region",
                 "t_ms__r1", "t_mm__r1", "t_mf__r1", "t_grid__sales__month", "t_calc", "静态文本"):
        assert name in html, name


def _render(item):
    from django.template.loader import render_to_string

    return render_to_string(item["template"], {"item": item})


def test_valid_answers(all_types, refdata):
    form = form_for(all_types, VALID)
    assert form.is_valid(), form.errors
    answers = form.answers
    assert answers["t_int"] == 3 and answers["t_dec"] == 12.5 and answers["t_yes"] is True
    assert answers["t_choice_other"] == "丙" and answers["t_multi"] == ["a", "b"]
    assert answers["t_ms"] == {"r1": "a"} and answers["t_mm"] == {"r1": ["a", "b"]} and answers["t_mf"] == {"r1": "abc"}
    assert answers["t_grid"]["sales"] == {"month": 120.0, "ly": 100.0, "growth": 20.0}
    assert answers["t_table"] == [{"name": "螺丝", "qty": 5.0}]
    assert answers["t_calc"] == 6.0 and answers["t_date"] == "2025-05-01"
    # the engine accepts what the form produced (answer schema round trip)
    assert all_types.validate(answers).issues == []


@pytest.mark.parametrize("name,value,label", BAD)
def test_bad_input_is_rejected_naming_the_field(all_types, refdata, name, value, label):
    data = copy.deepcopy(VALID)
    data[name] = value
    form = form_for(all_types, data)
    assert not form.is_valid()
    messages = [m for errors in form.errors.values() for m in errors]
    assert any(label in m for m in messages), messages


def test_required_message_names_field(all_types, refdata):
    data = dict(VALID, t_text="")
    form = form_for(all_types, data)
    assert not form.is_valid()
    assert "短文本" in form.errors["t_text"][0]


def test_engine_rejects_bad_json_answers(all_types):
    result = all_types.validate({"t_text": "315000", "t_int": -2, "t_choice": "nope", "t_grid": {"sales": {"month": "x"}}, "zzz": 1})
    messages = " ".join(i.message for i in result.errors)
    assert "整数" in messages and "单选" in messages and "销售" in messages
    assert "zzz" not in result.answers  # answers that are not part of the form are not kept


BRANCHING = {
    "id": "branching", "version": 1, "title": "分支", "kind": "questionnaire",
    "steps": [{"id": "s", "title": "问卷", "sections": [{"id": "q", "fields": [
        {"id": "q1", "type": "choice", "label": "是否出口", "required": True, "options": [{"value": "yes", "label": "是"}, {"value": "no", "label": "否"}],
         "branches": {"yes": "q2", "no": "q4"}},
        {"id": "q2", "type": "text", "label": "出口国家", "required": True},
        {"id": "q3", "type": "text", "label": "出口金额", "required": True},
        {"id": "q4", "type": "choice", "label": "结束吗", "required": True, "options": [{"value": "end", "label": "结束"}, {"value": "go", "label": "继续"}],
         "branches": {"end": "end", "go": "q5"}},
        {"id": "q5", "type": "text", "label": "其他意见", "required": True},
        {"id": "q6", "type": "text", "label": "联系人", "visible_if": "has(cur.q5) && cur.q5 == 'call'"},
    ]}]}],
}


@pytest.fixture(scope="module")
def branching():
    assert definition_check(BRANCHING) == []
    return compile_document(BRANCHING)


def test_branch_skips_and_drops_answers(branching):
    result = branching.validate({"q1": "no", "q2": "德国", "q3": "100", "q4": "go", "q5": "ok"})
    assert {"q2", "q3"} <= result.hidden
    assert "q2" not in result.answers and "q3" not in result.answers
    assert result.ok


def test_branch_keeps_answers_on_path(branching):
    result = branching.validate({"q1": "yes", "q2": "德国", "q3": "100", "q4": "go", "q5": "call", "q6": "王"})
    assert result.answers == {"q1": "yes", "q2": "德国", "q3": "100", "q4": "go", "q5": "call", "q6": "王"}


def test_branch_to_end_drops_the_rest(branching):
    result = branching.validate({"q1": "yes", "q2": "德国", "q3": "1", "q4": "end", "q5": "x", "q6": "y"})
    assert {"q5", "q6"} <= result.hidden and "q5" not in result.answers
    assert result.ok  # q5 is required but skipped


def test_skipped_required_questions_do_not_block_the_step_form(branching):
    form = form_for(branching, {"q1": "no", "q4": "end"}, step="s")
    assert form.is_valid(), form.errors
    assert form.answers == {"q1": "no", "q4": "end"}


def test_visible_if_on_answers(branching):
    assert "q6" in branching.validate({"q1": "no", "q4": "go", "q5": "no", "q6": "王"}).hidden
    form = form_for(branching, {"q1": "no", "q4": "go", "q5": "no", "q6": "王"}, step="s")
    assert form.is_valid() and "q6" not in form.answers


def test_climate_questionnaire_has_eleven_questions(climate):
    questions = [f for f in climate.index.fields if f["type"] == "choice"]
    assert len(questions) == 11
    assert [o["label"] for o in questions[0]["options"]] == ["良好", "一般", "不良"]
    assert climate.validate({}).errors and len(climate.validate({}).errors) == 11


def test_registration_rules(registration):
    result = registration.validate({"is_listed": True, "website": "www.example.com"})
    codes = {i.code for i in result.errors}
    assert "phone_or_mobile" in codes
    assert any("股票代码" in i.message for i in result.errors)  # required once listed
    assert any("企业网址" in i.message for i in result.errors)
    assert "stock_code" in registration.validate({"is_listed": False}).hidden
