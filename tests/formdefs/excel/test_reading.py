"""上报导入: a filled template read back into answers; every error placed at its sheet, row and column."""

import pytest
from django.utils import translation

from formdefs.excel import CellError, ExcelRefused, TemplateTarget, batch_template_build, template_build, workbook_read
from tests.formdefs.conftest import basic_answers, context, report_answers

from .conftest import field_spec, fill_grid, fill_table, header_columns, header_row, label_row, saved, workbook_of

SMALL_GRID = {"sales": {"now": 100.0, "before": 50.5}, "staff": {"now": 12, "before": 10}}
SMALL_ITEMS = [{"name": "螺丝", "qty": 3}, {"name": "螺母"}]


def small_filled(version, document, grid=SMALL_GRID, items=SMALL_ITEMS, skip=()):
    workbook = workbook_of(template_build(version=version))
    ws = workbook["数据"]
    fill_grid(ws, field_spec(document, "grid"), grid)
    fill_table(ws, field_spec(document, "items"), items, skip=skip)
    return workbook


def cell_of(ws, label: str, column: str, first_header: str = "指标名称") -> tuple[int, str]:
    top = header_row(ws, first_header)
    return label_row(ws, label, top), header_columns(ws, top)[column]


def test_round_trip_of_the_small_definition(small, small_doc):
    workbook = small_filled(small, small_doc, skip=(2,))  # a blank table row in between is skipped
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert result.errors == [] and result.ok
    assert result.answers == {"kind": "a", "grid": SMALL_GRID, "items": SMALL_ITEMS}
    assert isinstance(result.answers["grid"]["staff"]["now"], int)
    assert result.result.answers["grid"]["sales"]["change"] == 49.5  # computed by the engine


def test_round_trip_of_the_monthly_report(monthly_version, monthly_doc):
    expected = report_answers()
    workbook = workbook_of(template_build(version=monthly_version))
    fill_grid(workbook["经济指标"], field_spec(monthly_doc, "ind"), expected["ind"])
    fill_table(workbook["产品产销存"], field_spec(monthly_doc, "products"), expected["products"])
    result = workbook_read(file=saved(workbook), version=monthly_version, context=context(), base_answers=basic_answers())
    assert [str(e) for e in result.errors] == []
    assert result.answers == expected
    assert not result.result.is_anomalous  # the balance checks against last month pass too


def test_text_of_digits_is_a_number_and_empty_cells_are_absent(small, small_doc):
    workbook = small_filled(small, small_doc, grid={"sales": {"now": " 12.5 ", "before": "-3"}}, items=[])
    result = workbook_read(file=saved(workbook), version=small)
    assert result.answers["grid"] == {"sales": {"now": 12.5, "before": -3.0}}
    assert "items" not in result.answers


def test_every_non_number_is_reported_at_its_cell_at_once(small, small_doc):
    workbook = small_filled(small, small_doc, grid={"sales": {"now": 100, "before": "12a"}, "staff": {"now": 12.5, "before": "1,000"}},
                            items=[{"name": "螺丝", "qty": "三"}])
    ws = workbook["数据"]
    sales_row, before = cell_of(ws, "销售额", "上期")
    result = workbook_read(file=saved(workbook), version=small)
    places = {(e.sheet, e.row, e.column): e.message for e in result.errors}
    items_row = header_row(ws, "序号") + 1
    assert places == {
        ("数据", sales_row, before): "只能填写数字",
        ("数据", sales_row + 1, "C"): "只能填写整数",
        ("数据", sales_row + 1, "D"): "只能填写数字",
        ("数据", items_row, "C"): "只能填写数字",
    }
    error = next(e for e in result.errors if e.row == sales_row)
    assert str(error) == f"数据 第{sales_row}行 {before}列（销售额·上期）：只能填写数字"
    with translation.override("en"):
        assert str(error) == f"数据 row {sales_row} column {before} (销售额·上期): enter numbers only"
    assert result.answers["grid"] == {"sales": {"now": 100.0}}


def test_the_monthly_report_names_sheet_row_column_and_label(monthly_version, monthly_doc):
    answers = report_answers()
    answers["ind"]["revenue"]["month"] = "12a"
    workbook = workbook_of(template_build(version=monthly_version))
    fill_grid(workbook["经济指标"], field_spec(monthly_doc, "ind"), answers["ind"])
    row, column = cell_of(workbook["经济指标"], "营业收入", "本年本月")
    result = workbook_read(file=saved(workbook), version=monthly_version, context=context(), base_answers=basic_answers())
    assert [str(e) for e in result.errors] == [f"经济指标 第{row}行 {column}列（营业收入·本年本月）：只能填写数字"]


def test_a_missing_required_value_is_named_by_its_cell(monthly_version, monthly_doc):
    answers = report_answers()
    del answers["ind"]["revenue"]["ytd"]
    workbook = workbook_of(template_build(version=monthly_version))
    fill_grid(workbook["经济指标"], field_spec(monthly_doc, "ind"), answers["ind"])
    row, column = cell_of(workbook["经济指标"], "营业收入", "本年1-本月")
    result = workbook_read(file=saved(workbook), version=monthly_version, context=context(), base_answers=basic_answers())
    assert [(e.sheet, e.row, e.column, e.path) for e in result.errors] == [("经济指标", row, column, "ind.revenue.ytd")]
    assert str(result.errors[0]) == f"经济指标 第{row}行 {column}列（营业收入·本年1-本月）：必须填写"


def test_a_value_in_a_row_that_does_not_apply_is_refused_at_its_cell(monthly_version, monthly_doc):
    answers = report_answers()  # industrial rows filled
    workbook = workbook_of(template_build(version=monthly_version))
    fill_grid(workbook["经济指标"], field_spec(monthly_doc, "ind"), answers["ind"])
    row, column = cell_of(workbook["经济指标"], "工业总产值", "本年本月")
    result = workbook_read(file=saved(workbook), version=monthly_version, context=context(industrial=False, prev=False),
                           base_answers=basic_answers())
    refused = {e.path.split(".")[1] for e in result.errors}
    assert refused == {"gross_output", "export_value", "electricity", "capacity_utilization", "finished_goods"}
    error = next(e for e in result.errors if e.path == "ind.gross_output.month")
    assert str(error) == f"经济指标 第{row}行 {column}列（工业总产值·本年本月）：本企业本期不适用，请清空该单元格"
    assert len(result.errors) == 5 * 4  # every typed cell of those rows, never dropped silently


def test_a_hidden_required_row_is_not_required(monthly_version, monthly_doc):
    answers = report_answers(industrial=False, quarter=False)
    workbook = workbook_of(template_build(version=monthly_version))
    fill_grid(workbook["经济指标"], field_spec(monthly_doc, "ind"), answers["ind"])
    ok = workbook_read(file=saved(workbook), version=monthly_version, context=context(industrial=False, month=4, prev=False),
                       base_answers=basic_answers())
    assert ok.errors == []
    industrial = workbook_read(file=saved(workbook), version=monthly_version, context=context(industrial=True, month=4, prev=False),
                               base_answers=basic_answers())
    assert {e.path.split(".")[1] for e in industrial.errors} == {"gross_output", "electricity"}


def test_schema_and_rule_errors_are_placed_at_their_cells(small, small_doc):
    workbook = small_filled(small, small_doc, grid={"sales": {"now": -5, "before": 2000}, "staff": {"now": 1}}, items=[])
    ws = workbook["数据"]
    row, now = cell_of(ws, "销售额", "本期")
    _row, before = cell_of(ws, "销售额", "上期")
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    by_cell = {(e.row, e.column): e.message for e in result.errors}
    assert "不能为负数" in by_cell[(row, now)]
    assert (row, before) not in by_cell  # a refused value is no answer: rules reading it wait, as in the wizard
    workbook = small_filled(small, small_doc, grid={"sales": {"now": 100, "before": 2000}, "staff": {"now": 1}}, items=[])
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    by_cell = {(e.row, e.column): e.message for e in result.errors}
    assert by_cell[(row, before)] == "上期销售额不应超过本期的10倍"  # the rule's first field is `before`


def test_table_errors_point_at_the_sheet_row_the_answer_came_from(small, small_doc):
    workbook = small_filled(small, small_doc, grid=SMALL_GRID, items=[{"name": "螺丝"}, {"qty": 4}], skip=(1, 2))
    top = header_row(workbook["数据"], "序号")
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert result.answers["items"] == [{"name": "螺丝"}, {"qty": 4}]
    assert [(e.row, e.column, e.message) for e in result.errors] == [(top + 4, "B", "必须填写")]
    assert result.errors[0].label == "明细·名称"


def test_without_base_answers_only_the_template_steps_are_checked(small, small_doc):
    filled = saved(small_filled(small, small_doc))
    assert workbook_read(file=filled, version=small).errors == []
    result = workbook_read(file=filled, version=small, base_answers={})
    assert [(e.sheet, e.row, e.path) for e in result.errors] == [("", None, "kind")]
    # Not in the file: named, with where to enter it (issue 22: the errors were "类型为必填项。" and no place).
    assert str(result.errors[0]) == "“类型”不在本文件中，但必须填写：请在在线填报的“概况”步骤中填写并保存，然后重新导入。"


def test_base_answers_never_override_the_template_fields(small, small_doc):
    filled = saved(small_filled(small, small_doc, items=[]))
    stale = {"kind": "a", "grid": {"staff": {"now": 99}}, "items": [{"name": "旧产品"}]}
    result = workbook_read(file=filled, version=small, base_answers=stale)
    assert result.answers == {"kind": "a", "grid": SMALL_GRID}


def test_an_english_template_reads_back(small, small_doc):
    workbook = workbook_of(template_build(version=small, lang="en"))
    ws = workbook["Figures"]
    top = header_row(ws, "Indicator")
    ws[f"C{top + 1}"], ws[f"D{top + 1}"] = 7, "x"
    result = workbook_read(file=saved(workbook), version=small)
    assert result.answers["grid"] == {"sales": {"now": 7.0}}
    assert str(result.errors[0]) == f"Figures 第{top + 1}行 D列（Sales·Before）：只能填写数字"


def _refusal(file, version) -> ExcelRefused:
    with pytest.raises(ExcelRefused) as caught:
        workbook_read(file=file, version=version)
    return caught.value


def test_a_template_of_another_definition_is_refused(small, monthly_version):
    error = _refusal(template_build(version=monthly_version), small)
    assert error.code == "wrong_template"
    assert error.message == "模板不匹配：该文件是《中小企业生产经营运行监测月报》的模板，不是《小型报表》的模板。"


def test_a_template_of_another_version_is_refused(small, small_doc):
    from formdefs.services import formdef_publish_document

    old_template = template_build(version=small)
    small_doc["version"] = 2
    small_doc["title"] = "小型报表（新）"
    newer = formdef_publish_document(document=small_doc)
    error = _refusal(old_template, newer)
    assert error.code == "wrong_version"
    assert error.message == "模板不匹配：该文件是《小型报表》第1版的模板，请下载第2版的模板。"


def test_a_workbook_that_is_no_template_and_a_batch_file_are_refused(small):
    from openpyxl import Workbook

    assert _refusal(saved(Workbook()), small).code == "wrong_template"
    error = _refusal(batch_template_build(version=small), small)
    assert error.code == "wrong_template" and "批量导入文件" in error.message


def test_a_template_whose_rows_were_moved_is_refused(small, small_doc):
    workbook = small_filled(small, small_doc)
    workbook["数据"].move_range("A6:F8", rows=1)
    error = _refusal(saved(workbook), small)
    assert error.code == "layout_changed" and "销售额" in error.message


def test_a_renamed_sheet_is_refused(small, small_doc):
    workbook = small_filled(small, small_doc)
    workbook["数据"].title = "Sheet1"
    assert _refusal(saved(workbook), small).code == "layout_changed"


def test_cell_errors_read_as_the_spec_shows():
    error = CellError("经济指标", 5, "C", "只能填写数字", "营业收入·本年本月")
    assert str(error) == "经济指标 第5行 C列（营业收入·本年本月）：只能填写数字"
    assert str(CellError("", None, "", "类型为必填项。", "类型")) == "类型为必填项。"


def test_an_uploaded_file_is_read_as_django_hands_it_over(small, small_doc):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("模板.xlsx", saved(small_filled(small, small_doc)),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload.read(100)
    result = workbook_read(file=upload, version=small, base_answers={"kind": "a"})
    assert result.ok and result.answers["grid"] == SMALL_GRID


def test_refusals_speak_the_users_language(small, monthly_version):
    chinese_template = template_build(version=monthly_version)
    with translation.override("en"):
        error = _refusal(chinese_template, small)
    # The other definition's title is the one stored in the file, as it was made.
    assert error.message == ("Template mismatch: this file is the template of “中小企业生产经营运行监测月报”, "
                             "not of “Small report”.")


# -- a template made for an enterprise and a period (issue 22 §5) ---------------------------------
TARGET = TemplateTarget(period="2026-11", period_label="2026年11月", subject="91330203MA2AAAAA1X",
                        subject_label="宁波海曙示范机械有限公司")


def test_single_answers_of_the_template_read_back_and_win_over_the_base(small, small_doc):
    workbook = workbook_of(template_build(version=small, fields=["kind"], answers={"kind": "a"}))
    ws = workbook["概况"]
    row = label_row(ws, "类型", header_row(ws, "项目"))
    assert ws[f"B{row}"].value == "甲类"  # prefilled from the answers
    ws[f"B{row}"] = "乙类"
    fill_grid(workbook["数据"], field_spec(small_doc, "grid"), SMALL_GRID)
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert result.ok and result.answers["kind"] == "b"


def test_a_single_answer_outside_its_choices_or_left_empty_is_named_by_its_cell(small, small_doc):
    workbook = workbook_of(template_build(version=small, fields=["kind"]))
    ws = workbook["概况"]
    row = label_row(ws, "类型", header_row(ws, "项目"))
    ws[f"B{row}"] = "丙类"
    fill_grid(workbook["数据"], field_spec(small_doc, "grid"), SMALL_GRID)
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert [str(e) for e in result.errors] == [f"概况 第{row}行 B列（类型）：只能填写“甲类”、“乙类”之一"]
    ws[f"B{row}"] = None
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert [str(e) for e in result.errors] == [f"概况 第{row}行 B列（类型）：必须填写"]  # the file's cell wins


def test_yes_no_cells_read_in_either_language(monthly_version):
    from formdefs.excel.layout import NotAChoice, field_cell_read

    spec = {"id": "listed", "type": "yesno", "label": "是否上市"}
    assert [field_cell_read(spec, v) for v in ("是", "否", "Yes", "no", True, None)] == [True, False, True, False, True, None]
    with pytest.raises(NotAChoice):
        field_cell_read(spec, "也许")


def test_a_value_typed_into_a_greyed_row_of_a_made_template_is_refused(small, small_doc):
    from formdefs.engine import RuleContext

    workbook = workbook_of(template_build(version=small, context=RuleContext(), answers={"kind": "a"}))
    ws = workbook["数据"]
    extra = label_row(ws, "附加收入", header_row(ws, "指标名称"))
    assert ws[f"F{extra}"].value == "不适用"
    fill_grid(ws, field_spec(small_doc, "grid"), {**SMALL_GRID, "extra": {"now": 5}})
    result = workbook_read(file=saved(workbook), version=small, base_answers={"kind": "a"})
    assert [(e.row, e.column, e.path) for e in result.errors] == [(extra, "C", "grid.extra.now")]
    assert workbook_read(file=saved(workbook), version=small, base_answers={"kind": "b"}).ok  # applies to 乙类


def test_a_template_of_another_month_or_enterprise_is_refused_saying_what_differs(small, small_doc):
    data = template_build(version=small, target=TARGET)
    other_month = TemplateTarget(period="2026-10", period_label="2026年10月", subject=TARGET.subject,
                                 subject_label=TARGET.subject_label)
    with pytest.raises(ExcelRefused) as caught:
        workbook_read(file=data, version=small, target=other_month)
    assert caught.value.code == "wrong_period"
    assert caught.value.message == ("模板不匹配：该文件是2026年11月的模板，而导入选择的月份是2026年10月"
                                    "（请选择2026年11月，或下载2026年10月的模板）。")
    other_enterprise = TemplateTarget(period="2026-11", subject="91330203MA2BBBBB2Y", subject_label="宁波另一家有限公司")
    with pytest.raises(ExcelRefused) as caught:
        workbook_read(file=data, version=small, target=other_enterprise)
    assert caught.value.code == "wrong_subject"
    assert "宁波海曙示范机械有限公司" in caught.value.message and "宁波另一家有限公司" in caught.value.message
    # The same template for the same month and enterprise, and a general template, are read (not refused).
    assert workbook_read(file=data, version=small, target=TARGET).answers == {}
    assert workbook_read(file=template_build(version=small), version=small, target=other_month).answers == {}


def test_template_mismatch_messages_never_contradict_themselves(small, small_doc):
    from formdefs.services import formdef_publish_document

    twin_doc = {**small_doc, "id": "excel_small_twin"}  # another form, the same title
    twin = formdef_publish_document(document=twin_doc)
    error = _refusal(template_build(version=twin), small)
    assert error.code == "wrong_template"
    assert error.message == ("模板不匹配：该文件是另一张同名报表《小型报表》的模板（表号excel_small_twin，不是excel_small），"
                             "请重新下载模板。")
    workbook = workbook_of(template_build(version=small))
    workbook["_meta"]["B3"] = "0" * 64  # the same version number, made from another text of it
    error = _refusal(saved(workbook), small)
    assert error.code == "wrong_version"
    assert error.message == "模板不匹配：该文件生成后，《小型报表》第1版已修改，请重新下载模板。"
