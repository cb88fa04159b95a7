"""企业上报导入 in Chromium: download the template, upload a file of several enterprises, watch the job
page's progress bar reach 100 % and read the per-row results; on a phone too."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import login

PASSWORD = "Demo@2026sme"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def setup(e2e_demo):
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types, monthly_answers
    from reporting.periods import period_current
    from tests.imports.builders import BatchFile, approved_before
    from tests.reporting.conftest import Builder

    report_type, questionnaire, _lines = _ensure_types()
    period = period_current(report_type)
    reports = Builder(report_type, questionnaire)
    batch = BatchFile(report_type)
    for username in ("com_demo01", "com_demo02", "com_demo03"):
        enterprise = Enterprise.objects.get(user__username=username)
        approved_before(reports, enterprise, period)  # the 基本信息 a batch row does not hold
        batch.add(enterprise.credit_code, enterprise.name, monthly_answers(enterprise=enterprise, period=period)["ind"])
    batch.add("91330203MA2ZZZZZ9X", "不存在公司", {})
    return {"report_type": report_type, "period": period, "file": batch.data()}


def upload(page, setup):
    page.fill("#im-period", f"{setup['period']:%Y-%m}")
    page.set_input_files("#im-file", files=[{"name": "批量导入.xlsx", "mimeType": XLSX, "buffer": setup["file"]}])
    page.click("[data-testid=upload]")
    page.wait_for_url(re.compile(r"/admin/imports/jobs/\d+/$"))


def test_batch_import_with_progress_on_a_desktop(page, live_server, setup, shot, settings):
    from imports.models import ImportJob
    from reporting.models import Submission

    login(page, live_server.url, "sme_ningbo", PASSWORD, "13900000003", next_url="/admin/imports/")
    page.wait_for_url(re.compile(r"/admin/imports/"))
    expect(page.locator("[data-testid=overwrite-policy]")).to_contain_text("不能重复导入")
    with page.expect_download() as download:
        page.click("[data-testid=template]")
    assert download.value.suggested_filename.endswith(".xlsx")
    shot(page, "imports-desktop-upload")
    upload(page, setup)
    expect(page.locator("[data-testid=job-status]")).to_have_text("已完成")
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("[data-testid=job-imported]")).to_have_text("2")
    expect(page.locator("[data-testid=job-refused]")).to_have_text("2")
    rows = page.locator("[data-testid=rows]")
    expect(rows.locator("tr[data-row='3']")).to_contain_text("已导入并上报，待审核【sme_haishu】 [行号: 3]")
    expect(rows.locator("tr[data-row='5']")).to_contain_text("不在您的管辖地区")
    expect(rows.locator("tr[data-row='6']")).to_contain_text("统一社会信用代码91330203MA2ZZZZZ9X不存在 [行号: 6]")
    shot(page, "imports-desktop-job")
    with page.expect_download() as export:
        page.click("[data-testid=export]")
    assert export.value.suggested_filename.endswith("results.xlsx")
    assert Submission.objects.filter(entry_method="admin_import", status="pending").count() == 2

    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker: the page only reads the progress
    # A job still running: the page polls its progress and reloads when it is done.
    job = ImportJob.objects.get()
    running = ImportJob.objects.create(report_type=job.report_type, version=job.version, period=job.period, file=job.file.name,
                                       file_name="大文件.xlsx", created_by=job.created_by, status="running", total=2000, processed=700)
    page.goto(f"{live_server.url}/admin/imports/jobs/{running.pk}/")
    expect(page.locator("[data-testid=job-percent]")).to_have_text("35%")
    ImportJob.objects.filter(pk=running.pk).update(processed=1500)
    expect(page.locator("[data-testid=job-percent]")).to_have_text("75%", timeout=5000)
    shot(page, "imports-desktop-progress")
    ImportJob.objects.filter(pk=running.pk).update(processed=2000, imported=2000, status="done")
    expect(page.locator("[data-testid=job-status]")).to_have_text("已完成", timeout=5000)
    expect(page.locator("[data-testid=job-percent]")).to_have_text("100%")


def test_batch_import_on_a_phone(phone_page, live_server, setup, shot):
    login(phone_page, live_server.url, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/imports/")
    phone_page.wait_for_url(re.compile(r"/admin/imports/"))
    shot(phone_page, "imports-phone-upload")
    upload(phone_page, setup)
    expect(phone_page.locator("[data-testid=job-status]")).to_have_text("已完成")
    expect(phone_page.locator("[data-testid=job-imported]")).to_have_text("3")
    expect(phone_page.locator("[data-testid=rows] tr[data-row='6']")).to_contain_text("不存在")
    shot(phone_page, "imports-phone-job")
