"""Templates generated from a definition: sheets per step, labelled rows and columns, a hidden identity."""
import pytest
from django.utils import translation

from formdefs.excel import TemplateUnavailable, template_build

from .conftest import header_columns, header_row, label_row, workbook_of


def test_one_sheet_per_step_with_grids_or_tables_and_a_very_hidden_identity(small):
    workbook = workbook_of(template_build(version=small))
    assert workbook.sheetnames == ["数据", "_meta"]  # the profile step has no grid or table
    meta = workbook["_meta"]
    assert meta.sheet_state == "veryHidden"
    assert dict(meta.iter_rows(values_only=True)) == {
        "key": "excel_small", "version": 1, "checksum": small.checksum, "layout": "form", "lang": "zh-hans",
        "title": "小型报表"}
    assert workbook.security.lockStructure


def test_grid_rows_are_labelled_with_units_required_marks_and_locked_computed_columns(small):
    ws = workbook_of(template_build(version=small))["数据"]
    top = header_row(ws, "指标名称")
    assert [c.value for c in ws[top]][:6] == ["指标名称", "计量单位", "本期", "上期", "变化 (自动计算)", "说明"]
    sales, staff, extra = (label_row(ws, label, top) for label in ("销售额", "人数", "附加收入"))
    assert ws[f"A{sales}"].value == "销售额 *" and ws[f"A{staff}"].value == "人数"
    assert ws[f"B{sales}"].value == "元"
    assert extra == staff + 1  # a row shown only under a condition is in the template too
    assert ws.protection.sheet
    assert not ws[f"C{sales}"].protection.locked and not ws[f"D{sales}"].protection.locked
    assert ws[f"E{sales}"].protection.locked and ws[f"E{sales}"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws[f"A{sales}"].protection.locked
    assert ws[f"C{sales}"].number_format == "#,##0.00" and ws[f"C{staff}"].number_format == "#,##0"


def test_number_cells_carry_data_validation(small):
    ws = workbook_of(template_build(version=small))["数据"]
    top = header_row(ws, "指标名称")
    sales, staff = label_row(ws, "销售额", top), label_row(ws, "人数", top)
    kinds = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            kinds[str(cell_range)] = (validation.type, validation.operator, validation.formula1)
    assert kinds[f"C{sales}:D{sales}"] == ("decimal", "greaterThanOrEqual", "0")
    assert kinds[f"C{staff}:D{staff}"][0] == "whole"
    items_top = header_row(ws, "序号")
    assert kinds[f"C{items_top + 1}:C{items_top + 5}"] == ("whole", "greaterThanOrEqual", "0")


def test_tables_have_a_header_and_empty_numbered_rows(small):
    ws = workbook_of(template_build(version=small))["数据"]
    top = header_row(ws, "序号")
    assert ws[f"A{top - 1}"].value == "明细"
    assert header_columns(ws, top) == {"序号": "A", "名称": "B", "数量": "C"}
    assert ws[f"B{top}"].value == "名称 *"
    assert [ws[f"A{top + n}"].value for n in range(1, 7)] == [1, 2, 3, 4, 5, None]  # max_rows 5
    assert ws[f"B{top + 1}"].number_format == "@"


def test_the_monthly_report_template_has_every_indicator_and_product_rows(monthly_version, monthly_doc):
    workbook = workbook_of(template_build(version=monthly_version))
    assert workbook.sheetnames == ["经济指标", "产品产销存", "_meta"]
    ws = workbook["经济指标"]
    top = header_row(ws, "指标名称")
    assert list(header_columns(ws, top))[:7] == ["指标名称", "计量单位", "本年本月", "本年1-本月", "上年本月", "上年1-本月",
                                                "累计同比增长(%) (自动计算)"]
    grid = monthly_doc["steps"][1]["sections"][0]["fields"][1]
    labels = [ws[f"A{top + 1 + n}"].value.rstrip(" *") for n in range(len(grid["rows"]))]
    assert labels == [row["label"] for row in grid["rows"]]
    assert ws[f"A{label_row(ws, '营业收入', top)}"].value == "营业收入 *"
    assert ws[f"A{label_row(ws, '期末借款余额', top)}"].value == "期末借款余额"
    products = workbook["产品产销存"]
    assert products[f"A{header_row(products, '序号') + 50}"].value == 50


def test_english_template_uses_english_labels(small):
    workbook = workbook_of(template_build(version=small, lang="en"))
    assert workbook.sheetnames == ["Figures", "_meta"]
    ws = workbook["Figures"]
    top = header_row(ws, "Indicator")
    assert ws[f"A{top + 1}"].value == "Sales *"
    assert ws[f"B{top + 1}"].value == "yuan"  # the unit in English too (元)
    assert dict(workbook["_meta"].iter_rows(values_only=True))["lang"] == "en"
    assert translation.get_language() == "zh-hans"  # the language is restored


def test_a_definition_without_grids_or_tables_has_no_template(published):
    with pytest.raises(TemplateUnavailable):
        template_build(version=published["enterprise_registration"])


def test_labels_that_look_like_formulas_are_text_cells(db, small_doc):
    from formdefs.services import formdef_publish_document

    small_doc["id"] = "excel_formula_labels"
    small_doc["steps"][1]["sections"][0]["fields"][0]["rows"][0]["label"] = "=HYPERLINK(\"http://evil\")"
    version = formdef_publish_document(document=small_doc)
    ws = workbook_of(template_build(version=version))["数据"]
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "=HYPERLINK(\"http://evil\") *" and cell.data_type == "s" for cell in cells)
    from formdefs.excel import workbook_read

    assert workbook_read(file=template_build(version=version), version=version).answers == {}


# -- a template made for an enterprise and a period (issue 22 §5) ---------------------------------
def test_rows_that_do_not_apply_are_greyed_locked_and_marked_not_applicable(monthly_version):
    from tests.formdefs.conftest import basic_answers, context

    def rows(**kwargs):
        ws = workbook_of(template_build(version=monthly_version, context=context(**kwargs), answers=basic_answers()))["经济指标"]
        top = header_row(ws, "指标名称")
        return ws, {label: label_row(ws, label, top) for label in ("工业总产值", "营业收入", "逾期应收账款")}

    ws, at = rows(industrial=False, month=4)
    for label in ("工业总产值", "逾期应收账款"):  # industrial only; quarterly only
        row = at[label]
        assert ws[f"A{row}"].value == label  # no `*`: not required here
        assert ws[f"H{row}"].value == "不适用"
        assert ws[f"C{row}"].protection.locked and ws[f"C{row}"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws[f"A{at['营业收入']}"].value == "营业收入 *" and not ws[f"C{at['营业收入']}"].protection.locked
    assert "不适用" in ws["A2"].value
    ws, at = rows(industrial=True, month=5)  # an industrial enterprise in a quarter month fills them
    assert ws[f"A{at['工业总产值']}"].value == "工业总产值 *" and ws[f"A{at['逾期应收账款']}"].value == "逾期应收账款 *"
    assert not ws[f"C{at['逾期应收账款']}"].protection.locked and ws[f"H{at['逾期应收账款']}"].value is None


def test_a_made_template_names_its_month_and_enterprise_and_holds_the_single_answers(small):
    from formdefs.excel import TemplateTarget

    target = TemplateTarget(period="2026-11", period_label="2026年11月", subject="91330203MA2AAAAA1X",
                            subject_label="宁波海曙示范机械有限公司")
    workbook = workbook_of(template_build(version=small, target=target, fields=["kind", "grid", "nope"],
                                          answers={"kind": "b"}))
    assert workbook.sheetnames == ["概况", "数据", "_meta"]
    meta = dict(workbook["_meta"].iter_rows(values_only=True))
    assert {k: meta[k] for k in ("fields", "period", "period_label", "subject", "subject_label")} == {
        "fields": "kind", "period": "2026-11", "period_label": "2026年11月", "subject": "91330203MA2AAAAA1X",
        "subject_label": "宁波海曙示范机械有限公司"}
    assert workbook["数据"]["A3"].value == "报告期：2026年11月　填报单位：宁波海曙示范机械有限公司 (91330203MA2AAAAA1X)"
    ws = workbook["概况"]
    row = label_row(ws, "类型", header_row(ws, "项目"))
    assert ws[f"A{row}"].value == "类型 *" and ws[f"B{row}"].value == "乙类" and not ws[f"B{row}"].protection.locked
    lists = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1, str(v.sqref)) for v in lists] == [('"甲类,乙类"', f"B{row}")]
