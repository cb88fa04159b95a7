"""Export of one submission's detail: cover sheet, one sheet per grid or table, the checks; text escaped."""
from formdefs.excel import answers_export
from formdefs.services import answers_validate
from tests.formdefs.conftest import context, report_answers

from .conftest import workbook_of

META = {"企业名称": "宁波海曙示范机械有限公司", "报告期": "2025-05", "状态": "待审核", "填报方式": "导入"}


def rows_of(ws) -> list:
    return [tuple(v for v in row if v is not None) for row in ws.iter_rows(values_only=True)]


def test_the_detail_has_a_cover_sheet_one_sheet_per_grid_and_table_and_the_checks(refdata, monthly_version):
    answers = report_answers()
    answers["ind"]["revenue"]["ytd"] = 50.0  # below last month's 1-本月: a warning
    result = answers_validate(version=monthly_version, answers=answers, context=context())
    assert result.warnings
    data = answers_export(version=monthly_version, answers=result.answers, issues=result.issues,
                          explanation="四月有一笔退货冲减收入", meta=META)
    workbook = workbook_of(data)
    assert workbook.sheetnames == ["概况", "经济指标", "产品产销存", "校验结果"]
    cover = rows_of(workbook["概况"])
    assert cover[0] == ("中小企业生产经营运行监测月报",)
    assert cover[1:5] == list(META.items())
    assert ("基本信息",) in cover
    assert ("企业规模", "小型") in cover and ("控股类型", "私人控股") in cover
    assert ("是否上市", "否") in cover
    assert ("所在地区", "浙江省 / 宁波市 / 海曙区") in cover
    assert ("上年营业收入(万元)", 5200, "万元") in cover
    assert ("研发人员占从业人员比重(%)", 10, "%") in cover  # computed fields are shown too
    grid = rows_of(workbook["经济指标"])
    assert grid[1] == ("指标名称", "计量单位", "本年本月", "本年1-本月", "上年本月", "上年1-本月", "累计同比增长(%)")
    assert ("营业收入", "千元", 100, 50, 90, 400, -87.5) in grid
    products = rows_of(workbook["产品产销存"])
    assert products[2][:3] == (1, "数控机床", "台")
    checks = rows_of(workbook["校验结果"])
    assert ("警告", "营业收入：本年1-本月不应小于上月本年1-本月", "营业收入 · 本年1-本月") in checks
    assert checks[-2:] == [("填报人说明",), ("四月有一笔退货冲减收入",)]


def test_numbers_stay_numbers(refdata, monthly_version):
    workbook = workbook_of(answers_export(version=monthly_version, answers=report_answers(), meta=META))
    revenue = next(row for row in workbook["经济指标"].iter_rows() if row[0].value == "营业收入")
    assert revenue[2].data_type == "n" and revenue[2].value == 100


def test_formula_text_is_exported_as_plain_text_cells(refdata, monthly_version):
    answers = report_answers()
    answers["name"] = '=HYPERLINK("http://evil.example","点击")'
    answers["address"] = "+cmd|' /C calc'!A0"
    answers["products"][0]["name"] = "-2+3"
    answers["products"][0]["unit"] = "@SUM(1+1)"
    issues = [{"severity": "warning", "message": "=1+1", "labels": ["\t=2+2"]}]
    data = answers_export(version=monthly_version, answers=answers, issues=issues, explanation="=3+3",
                          meta={"=企业": "=cmd()"})
    workbook = workbook_of(data)
    cells = [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value: cell.data_type for cell in cells}
    for text in (answers["name"], answers["address"], "-2+3", "@SUM(1+1)", "=1+1", "\t=2+2", "=3+3", "=企业", "=cmd()"):
        assert texts.get(text) == "s"  # the exact text in a text cell: never run, no visible apostrophe
        assert "'" + text not in texts


def test_issues_as_stored_dicts_and_no_issues(refdata, monthly_version):
    empty = workbook_of(answers_export(version=monthly_version, answers={"ind": {}}, meta={}))
    assert empty.sheetnames == ["概况", "校验结果"]
    assert ("无",) in rows_of(empty["校验结果"])
    stored = workbook_of(answers_export(version=monthly_version, answers={}, meta={},
                                        issues=[{"severity": "severe", "message": "说明", "labels": []}]))
    assert ("严重警告", "说明") in rows_of(stored["校验结果"])
