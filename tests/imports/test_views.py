"""企业上报导入 pages in the Wagtail admin: template, upload, job page, progress, export, access."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from enterprises.models import Enterprise
from imports.models import ImportJob

from .builders import BatchFile, approved_before

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_page_offers_the_template_and_states_the_overwrite_policy(client, admins, report_type):
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/imports/").content.decode()
    assert "下载批量导入模板" in page
    assert "该月报表状态为编辑、退回或解除冻结的，将被文件中的数据覆盖并上报" in page
    assert "必填的基本信息缺失的行不予导入，须先由企业在线填写" in page
    template = client.get("/admin/imports/template/")
    assert template["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(template.content)).sheetnames[:2] == ["经济指标", "产品产销存"]


def test_upload_imports_and_shows_per_row_results(client, admins, report_type, period, reports, django_capture_on_commit_callbacks):
    demo01 = Enterprise.objects.get(user__username="com_demo01")
    approved_before(reports, demo01, period)
    batch = BatchFile(report_type).add(demo01.credit_code, demo01.name, reports.answers(demo01, period)["ind"])
    batch.add("91330203MA2ZZZZZ9X", "不存在公司", {})
    client.force_login(admins["sme_ningbo"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/imports/", {"period": f"{period:%Y-%m}",
                                                   "file": SimpleUploadedFile("批量.xlsx", batch.data(), XLSX)})
    job = ImportJob.objects.get()
    assert response.url == f"/admin/imports/jobs/{job.pk}/" and job.file_name == "批量.xlsx"
    page = client.get(response.url).content.decode()
    assert 'data-status="done"' in page and "已导入并上报，待审核【sme_haishu】 [行号: 3]" in page
    assert "统一社会信用代码91330203MA2ZZZZZ9X不存在 [行号: 4]" in page
    refused_only = client.get(response.url, {"outcome": "refused"}).content.decode()
    assert "不存在公司" in refused_only and "待审核【sme_haishu】 [行号: 3]" not in refused_only
    export = client.get(f"/admin/imports/jobs/{job.pk}/export/")
    assert export["Content-Type"] == XLSX
    assert client.get(f"/admin/imports/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_a_bad_upload_is_refused_on_the_form(client, admins, report_type, period):
    client.force_login(admins["sme_ningbo"])
    response = client.post("/admin/imports/", {"period": f"{period:%Y-%m}",
                                               "file": SimpleUploadedFile("x.xlsx", b"hello", XLSX)}, follow=True)
    assert "xlsx" in response.content.decode() and not ImportJob.objects.exists()


def test_a_running_job_polls_its_progress(client, admins, report_type, period, settings):
    from reporting.selectors import report_version

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker runs the job; the page only reads

    job = ImportJob.objects.create(report_type=report_type, version=report_version(report_type), period=period,
                                   file="imports/x.xlsx", file_name="x.xlsx", created_by=admins["sme_ningbo"],
                                   status="running", total=200, processed=80)
    client.force_login(admins["sme_ningbo"])
    fragment = client.get(f"/admin/imports/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and "40%" in fragment.content.decode()
    client.force_login(admins["sme_haishu"])  # a subordinate does not see its parent's jobs
    assert client.get(f"/admin/imports/jobs/{job.pk}/").status_code == 404


@pytest.mark.parametrize("url", ["/admin/imports/", "/admin/imports/template/"])
def test_enterprise_users_and_anonymous_visitors_are_kept_out(client, filler, report_type, url):
    assert client.get(url).status_code in (302, 403)
    client.force_login(filler)
    assert client.get(url).status_code in (302, 403)
