"""The generic export jobs: small exports in the request, large ones as a job with progress and a
download for its creator only; formula escaping; refusals fail the job with their message."""
import io
import zipfile

import openpyxl

from tests.exports.sheets import export_body
import pytest
from django.core.exceptions import PermissionDenied

from exports import services
from exports.enums import ExportStatus
from exports.registry import Table, register_table, register_writer
from tests.ops.test_queue import broker_down  # noqa: F401  (a configured broker nobody listens on)

from tests.reporting.conftest import monthly_setup  # noqa: F401

pytestmark = pytest.mark.django_db


@register_table("tests.numbers", title="Numbers", sync_max_rows=5)
def numbers_table(*, actor, params):
    if params.get("deny"):
        raise PermissionDenied("no")
    if params.get("refuse"):
        raise services.ExportRefused("月份不对")
    n = int(params.get("n", 3))
    return Table(headers=["序号", "文本 (元)"], header_rows=[["分组", ""]],
                 rows=((i, "=cmd|' /C calc'!A0" if i == 0 else f"行{i}") for i in range(n)), total=n,
                 sheet_title="数字", file_name="numbers.xlsx")


@register_writer("tests.zip", title="Zip")
def zip_writer(*, actor, params, path, progress):
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(3):
            archive.writestr(f"{i}.txt", str(i))
            progress(i + 1, 3)
    return "files.zip"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_superuser(username="exporter1", password="x", email="")


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_superuser(username="exporter2", password="x", email="")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.EXPORTS_ROOT = str(tmp_path / "exports")


def _sheet(data: bytes):
    return export_body(data)  # the rows below the header block (title, filters, 导出时间)


def test_small_export_is_written_now_with_formulas_as_plain_text(user):
    result = services.export_start(actor=user, kind="tests.numbers", params={"n": 3})
    assert isinstance(result, services.ExportFile) and result.rows == 3
    data = result.file.read()
    rows = _sheet(data)
    assert rows[0] == ("分组", None) and rows[1] == ("序号", "文本 (元)")
    assert rows[2] == (0, "=cmd|' /C calc'!A0") and rows[4] == (2, "行2")  # the exact text, no apostrophe
    assert openpyxl.load_workbook(io.BytesIO(data)).active["B3"].data_type == "s"  # a text cell, never a formula


def test_large_export_runs_as_a_job_and_only_its_creator_downloads_it(client, user, other,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_start(actor=user, kind="tests.numbers", params={"n": 9})
    job.refresh_from_db()
    assert (job.status, job.processed, job.total, job.percent, job.file_name) == (ExportStatus.DONE, 9, 9, 100, "numbers.xlsx")
    client.force_login(user)
    page = client.get(f"/admin/exports/{job.pk}/").content.decode()
    assert "已完成" in page and "下载 numbers.xlsx" in page
    response = client.get(f"/admin/exports/{job.pk}/download/")
    assert response.status_code == 200 and "numbers.xlsx" in response["Content-Disposition"]
    assert len(_sheet(b"".join(response.streaming_content))) == 11
    assert "numbers.xlsx" in client.get("/admin/exports/").content.decode() or job.title in client.get("/admin/exports/").content.decode()
    client.force_login(other)
    for url in (f"/admin/exports/{job.pk}/", f"/admin/exports/{job.pk}/download/", f"/admin/exports/{job.pk}/progress/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/admin/exports/{job.pk}/delete/").status_code == 404
    client.force_login(user)
    assert client.post(f"/admin/exports/{job.pk}/delete/").status_code == 302
    assert not job.__class__.objects.filter(pk=job.pk).exists()


def test_queued_job_page_polls_with_htmx(client, user):
    job = services.export_job_create(actor=user, kind="tests.numbers", params={"n": 9}, total=9)  # not committed: queued
    client.force_login(user)
    block = client.get(f"/admin/exports/{job.pk}/progress/").content.decode()
    assert 'hx-get="/admin/exports/%d/progress/"' % job.pk in block and "排队中" in block


def test_writer_kind_and_progress(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_start(actor=user, kind="tests.zip", params={})
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.file_name == "files.zip" and job.processed == 3
    with job.file.open("rb") as handle:
        assert zipfile.ZipFile(handle).namelist() == ["0.txt", "1.txt", "2.txt"]


def test_refusals_fail_the_job_with_their_message(user, django_capture_on_commit_callbacks):
    job = services.export_job_create(actor=user, kind="tests.numbers", params={"refuse": True})
    services.export_job_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.message) == (ExportStatus.FAILED, "月份不对")
    job = services.export_job_create(actor=user, kind="tests.numbers", params={"deny": True})
    services.export_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.message == "no"
    with pytest.raises(PermissionDenied):
        services.export_start(actor=user, kind="tests.numbers", params={"deny": True})
    with pytest.raises(services.ExportRefused):
        services.export_start(actor=user, kind="nope", params={})


def test_a_job_runs_once(user):
    job = services.export_job_create(actor=user, kind="tests.numbers", params={"n": 9})
    services.export_job_run(job=job)
    again = services.export_job_run(job=job)
    assert again.status == ExportStatus.DONE


def test_large_analytics_export_keeps_the_administrators_scope(client, settings, monthly_setup,
                                                               django_capture_on_commit_callbacks):
    """Above the threshold the query export becomes a job; its file still holds only the region's rows."""
    from accounts.models import User

    settings.EXPORT_SYNC_MAX_ROWS = 0
    client.force_login(User.objects.get(username="sme_ningbo"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/admin/analytics/basic/export/")
    assert response.status_code == 302 and "/admin/exports/" in response["Location"]
    download = client.get(response["Location"] + "download/")
    rows = _sheet(b"".join(download.streaming_content))
    assert rows[0][:2] == ("企业名称", "用户ID")
    assert sorted(r[1] for r in rows[1:]) == ["com_demo01", "com_demo02"]


def test_a_job_queued_while_the_broker_is_down_fails_with_a_message(user, broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(actor=user, kind="tests.numbers", params={"n": 9}, total=9)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.finished_at is not None
    assert "任务队列暂时不可用" in job.message
