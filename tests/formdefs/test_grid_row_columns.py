"""Indicator-grid rows limited to some columns (`"columns": [...]`): the other input cells do not apply."""
import copy

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from formdefs.engine import RuleContext, compile_document, definition_check
from formdefs.excel import batch_template_build, template_build, workbook_read
from formdefs.forms.step_form import StepForm
from tests.formdefs.excel.conftest import header_columns, header_row, label_row, saved, workbook_of

from .test_field_types import form_for

LIMITED = {
    "id": "grid_row_columns", "version": 1, "kind": "report", "title": "分栏指标",
    "steps": [{"id": "s1", "title": "经济指标", "sections": [{"id": "sec", "fields": [
        {"id": "ind", "type": "indicator_grid", "label": "指标", "rows": [
            {"id": "revenue", "label": "营业收入", "unit": "千元", "required": True},
            {"id": "cost", "label": "营业成本", "unit": "千元", "required": True, "columns": ["ytd"]},
        ], "columns": [
            {"id": "month", "label": "本年本月"}, {"id": "ytd", "label": "本年1-本月"},
            {"id": "double", "label": "倍数", "expr": "row.month * 2.0"},
        ]},
    ]}]}],
}


@pytest.fixture(scope="module")
def limited():
    assert definition_check(LIMITED) == []
    return compile_document(LIMITED)


def test_the_wizard_shows_a_dash_with_an_accessible_name_instead_of_an_input(limited):
    form = StepForm(compiled=limited, step_id="s1", initial={"__answers__": {}})
    html = "".join(render_to_string(item["template"], {"item": item}) for s in form.layout() for item in s["items"])
    assert 'name="ind__revenue__month"' in html and 'name="ind__cost__ytd"' in html
    assert 'name="ind__cost__month"' not in html
    assert '<td class="fd-na-cell" data-label="本年本月"><span aria-hidden="true">—</span><span class="fd-sr-only">营业成本 · 本年本月：不填报</span></td>' in html


def test_a_cell_the_row_does_not_take_is_never_required_nor_answered(limited):
    form = form_for(limited, {"ind__revenue__month": "10", "ind__revenue__ytd": "50", "ind__cost__ytd": "30",
                              "ind__cost__month": "7"})
    assert form.is_valid(), form.errors
    assert form.answers["ind"] == {"revenue": {"month": 10.0, "ytd": 50.0, "double": 20.0}, "cost": {"ytd": 30.0, "double": None}}
    result = limited.validate({"ind": {"revenue": {"month": 10.0, "ytd": 50.0}, "cost": {"ytd": 30.0}}}, RuleContext())
    assert result.errors == []
    # the computed column of a row without its input is blank; the row that has it computes
    assert result.answers["ind"]["cost"]["double"] is None and result.answers["ind"]["revenue"]["double"] == 20.0


def test_a_value_sent_for_a_cell_the_row_does_not_take_is_refused_naming_row_and_column(limited):
    result = limited.validate({"ind": {"revenue": {"month": 10.0, "ytd": 50.0}, "cost": {"ytd": 30.0, "month": 5.0}}},
                              RuleContext())
    assert [(i.fields, i.message) for i in result.errors] == [(("ind.cost.month",), "营业成本 · 本年本月：该指标不填此栏")]


def test_formdef_check_refuses_a_row_column_the_grid_does_not_have():
    document = copy.deepcopy(LIMITED)
    grid = document["steps"][0]["sections"][0]["fields"][0]
    grid["rows"][1]["columns"] = ["ytd", "ly_ytd", "double"]
    problems = [str(p) for p in definition_check(document)]
    assert problems == [
        "$.steps[0].sections[0].fields[0].rows[1].columns[1]: unknown column 'ly_ytd' of 'ind' in row 'cost'",
        "$.steps[0].sections[0].fields[0].rows[1].columns[2]: column 'double' is computed; a row lists only input columns",
    ]


def test_formdef_check_refuses_a_rule_reading_a_cell_the_row_does_not_take():
    document = copy.deepcopy(LIMITED)
    document["rules"] = [
        {"id": "cost_month", "severity": "warning", "expr": "cur.ind.cost.month >= 0.0", "message": "本月营业成本不能为负"},
        {"id": "cost_ytd", "severity": "warning", "expr": "cur.ind.cost.ytd >= 0.0", "message": "累计营业成本不能为负"},
    ]
    problems = [str(p) for p in definition_check(document)]
    assert problems == ["$.rules[0].expr: row 'cost' of 'ind' does not take column 'month' in cur.ind.cost.month"]


@pytest.fixture
def limited_version(db):
    from formdefs.services import formdef_publish_document

    return formdef_publish_document(document=copy.deepcopy(LIMITED))


def test_the_excel_template_greys_and_locks_the_cell_and_does_not_read_it_back(limited_version):
    workbook = workbook_of(template_build(version=limited_version))
    ws = workbook["经济指标"]
    top = header_row(ws, "指标名称")
    columns = header_columns(ws, top)
    revenue, cost = label_row(ws, "营业收入", top), label_row(ws, "营业成本", top)
    month, ytd = columns["本年本月"], columns["本年1-本月"]
    assert not ws[f"{month}{revenue}"].protection.locked and not ws[f"{ytd}{cost}"].protection.locked
    assert ws[f"{month}{cost}"].protection.locked and ws[f"{month}{cost}"].fill.fgColor.rgb.endswith("D9D9D9")
    validated = {str(r) for v in ws.data_validations.dataValidation for r in v.sqref.ranges}
    assert f"{ytd}{cost}" in validated and not any(f"{month}{cost}" in r for r in validated)
    ws[f"{month}{revenue}"], ws[f"{ytd}{revenue}"], ws[f"{ytd}{cost}"] = 10, 50, 30
    ws[f"{month}{cost}"] = 7  # typed into the locked cell of an unprotected copy: not read back
    result = workbook_read(file=saved(workbook), version=limited_version)
    assert result.errors == []
    assert result.answers["ind"] == {"revenue": {"month": 10, "ytd": 50}, "cost": {"ytd": 30}}


def test_the_batch_template_has_no_column_for_a_cell_the_row_does_not_take(limited_version):
    with translation.override("zh-hans"):
        ws = workbook_of(batch_template_build(version=limited_version)).worksheets[0]
    rows = [c.value for c in ws[1][2:]]
    columns = [c.value for c in ws[2][2:]]
    assert list(zip(rows, columns)) == [("营业收入 * (千元)", "本年本月"), (None, "本年1-本月"),
                                        ("营业成本 * (千元)", "本年1-本月")]
