"""The print view as an official statistical form (issue 21 §3): the form's marks (表号 …) when the report
type has them, the reporting unit and its credit code, numbers with thousands separators, a grid's unit said
once, a signature block with the filler and the date reported; the detail page prints the same."""
import copy
import re

import pytest
from django.urls import reverse

from reporting.templatetags.print_tags import grouped

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_print_shows_the_form_marks_the_unit_and_the_signature_block(web, reports, report_type, enterprise, period):
    report_type.form_number, report_type.issuing_authority = "中小企监测月01表", "工业和信息化部"
    report_type.approval_number = "国统制〔2024〕12号"
    report_type.save(update_fields=["form_number", "issuing_authority", "approval_number"])
    submission = reports.submitted(enterprise, period)
    body = text(web.get(reverse("reporting:print", args=[submission.pk])).content.decode())
    assert "表号 中小企监测月01表" in body and "制定机关 工业和信息化部" in body and "批准文号 国统制〔2024〕12号" in body
    assert "有效期至" not in body  # not set: not printed
    assert f"填报单位（盖章） {enterprise.name}" in body and f"统一社会信用代码 {enterprise.credit_code}" in body
    for label in ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期"):
        assert label in body
    assert f"填表人 {submission.filler_name}" in body
    assert submission.filler_name
    # 报出日期 is the submission's local (Asia/Shanghai) date
    from django.utils import timezone

    assert f"报出日期 {timezone.localtime(submission.submitted_at):%Y-%m-%d}" in body


def test_print_without_marks_has_no_marks_block(web, reports, report_type, enterprise, period):
    report_type.form_number = report_type.issuing_authority = ""
    report_type.save(update_fields=["form_number", "issuing_authority"])
    submission = reports.submitted(enterprise, period)
    html = web.get(reverse("reporting:print", args=[submission.pk])).content.decode()
    assert "rp-form-marks" not in html and "表号" not in html
    assert "rp-sign" in html


def test_numbers_have_thousands_separators(web, reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    row = next(iter(answers["ind"]))
    column = next(iter(answers["ind"][row]))
    answers["ind"][row][column] = 1234567.5
    submission = reports.save(enterprise, period, answers=answers)
    for name in ("reporting:print", "reporting:detail"):
        html = web.get(reverse(name, args=[submission.pk])).content.decode()
        assert ">1,234,567.5<" in html, name
        assert "1234567.5" not in html


def test_grouped_leaves_codes_and_text_alone():
    assert grouped("1234567") == "1,234,567" and grouped("-12345.25") == "-12,345.25" and grouped("999") == "999"
    assert grouped("0101") == "0101" and grouped("—") == "—" and grouped("") == "" and grouped("12a") == "12a"


def test_a_grid_with_one_unit_says_it_once_above_the_table(client, make_report_type, reports, enterprise, period):
    from formdefs.selectors import version_current
    from formdefs.services import formdef_publish_document
    from reporting.demo import _ensure_types
    from tests.reporting.conftest import Builder

    pilot = make_report_type("pilot")
    document = copy.deepcopy(version_current(key=pilot.definition.key).document)
    for step in document["steps"]:
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                for row in field.get("rows", []) if field["type"] == "indicator_grid" else []:
                    row["unit"] = "万元"
    document["version"] = 2
    formdef_publish_document(document=document)
    builder = Builder(pilot, _ensure_types()[1])
    submission = builder.save(enterprise, period, answers=reports.answers(enterprise, period))
    client.force_login(enterprise.filler)
    html = client.get(reverse("reporting:print", args=[submission.pk])).content.decode()
    assert html.count("单位：万元") == 1
    grid = re.search(r'<table class="data rp-grid"[^>]*>(.*?)</table>', html, re.S).group(1)
    assert "万元" not in grid and ">单位<" not in grid  # no unit column, no unit in a cell


def test_mixed_units_stay_in_their_column(web, reports, enterprise, period):
    submission = reports.save(enterprise, period)
    html = web.get(reverse("reporting:print", args=[submission.pk])).content.decode()
    assert "单位：" not in html
    grid = re.search(r'<table class="data rp-grid"[^>]*>(.*?)</table>', html, re.S).group(1)
    assert "<th>单位</th>" in grid and "千元" in grid


def test_detail_page_prints_the_form_head_and_signature(web, reports, report_type, enterprise, period):
    report_type.form_number = "中小企监测月01表"
    report_type.save(update_fields=["form_number"])
    submission = reports.submitted(enterprise, period)
    html = web.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    assert "reporting/print.css" in html and "reporting/print_zh.css" in html
    assert re.search(r'class="rp-form-head print-only"', html) and re.search(r'class="rp-sign print-only"', html)
    assert "中小企监测月01表" in text(html)


def test_product_names_and_codes_stay_text(web, reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    answers["products"][0].update(name="示范产品", code="0101", output_month=12345)
    submission = reports.save(enterprise, period, answers=answers)
    html = web.get(reverse("reporting:print", args=[submission.pk])).content.decode()
    table = re.findall(r'<table class="data rp-grid"[^>]*>(.*?)</table>', html, re.S)[-1]
    assert "<td>0101</td>" in table and "<td>示范产品</td>" in table  # text, aligned left
    assert '<td class="num">12,345</td>' in table


def test_the_report_type_form_sets_the_printed_marks(client, django_user_model, report_type):
    from reporting.models import ReportType

    client.force_login(django_user_model.objects.create_superuser(username="root", password="x-Pass-12345", email=""))
    edit = reverse("wagtailsnippets_reporting_reporttype:edit", args=[report_type.pk])
    body = client.get(edit).content.decode()
    assert "表号" in body and "批准文号" in body and "有效期至" in body
    response = client.post(edit, {
        "title": report_type.title, "key": report_type.key, "definition": report_type.definition_id, "frequency": "monthly",
        "due_day": report_type.due_day, "backfill_years": 1, "is_active": "on", "form_number": "中小企监测月02表",
        "issuing_authority": "工业和信息化部", "approval_number": "国统制〔2025〕3号", "valid_until": "2028年12月"})
    assert response.status_code == 302
    marks = ReportType.objects.values_list("form_number", "approval_number", "valid_until").get(pk=report_type.pk)
    assert marks == ("中小企监测月02表", "国统制〔2025〕3号", "2028年12月")
