"""上报导入 and the detail export over HTTP: template → fill with openpyxl → import; refusals change nothing."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reporting.models import IndicatorFact, Submission
from reporting.periods import month_add
from reporting.enums import EntryMethod, SubmissionStatus as S

pytestmark = pytest.mark.django_db
NUMBERS = {"本年本月": 3000, "本年1-本月": 9000, "上年本月": 2700, "上年1-本月": 8000}
ROWS = ["工业总产值", "用电量", "营业收入", "营业成本", "应收账款", "利润总额", "从业人员"]


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def template_bytes(web, period=None):
    query = {"period": f"{period:%Y-%m}"} if period else {}
    response = web.get(reverse("reporting:template", args=["sme_monthly"]), query)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) if response.streaming else response.content


def grid_sheet(workbook):
    return next(ws for ws in workbook.worksheets if ws.sheet_state == "visible"
                and any(str(c.value).rstrip(" *") == "营业收入" for row in ws.iter_rows() for c in row))


def rows_that_apply(data: bytes) -> list:
    """Labels of the grid rows the template does not grey out as 不适用 (their last column)."""
    sheet = grid_sheet(load_workbook(io.BytesIO(data)))
    header = next(row for row in sheet.iter_rows() if any(c.value == "本年本月" for c in row))
    return [row[0].value.rstrip(" *") for row in sheet.iter_rows(min_row=header[0].row + 1)
            if isinstance(row[0].value, str) and row[len(header) - 1].value != "不适用"]


def fill(data: bytes, values: dict, fields: dict | None = None) -> bytes:
    """Type grid values (by row label and column header) and single answers (基本信息, by label) into a template."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = grid_sheet(workbook)
    header = next(row for row in sheet.iter_rows() if any(c.value == "本年本月" for c in row))
    columns = {c.value: c.column for c in header if c.value}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        label = next((c.value.rstrip(" *") for c in row if isinstance(c.value, str)), None)
        for column, value in values.get(label, {}).items():
            sheet.cell(row=row[0].row, column=columns[column], value=value)
    for label, value in (fields or {}).items():
        ws, number = next((ws, row[0].row) for ws in workbook.worksheets for row in ws.iter_rows()
                          if isinstance(row[0].value, str) and row[0].value.rstrip(" *") == label)
        ws.cell(row=number, column=2, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(web, period, content, name="filled.xlsx", url=None):
    """上报导入: upload (预检, the page with its errors) and, when it passed, 确认导入 (the redirect)."""
    url = url or reverse("reporting:import")
    response = web.post(url, {"period": f"{period:%Y-%m}", "filler_name": "王填报",
                              "file": SimpleUploadedFile(name, content)})
    if response.status_code == 200 and response.context["held"]:
        return web.post(url, {"held": response.context["held"], "action": "confirm"})
    return response


def test_import_round_trip_opens_the_detail(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))  # step 1's yearly extras come from here
    data = template_bytes(web)  # every row that applies to 当期 (a quarter month adds its indicators)
    content = fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)})
    response = upload(web, period, content)
    submission = Submission.objects.get(period=period)
    assert response.status_code == 302 and response.url == reverse("reporting:detail", args=[submission.pk])
    assert submission.entry_method == EntryMethod.IMPORT and submission.status == S.EDITING
    assert submission.filler_name == "王填报"
    assert submission.answers["ind"]["revenue"] == {"month": 3000, "ytd": 9000, "ly_month": 2700, "ly_ytd": 8000,
                                                    "ytd_growth": 12.5}
    assert float(IndicatorFact.objects.get(submission=submission, row="revenue", column="ytd").value) == 9000
    assert "导入" in web.get(response.url).content.decode()


def test_a_non_number_is_named_by_sheet_row_and_column_and_nothing_is_saved(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))
    values = {row: dict(NUMBERS) for row in ROWS}
    values["营业成本"]["本年本月"] = "12a"
    del values["利润总额"]
    response = upload(web, period, fill(template_bytes(web), values))
    body = response.content.decode()
    assert response.status_code == 200 and "rp-import-errors" in body
    assert "营业成本" in body and "行" in body and "列" in body
    assert "利润总额" in body  # required and missing
    assert not Submission.objects.filter(period=period).exists()


def test_a_workbook_that_is_not_our_template_is_refused(web, period):
    workbook = Workbook()
    workbook.active["A1"] = "营业收入"
    out = io.BytesIO()
    workbook.save(out)
    body = upload(web, period, out.getvalue()).content.decode()
    assert "rp-import-errors" in body and "模板" in body
    assert not Submission.objects.exists()


def test_a_zip_bomb_is_refused_before_opening(web, period):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (200 * 1024 * 1024))
    body = upload(web, period, out.getvalue()).content.decode()
    assert "rp-import-errors" in body
    assert not Submission.objects.exists()


def test_only_xlsx_files_are_accepted(web, period):
    body = upload(web, period, b"name,value\n", name="data.csv").content.decode()
    assert ".xlsx" in body and not Submission.objects.exists()


def test_import_refused_for_a_pending_report(web, reports, enterprise, period):
    reports.submitted(enterprise, period)
    body = upload(web, period, fill(template_bytes(web), {row: dict(NUMBERS) for row in ROWS})).content.decode()
    assert "rp-import-errors" in body and "不能修改" in body
    assert Submission.objects.get().entry_method == EntryMethod.ONLINE


def test_detail_export_escapes_formula_text(web, reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    answers["products"][0]["name"] = "=HYPERLINK(\"http://evil\",\"x\")"
    submission = reports.save(enterprise, period, answers=answers)
    response = web.get(reverse("reporting:export", args=[submission.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    # A text cell holding the exact text: never evaluated, no visible apostrophe (formdefs.excel.xlsx_value).
    assert cells and all(c.data_type == "s" and c.value == answers["products"][0]["name"] for c in cells)
    texts = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert enterprise.name in texts


# -- issue 22 §5: the import accepts what the wizard accepts ---------------------------------------
#: 基本信息 the registration data does not give, as a person types them into the template.
BASIC = {"是否省级“专精特新”中小企业": "否", "是否国家级专精特新“小巨人”企业": "是", "上年营业收入(万元)": 5200,
         "上年利润总额(万元)": 300, "上年末从业人员(人)": 180, "上年研发人员(人)": 18, "上年用于研发资金(万元)": 260}


def errors_of(body: str) -> list:
    import re

    block = body[body.index("rp-import-errors"):]
    return re.findall(r"<li>(.*?)</li>", block[:block.index("</ul>")])


def test_the_first_report_is_imported_with_the_basic_information_of_its_template(web, enterprise, period):
    """No earlier report, no approved profile: the template asks for what registration does not give."""
    assert not Submission.objects.filter(enterprise=enterprise).exists()
    data = template_bytes(web, period)
    assert "基本信息" in load_workbook(io.BytesIO(data)).sheetnames
    content = fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)}, fields=BASIC)
    response = upload(web, period, content)
    submission = Submission.objects.get(enterprise=enterprise, period=period)
    assert response.status_code == 302 and response.url == reverse("reporting:detail", args=[submission.pk])
    answers = submission.answers
    assert (answers["provincial_specialized"], answers["national_little_giant"]) == (False, True)
    assert (answers["revenue_last_year"], answers["employees_last_year"], answers["rd_staff_share"]) == (5200, 180, 10.0)
    assert answers["name"] == enterprise.name  # the registration data, as the wizard prefills it


def test_a_first_report_without_its_basic_information_is_refused_cell_by_cell(web, enterprise, period):
    data = template_bytes(web, period)
    body = upload(web, period, fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)})).content.decode()
    errors = errors_of(body)
    assert len(errors) == len(BASIC)
    # Each is placed at its cell of the 基本信息 sheet (they were 7 unlocated errors about fields outside the file).
    assert all(e.startswith("基本信息 第") and "B列" in e and e.endswith("必须填写") for e in errors)
    assert any("上年营业收入(万元)" in e for e in errors)
    assert not Submission.objects.filter(enterprise=enterprise).exists()


def test_the_template_and_the_import_start_from_the_wizards_draft(web, filler, report_type, enterprise, period):
    from formdefs.services import wizard_draft_key, wizard_draft_save
    from reporting.selectors import report_draft_key

    basic = {"provincial_specialized": True, "national_little_giant": False, "revenue_last_year": 880.5,
             "profit_last_year": -12.0, "employees_last_year": 40, "rd_staff_last_year": 4, "rd_funds_last_year": 30.0}
    wizard_draft_save(user=filler, key=wizard_draft_key(report_draft_key(report_type, enterprise, period)),
                      data={"step": "indicators", "step_data": {}, "step_files": {},
                            "extra_data": {"answers": {"basic": basic}, "reached": 1}})
    data = template_bytes(web, period)
    sheet = load_workbook(io.BytesIO(data))["基本信息"]
    shown = {row[0].value.rstrip(" *"): row[1].value for row in sheet.iter_rows(min_row=6) if row[0].value}
    assert shown["是否省级“专精特新”中小企业"] == "是" and shown["上年营业收入(万元)"] == 880.5
    response = upload(web, period, fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)}))
    assert response.status_code == 302
    submission = Submission.objects.get(enterprise=enterprise, period=period)
    assert {k: submission.answers[k] for k in basic} == basic


@pytest.mark.today("2026-11-18")  # 当期 2026-10: no quarterly indicators that month
def test_a_value_typed_into_a_row_that_does_not_apply_is_refused_at_its_cell(web, reports, enterprise, period):
    reports.approved(enterprise, month_add(period, -1))
    data = template_bytes(web, period)
    assert "资产总计" not in rows_that_apply(data) and "营业收入" in rows_that_apply(data)
    values = {row: dict(NUMBERS) for row in rows_that_apply(data)} | {"资产总计": {"本年本月": 100}}
    body = upload(web, period, fill(data, values)).content.decode()
    [error] = errors_of(body)
    assert "经济指标" in error and "C列（资产总计·本年本月）：本企业本期不适用，请清空该单元格" in error
    assert not Submission.objects.filter(enterprise=enterprise, period=period).exists()


def test_a_template_of_another_month_is_refused_saying_which_month(web, reports, enterprise, period):
    from reporting.periods import period_is_open

    earlier = month_add(period, -1)
    assert period_is_open(reports.report_type, earlier)
    data = template_bytes(web, earlier)
    body = upload(web, period, fill(data, {row: dict(NUMBERS) for row in rows_that_apply(data)}, fields=BASIC))
    [error] = errors_of(body.content.decode())
    assert error == (f"模板不匹配：该文件是{earlier.year}年{earlier.month:02d}月的模板，而导入选择的月份是"
                     f"{period.year}年{period.month:02d}月（请选择{earlier.year}年{earlier.month:02d}月，"
                     f"或下载{period.year}年{period.month:02d}月的模板）。")
    assert not Submission.objects.filter(enterprise=enterprise).exists()


def test_the_import_page_links_the_template_of_the_chosen_month(web, period):
    body = web.get(reverse("reporting:import")).content.decode()
    assert f'template.xlsx?period={period:%Y-%m}" data-template-link' in body
    assert web.get(reverse("reporting:template", args=["sme_monthly"]), {"period": "1999-01"}).status_code == 404
