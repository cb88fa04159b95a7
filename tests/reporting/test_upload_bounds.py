"""上报导入 of an enterprise has a bounded cost (issue 18 §2): limits sized to the template, checked from the
zip directory before parsing; macro workbooks refused; a refusal changes nothing."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from formdefs.excel import template_limits
from formdefs.selectors import version_compiled
from reporting.models import Submission
from reporting.selectors import report_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def template_bytes(web) -> bytes:
    response = web.get(reverse("reporting:template", args=["sme_monthly"]))
    return b"".join(response.streaming_content) if response.streaming else response.content


def rezip(data: bytes, *, add: dict | None = None, replace: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            change = (replace or {}).get(info.filename)
            content = source.read(info)
            target.writestr(info.filename, change(content) if change else content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def upload(web, period, content):
    return web.post(reverse("reporting:import"), {"period": f"{period:%Y-%m}", "filler_name": "王填报",
                                                  "file": SimpleUploadedFile("filled.xlsx", content)})


def refused_with(response, text: str) -> bool:
    body = response.content.decode()
    return response.status_code == 200 and "rp-import-errors" in body and text in body


def test_a_shared_strings_part_over_its_limit_is_refused_and_nothing_is_saved(web, period, settings):
    settings.EXCEL_MAX_SHARED_STRINGS_BYTES = 10_000
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               b'2006/main">' + b"<si><t>" + b"y" * 20_000 + b"</t></si></sst>")
    response = upload(web, period, rezip(template_bytes(web), add={"xl/sharedStrings.xml": strings}))
    assert refused_with(response, "工作簿的文本部分（共享字符串 xl/sharedStrings.xml）解压后为 20 KB，超过上限 10 KB")
    assert not Submission.objects.exists()


def test_rows_beyond_what_the_template_needs_are_refused_from_the_dimension(web, report_type, period):
    limit = template_limits(version_compiled(report_version(report_type))).sheet_rows
    workbook = load_workbook(io.BytesIO(template_bytes(web)))
    sheet = workbook.worksheets[0]
    sheet.cell(row=limit + 1, column=1, value="多余")
    out = io.BytesIO()
    workbook.save(out)
    response = upload(web, period, out.getvalue())
    assert refused_with(response, f"工作表“{sheet.title}”有 {limit + 1} 行，最多只能导入 {limit} 行")
    assert not Submission.objects.exists()


def test_the_limits_follow_the_template(report_type):
    limits = template_limits(version_compiled(report_version(report_type)))
    # 2 × the largest sheet (the products table, 55 rows) + 200; sheet XML in proportion, at least 1 MB.
    assert limits.sheet_rows == 2 * 55 + 200 and limits.sheet_bytes >= 1024 * 1024


@pytest.mark.parametrize("macro", [
    {"add": {"xl/vbaProject.bin": b"\x00" * 64}},
    {"replace": {"[Content_Types].xml": lambda xml: xml.replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")}},
], ids=["vbaProject.bin", "xlsm content type"])
def test_a_macro_workbook_is_refused(web, period, macro):
    response = upload(web, period, rezip(template_bytes(web), **macro))
    assert refused_with(response, "含宏的工作簿")
    assert not Submission.objects.exists()
