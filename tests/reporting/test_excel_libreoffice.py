"""Journey (issue 22 §5): the first report of a newly approved enterprise, imported from a template that
LibreOffice wrote.

Registration and approval go through the real services; the template is downloaded through the portal
(HTTP test client), filled with openpyxl, then LibreOffice converts it to a flat ODS (.fods) and back
to .xlsx, as an enterprise that works in LibreOffice Calc saves it; that file is uploaded through 上报导入.
"""
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import Submission

from .test_excel_views import BASIC, NUMBERS, errors_of, fill, rows_that_apply, template_bytes, upload

pytestmark = pytest.mark.django_db
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                               "apt-get install libreoffice-calc-nogui")


@pytest.fixture
def newco(demo_core, report_type):
    """A software enterprise (not industrial) registered and approved through the services, with no report yet."""
    from accounts.models import User
    from enterprises.demo import registration_answers
    from enterprises.services import enterprise_register, enterprise_registration_approve

    user = User.objects.create_user(username="com_lo_newco", password="Xk9#mQ2pLw", mobile="13700001234",
                                    real_name="刘填报")
    enterprise = enterprise_register(user=user, answers=registration_answers(
        name="宁波海曙表格软件有限公司", credit_code="91330203MA2H770011", industry="I6513", mobile=user.mobile), actor=user)
    enterprise = enterprise_registration_approve(enterprise=enterprise, actor=demo_core["sme_haishu"].user)
    return user, enterprise


def libreoffice_resave(content: bytes, workdir: Path) -> bytes:
    """The workbook as LibreOffice Calc saves it: .xlsx → flat ODS (.fods) → .xlsx, in a private profile."""
    profile = Path(tempfile.mkdtemp(prefix="lo-"))
    try:
        source = workdir / "filled.xlsx"
        source.write_bytes(content)
        for target, path in (("fods", source), ("xlsx", workdir / "filled.fods")):
            outdir = workdir / target
            subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
                            "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
            produced = outdir / f"filled.{target}"
            assert produced.exists(), f"LibreOffice did not write {produced}"
            if target == "fods":
                shutil.copy(produced, workdir / "filled.fods")
        return (workdir / "xlsx" / "filled.xlsx").read_bytes()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@needs_libreoffice
def test_first_report_of_a_new_enterprise_imported_from_a_template_written_by_libreoffice(client, newco, period,
                                                                                         tmp_path):
    user, enterprise = newco
    client.force_login(user)
    data = template_bytes(client, period)
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:3] == ["基本信息", "经济指标", "产品产销存"]
    applying = rows_that_apply(data)
    assert "工业总产值" not in applying and "营业收入" in applying  # industrial rows are 不适用 for software
    filled = fill(data, {row: dict(NUMBERS) for row in applying}, fields=BASIC)
    products = load_workbook(io.BytesIO(filled))
    sheet = products["产品产销存"]
    header = next(row for row in sheet.iter_rows() if row[0].value == "序号")
    for cell, value in zip(header[1:], ["管理软件", "P01", "套", 3, 9, 2, 8, 3, 9, 2, 8, 1]):
        sheet.cell(row=header[0].row + 1, column=cell.column, value=value)
    out = io.BytesIO()
    products.save(out)

    resaved = libreoffice_resave(out.getvalue(), tmp_path)
    assert "_meta" in load_workbook(io.BytesIO(resaved)).sheetnames  # LibreOffice keeps the hidden identity

    response = upload(client, period, resaved, name="LibreOffice.xlsx")
    assert response.status_code == 302, errors_of(response.content.decode())
    submission = Submission.objects.get(enterprise=enterprise, period=period)
    assert response.url == reverse("reporting:detail", args=[submission.pk])
    answers = submission.answers
    assert answers["ind"]["revenue"] == {"month": 3000, "ytd": 9000, "ly_month": 2700, "ly_ytd": 8000,
                                         "ytd_growth": 12.5}
    assert "gross_output" not in answers["ind"]
    assert answers["revenue_last_year"] == 5200 and answers["national_little_giant"] is True
    assert answers["products"] == [{"name": "管理软件", "code": "P01", "unit": "套", "output_month": 3, "output_ytd": 9,
                                    "output_ly_month": 2, "output_ly_ytd": 8, "sales_month": 3, "sales_ytd": 9,
                                    "sales_ly_month": 2, "sales_ly_ytd": 8, "stock": 1}]
    detail = client.get(response.url).content.decode()
    assert "导入" in detail and "9000" in detail.replace(",", "") and "管理软件" in detail and "5200" in detail
