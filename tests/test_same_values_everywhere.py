"""Wizard, 上报导入, 企业上报导入 and the API accept exactly the same values (issue 22 §5).

The same bad values go in by every way: a step of the wizard (HTTP POST), the enterprise's 上报导入
(upload of its template), the administrator's 企业上报导入 (platform/imports) and the API (PUT of the
report draft). Each way refuses each of them, the message names the field or the cell, and nothing is
stored (the wizard keeps the steps before the refused one, as it always does: the bad value is in
none of them). Values whose refusal is the engine's number rule are refused in the same words everywhere.
"""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from imports import services as imports
from imports.enums import RowOutcome
from reporting.models import Submission
from reporting.selectors import report_draft_answers
from tests.imports.builders import BatchFile, approved_before
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db

REVENUE = ("营业收入", "本年本月")  # ind.revenue.month, not negative
REVENUE_LABEL = "营业收入 · 本年本月"
#: Figures typed into the enterprise's template for the rows it requires (as tests/reporting/test_excel_views).
TEMPLATE_ROWS = ["工业总产值", "用电量", "营业收入", "营业成本", "应收账款", "利润总额", "从业人员"]
TEMPLATE_NUMBERS = {"本年本月": 3000, "本年1-本月": 9000, "上年本月": 2700, "上年1-本月": 8000}

#: id → (value typed in the wizard, the value in a JSON body or an Excel cell, words by way: wizard, excel, api)
NUMBER_CASES = {
    "1e20": ("1e20", 1e20, dict.fromkeys(("wizard", "excel", "api"), f"{REVENUE_LABEL}：整数部分最多15位。")),
    "three_decimals": ("1234.567", 1234.567, dict.fromkeys(("wizard", "excel", "api"), f"{REVENUE_LABEL}：最多2位小数。")),
    "negative": ("-5", -5.0, dict.fromkeys(("wizard", "excel", "api"), f"{REVENUE_LABEL}不能为负数。")),
    "text": ("12a", "12a", {"wizard": f"{REVENUE_LABEL}：请输入有效的值。", "excel": "（营业收入·本年本月）：只能填写数字",
                            "api": f"{REVENUE_LABEL}：请输入有效的值。"}),
}
BASIC_FIELD, BASIC_LABEL = "revenue_last_year", "上年营业收入"  # required in 基本信息, not in the registration data
BASIC_STEP_KEYS = ["name", "credit_code", "legal_representative", "industry", "region", "registration_type", "holding_type",
                   "size", "is_listed", "address", "postcode", "contact", "phone", "provincial_specialized",
                   "national_little_giant", "revenue_last_year", "profit_last_year", "employees_last_year",
                   "rd_staff_last_year", "rd_funds_last_year"]


# -- the four ways in --------------------------------------------------------------------------------------------

def _management(response):
    return re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode()).groups()


def _basic_step(answers: dict, *, without=()) -> dict:
    return {k: (str(answers[k]).lower() if isinstance(answers[k], bool) else answers[k])
            for k in BASIC_STEP_KEYS if k in answers and k not in without}


def by_wizard(client, filler, report_type, enterprise, period, answers, *, typed=None, without=()) -> str:
    """Post the wizard's 基本信息 step, then (with `typed`) its indicators step with 营业收入·本年本月 = `typed`;
    the page of the refused step."""
    client.force_login(filler)
    url = reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])
    response = client.get(url)
    name, step = _management(response)
    assert step == "basic"
    response = client.post(url, {name: "basic", **_basic_step(answers, without=without), "wizard_action": "next"})
    if typed is not None:
        name, step = _management(response)
        assert step == "indicators", "the 基本信息 step was refused"
        cells = {f"ind__{row}__{col}": value for row, values in answers["ind"].items() for col, value in values.items()}
        response = client.post(url, {name: "indicators", **cells, "ind__revenue__month": typed, "wizard_action": "next"})
    assert response.status_code == 200
    name, step = _management(response)
    assert step == ("indicators" if typed is not None else "basic"), "the wizard went on to the next step"
    assert not report_draft_answers(report_type=report_type, enterprise=enterprise, period=period, user=filler).get("ind")
    client.logout()
    return response.content.decode()


def _filled_template(content: bytes, value) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = next(ws for ws in workbook.worksheets if ws.sheet_state == "visible"
                 and any(str(c.value).rstrip(" *") == "营业收入" for row in ws.iter_rows() for c in row))
    header = next(row for row in sheet.iter_rows() if any(c.value == "本年本月" for c in row))
    columns = {c.value: c.column for c in header if c.value}
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        label = next((c.value.rstrip(" *") for c in row if isinstance(c.value, str)), None)
        if label in TEMPLATE_ROWS:
            for column, number in TEMPLATE_NUMBERS.items():
                sheet.cell(row=row[0].row, column=columns[column], value=number)
        if label == "营业收入" and value is not None:
            sheet.cell(row=row[0].row, column=columns["本年本月"], value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def by_enterprise_import(client, filler, report_type, period, value) -> str:
    """上报导入: download the enterprise's template of the month, fill it in, upload it; the page's errors."""
    client.force_login(filler)
    template = client.get(reverse("reporting:template", args=[report_type.key]), {"period": f"{period:%Y-%m}"})
    assert template.status_code == 200
    content = b"".join(template.streaming_content) if template.streaming else template.content
    response = client.post(reverse("reporting:import"), {
        "period": f"{period:%Y-%m}", "filler_name": "王填报",
        "file": SimpleUploadedFile("filled.xlsx", _filled_template(content, value))})
    assert response.status_code == 200 and "rp-import-errors" in response.content.decode(), "the import was accepted"
    client.logout()
    return "\n".join(str(error) for error in response.context["errors"])


def by_batch_import(admin, report_type, enterprise, period, answers, value, capture) -> str:
    """企业上报导入 by the administrator: one row for the enterprise; that row's messages."""
    overrides = {REVENUE: value} if value is not None else {}
    batch = BatchFile(report_type).add(enterprise.credit_code, enterprise.name, answers["ind"], overrides=overrides)
    with capture(execute=True):
        job = imports.import_job_create(actor=admin, report_type=report_type, period=period, file=batch.data(),
                                        file_name="batch.xlsx", language="zh-hans")
    job.refresh_from_db()
    while imports.import_job_advance(job=job):
        job.refresh_from_db()
    (row,) = job.rows.all()
    assert row.outcome == RowOutcome.REFUSED, row.messages
    return "\n".join(row.messages)


def by_api(client, filler, report_type, enterprise, period, answers) -> list:
    """PUT of the report draft with the filler's token; the issues of the refusal."""
    from api.services import token_create

    secret = token_create(actor=filler, name="erp", enterprise=enterprise).secret
    response = client.put(f"/api/v1/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}",
                          data={"answers": answers}, content_type="application/json",
                          headers={"Authorization": f"Bearer {secret}", "Accept-Language": "zh-hans"})
    assert response.status_code == 422, response.content
    return response.json()["issues"]


def stored(enterprise, period) -> list:
    """What is kept of the period's report: status, answers and last change (empty when nothing is)."""
    return list(Submission.objects.filter(enterprise=enterprise, period=period)
                .values_list("status", "answers", "updated_at"))


# -- the journeys -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(NUMBER_CASES))
def test_a_bad_number_is_refused_the_same_way_by_every_way_in(case, client, filler, enterprise, report_type, period,
                                                             reports, admins, django_capture_on_commit_callbacks):
    typed, value, words = NUMBER_CASES[case]
    approved_before(reports, enterprise, period)  # 基本信息 complete: the number is the only thing wrong
    answers = reports.answers(enterprise, period)

    page = by_wizard(client, filler, report_type, enterprise, period, answers, typed=typed)
    assert words["wizard"] in page
    kept = stored(enterprise, period)  # the wizard may keep the 基本信息 step it accepted, never the indicators
    assert all(status == "editing" and "ind" not in saved for status, saved, _at in kept)

    errors = by_enterprise_import(client, filler, report_type, period, value)
    assert words["excel"] in errors and "营业收入·本年本月" in errors
    assert stored(enterprise, period) == kept

    messages = by_batch_import(admins["sme_ningbo"], report_type, enterprise, period, answers, value,
                               django_capture_on_commit_callbacks)
    assert words["excel"] in messages and "（营业收入·本年本月）" in messages
    assert stored(enterprise, period) == kept

    bad = {**answers, "ind": {**answers["ind"], "revenue": {**answers["ind"]["revenue"], "month": value}}}
    issues = by_api(client, filler, report_type, enterprise, period, bad)
    assert [(i["fields"], i["message"]) for i in issues if i["severity"] == "error"] == [
        (["ind.revenue.month"], words["api"])]
    assert stored(enterprise, period) == kept


def test_an_empty_required_basic_field_is_refused_by_every_way_in(client, filler, enterprise, report_type, period,
                                                                  reports, admins, django_capture_on_commit_callbacks):
    """No approved report before: 上年营业收入 (基本信息, not in the registration data) is nowhere."""
    answers = reports.answers(enterprise, period)
    without = {k: v for k, v in answers.items() if k != BASIC_FIELD}

    page = by_wizard(client, filler, report_type, enterprise, period, answers, without={BASIC_FIELD})
    assert f"{BASIC_LABEL}(万元)为必填项。" in page
    assert stored(enterprise, period) == []

    errors = by_enterprise_import(client, filler, report_type, period, None)
    assert BASIC_LABEL in errors

    messages = by_batch_import(admins["sme_ningbo"], report_type, enterprise, period, answers, None,
                               django_capture_on_commit_callbacks)
    assert f"{BASIC_LABEL}(万元)为必填项。" in messages

    issues = by_api(client, filler, report_type, enterprise, period, without)
    assert ([BASIC_FIELD], f"{BASIC_LABEL}(万元)为必填项。") in [(i["fields"], i["message"]) for i in issues]
    assert stored(enterprise, period) == []
