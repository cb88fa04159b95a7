"""上报导入 and the detail export over HTTP: template → fill with openpyxl → import; refusals change nothing."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reporting.models import IndicatorFact, Submission
from workflow.enums import EntryMethod, SubmissionStatus as S

pytestmark = pytest.mark.django_db
NUMBERS = {"本年本月": 3000, "本年1-本月": 9000, "上年本月": 2700, "上年1-本月": 8000}
ROWS = ["工业总产值", "用电量", "营业收入", "营业成本", "应收账款", "利润总额", "从业人员"]


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def template_bytes(web):
    response = web.get(reverse("reporting:template", args=["sme_monthly"]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) if response.streaming else response.content


def fill(data: bytes, values: dict) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    sheet = next(ws for ws in workbook.worksheets if ws.sheet_state == "visible"
                 and any(str(c.value).rstrip(" *") == "营业收入" for row in ws.iter_rows() for c in row))
    header = next(row for row in sheet.iter_rows() if any(c.value == "本年本月" for c in row))
    columns = {c.value: c.column for c in header if c.value}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        label = next((c.value.rstrip(" *") for c in row if isinstance(c.value, str)), None)
        for column, value in values.get(label, {}).items():
            sheet.cell(row=row[0].row, column=columns[column], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(web, period, content, name="filled.xlsx"):
    return web.post(reverse("reporting:import"), {"period": f"{period:%Y-%m}", "filler_name": "王填报",
                                                  "file": SimpleUploadedFile(name, content)})


def test_import_round_trip_opens_the_detail(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))  # step 1's yearly extras come from here
    content = fill(template_bytes(web), {row: dict(NUMBERS) for row in ROWS})
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
    assert cells and all(c.data_type == "s" and not c.value.startswith("=") for c in cells)
    texts = {c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row}
    assert enterprise.name in texts
