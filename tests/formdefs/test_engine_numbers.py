"""One definition of what a number answer accepts (`formdefs.engine.numbers`): the wizard's Django fields and
the answer schema (hence 上报导入, 企业上报导入 and the API) refuse the same values in the same words."""
import pytest
from django.http import QueryDict

from formdefs.engine import RuleContext, compile_document, definition_check
from formdefs.engine.numbers import MAX_WHOLE_DIGITS, NumberRule
from formdefs.forms.step_form import StepForm

NUMBERS = {
    "id": "numbers", "version": 1, "title": "数值", "steps": [{"id": "s1", "title": "第一步", "sections": [{"id": "sec", "fields": [
        {"id": "q_dec", "type": "decimal", "label": "金额", "nonnegative": True},
        {"id": "q_dec3", "type": "decimal", "label": "比率", "decimals": 3, "exclusive_minimum": 0},
        {"id": "q_int", "type": "integer", "label": "人数", "minimum": 1, "maximum": 100},
        {"id": "q_min", "type": "decimal", "label": "面积", "nonnegative": True, "minimum": 5},
        {"id": "q_own", "type": "decimal", "label": "自定义", "error_message": "请按千元填写，最多两位小数"},
        {"id": "grid", "type": "indicator_grid", "label": "指标", "rows": [
            {"id": "sales", "label": "销售额", "nonnegative": True},
            {"id": "staff", "label": "人员", "integer": True},
        ], "columns": [{"id": "month", "label": "本月"}]},
        {"id": "items", "type": "table", "label": "明细", "columns": [
            {"id": "name", "label": "名称"}, {"id": "qty", "label": "数量", "type": "decimal", "nonnegative": True}]},
    ]}]}],
}
VALID = {"q_dec": "1", "q_dec3": "1", "q_int": "5", "q_min": "6", "q_own": "1", "grid__sales__month": "10",
         "grid__staff__month": "3", "items__0__name": "螺丝", "items__0__qty": "2"}
VALID_ANSWERS = {"q_dec": 1.0, "q_dec3": 1.0, "q_int": 5, "q_min": 6.0, "q_own": 1.0,
                 "grid": {"sales": {"month": 10.0}, "staff": {"month": 3}}, "items": [{"name": "螺丝", "qty": 2.0}]}

#: (wizard input name, answer path, what is typed in the wizard, the same value as a JSON / Excel number, words)
REFUSED = [
    ("grid__sales__month", "grid.sales.month", "1e20", 1e20, "销售额 · 本月：整数部分最多15位。"),
    ("grid__sales__month", "grid.sales.month", "1234.567", 1234.567, "销售额 · 本月：最多2位小数。"),
    ("grid__sales__month", "grid.sales.month", "-5", -5.0, "销售额 · 本月不能为负数。"),
    ("grid__sales__month", "grid.sales.month", "12a", "12a", "销售额 · 本月：请输入有效的值。"),
    ("grid__staff__month", "grid.staff.month", "1.5", 1.5, "人员 · 本月：请输入有效的值。"),
    ("q_dec", "q_dec", "1000000000000000", 1e15, "金额：整数部分最多15位。"),
    ("q_dec3", "q_dec3", "1.2345", 1.2345, "比率：最多3位小数。"),
    ("q_dec3", "q_dec3", "0", 0.0, "比率必须大于0。"),
    ("q_int", "q_int", "100000000000000000000", 10**20, "人数：整数部分最多15位。"),
    ("q_int", "q_int", "0", 0, "人数不能小于1。"),
    ("q_int", "q_int", "101", 101, "人数不能大于100。"),
    ("q_min", "q_min", "3", 3.0, "面积不能小于5。"),
    ("q_own", "q_own", "1234.567", 1234.567, "请按千元填写，最多两位小数"),
    ("items__0__qty", "items.0.qty", "1234.567", 1234.567, "明细 · 第1行 · 数量：最多2位小数。"),
]


@pytest.fixture(scope="module")
def numbers():
    assert definition_check(NUMBERS) == []
    return compile_document(NUMBERS)


def wizard_form(compiled, data: dict) -> StepForm:
    query = QueryDict(mutable=True)
    query.update(data)
    return StepForm(data=query, compiled=compiled, step_id="s1", context=RuleContext())


def answers_with(path: str, value) -> dict:
    answers = {**VALID_ANSWERS, "grid": {k: dict(v) for k, v in VALID_ANSWERS["grid"].items()},
               "items": [dict(VALID_ANSWERS["items"][0])]}
    *parents, last = path.split(".")
    target = answers
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value
    return answers


def test_the_valid_values_pass_both(numbers):
    form = wizard_form(numbers, VALID)
    assert form.is_valid(), form.errors
    assert numbers.validate(form.answers).issues == []
    assert numbers.validate(VALID_ANSWERS).issues == []


@pytest.mark.parametrize("name,path,typed,value,words", REFUSED, ids=[f"{c[0]}={c[2]}" for c in REFUSED])
def test_the_wizard_and_the_answer_schema_refuse_the_same_value_in_the_same_words(numbers, name, path, typed, value, words):
    form = wizard_form(numbers, {**VALID, name: typed})
    assert not form.is_valid()
    assert form.errors[name] == [words]
    result = numbers.validate(answers_with(path, value))
    assert [(issue.fields, issue.message) for issue in result.errors] == [((path,), words)]


@pytest.mark.parametrize("typed,value", [("1.500", 1.5), ("999999999999999", 999999999999999), ("-0", 0.0),
                                         ("0.1", 0.1 + 0.2 - 0.2)])
def test_what_one_accepts_the_other_accepts(numbers, typed, value):
    form = wizard_form(numbers, {**VALID, "grid__sales__month": typed})
    assert form.is_valid(), form.errors
    assert numbers.validate(answers_with("grid.sales.month", value)).issues == []


def test_the_rule_is_read_once_and_published_in_the_answer_schema(numbers):
    rule = NumberRule.of({"nonnegative": True, "minimum": 5, "decimals": 3}, integer=False)
    assert (rule.minimum, rule.decimals, rule.whole_digits) == (5, 3, MAX_WHOLE_DIGITS)
    assert numbers.schema["properties"]["q_dec"] == {"type": "number", "maxWholeDigits": 15, "maxDecimalPlaces": 2,
                                                     "minimum": 0}
    cell = numbers.schema["properties"]["grid"]["properties"]["staff"]["properties"]["month"]
    assert cell == {"type": "integer", "maxWholeDigits": 15}


def test_an_integer_beyond_any_float_is_refused_not_crashed(numbers):
    result = numbers.validate(answers_with("grid.staff.month", 10**400))
    assert [i.message for i in result.errors] == ["人员 · 本月：整数部分最多15位。"]
