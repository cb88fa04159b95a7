"""导入记录 on Wagtail's listing (issue 21 §4): every import the administrator may see (their own and their
subtree's, never a parent's), filtered by report, status and month, searched by file name, 20 a page, exported."""
import io

import openpyxl
import pytest

from imports import services
from imports.models import ImportJob
from ops.task_base import TaskStatus
from reporting.periods import month_add

from .builders import BatchFile

LIST = "/admin/imports/jobs/"


@pytest.fixture
def jobs(settings, tmp_path, admins, report_type, period):
    settings.CMS_PRIVATE_ROOT = tmp_path
    data = BatchFile(report_type).data()
    return {
        "haishu": services.import_job_create(actor=admins["sme_haishu"], report_type=report_type, period=period,
                                             file=data, file_name="海曙十月.xlsx"),
        "ningbo": services.import_job_create(actor=admins["sme_ningbo"], report_type=report_type,
                                             period=month_add(period, -1), file=data, file_name="宁波九月.xlsx"),
    }


def files(response) -> set[str]:
    assert response.status_code == 200
    return {job.file_name for job in response.context["object_list"]}


def test_the_list_is_scoped_filtered_and_searched(client, jobs, admins, period):
    client.force_login(admins["sme_haishu"])
    assert files(client.get(LIST)) == {"海曙十月.xlsx"}  # not the city's own import
    client.force_login(admins["sme_ningbo"])
    assert files(client.get(LIST)) == {"海曙十月.xlsx", "宁波九月.xlsx"}
    assert files(client.get(LIST, {"month": f"{month_add(period, -1):%Y-%m}"})) == {"宁波九月.xlsx"}
    assert files(client.get(LIST, {"q": "海曙"})) == {"海曙十月.xlsx"}
    assert files(client.get(LIST, {"status": jobs["haishu"].status})) >= {"海曙十月.xlsx"}
    assert files(client.get(LIST, {"report_type": jobs["haishu"].report_type.key})) == {"海曙十月.xlsx", "宁波九月.xlsx"}
    # a month that does not parse: refused by name above the list (the drawer is closed), not filtered by it,
    # the other filters still apply
    for url in (LIST, "/admin/imports/jobs/results/"):
        bad = client.get(url, {"month": "10/2026"})
        assert ('data-testid="filter-error">月份：请按“年-月”格式填写月份，例如 2026-10。</p>'
                in bad.content.decode()) and files(bad) == {"海曙十月.xlsx", "宁波九月.xlsx"}
    held = {job.status for job in ImportJob.objects.all()}
    other = next(value for value in TaskStatus.values if value not in held)
    assert files(client.get(LIST, {"month": "10/2026", "status": other})) == set()
    assert files(client.get(LIST, {"month": "10/2026", "q": "宁波"})) == {"宁波九月.xlsx"}
    assert 'data-testid="filter-error"' not in client.get(LIST).content.decode()
    # the drawer refreshes through the results view; the import page links here and lists the latest few
    assert files(client.get("/admin/imports/jobs/results/", {"q": "宁波"})) == {"宁波九月.xlsx"}
    page = client.get("/admin/imports/").content.decode()
    assert 'href="/admin/imports/jobs/"' in page and "全部导入记录" in page


def test_the_export_lists_the_jobs_with_months_and_counts(client, jobs, admins, period):
    client.force_login(admins["sme_ningbo"])
    response = client.get(LIST, {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("上传时间", "报表", "月份", "文件", "导入人")
    assert {f"{row[0]:%Y-%m-%d %H:%M}" for row in rows[1:]} == {"2026-11-18 10:00"}  # uploaded, Beijing time
    months = {row[3]: row[2] for row in rows[1:]}
    assert months == {"海曙十月.xlsx": f"{period:%Y-%m}", "宁波九月.xlsx": f"{month_add(period, -1):%Y-%m}"}


def test_an_enterprise_user_gets_no_list(client, jobs):
    from enterprises.models import Enterprise

    client.force_login(Enterprise.objects.get(user__username="com_demo01").user)
    assert client.get(LIST).status_code in (302, 403)
