"""Every time a user reads in a file is Asia/Shanghai local time, as on the screens (issue 22 §8).

Each export of the platform is generated with a moment whose UTC date and hour differ from
Shanghai's: 2026-11-18 20:30 UTC is 2026-11-19 04:30 +08:00 (the clock moves there just before the
action, so the service stamps it). The file is read back and scanned: the local time is there, the
UTC one nowhere. The API is not a file for people: its JSON keeps ISO 8601 with the offset.
"""
import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from tests.filing.conftest import make_enterprise, software_answers, software_type  # noqa: F401
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 11, 18, 20, 30, tzinfo=datetime.timezone.utc)
LOCAL, UTC = "2026-11-19 04:30", "2026-11-18 20:30"


def xlsx_texts(data: bytes) -> str:
    """Every cell of every sheet as text (a datetime cell as "YYYY-MM-DD HH:MM:SS")."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(cell.value) for ws in book.worksheets for row in ws.iter_rows() for cell in row
                     if cell.value is not None)


def assert_local(text: str) -> None:
    assert LOCAL in text
    assert UTC not in text and "2026-11-18T20:30" not in text and "+00:00" not in text


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- the enterprise's report: 历史报送 → 导出, and the questionnaire's raw answers (答题时间) ---------------

@pytest.mark.today("2026-11-18")  # MOMENT's day: 当期 (the `period` fixture) is still open at MOMENT
def test_report_detail_export_and_questionnaire_answers_show_local_times(client, reports, enterprise, period, travel,
                                                                          admins):
    from survey_builder import analysis
    from survey_builder.models import QuestionnaireResponse

    reports.save(enterprise, period)
    travel.move_to(MOMENT)
    submission = reports.submitted(enterprise, period)  # answers the questionnaire, then 上报
    assert submission.submitted_at.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M") == UTC

    client.force_login(enterprise.filler)
    assert_local(xlsx_texts(downloaded(client.get(reverse("reporting:export", args=[submission.pk])))))

    responses = QuestionnaireResponse.objects.filter(questionnaire=reports.questionnaire, enterprise=enterprise)
    assert_local(xlsx_texts(analysis.raw_export(questionnaire=reports.questionnaire, responses=responses)))


# -- 填报数据查询 → 批量导出: one detail workbook per report, in a zip -------------------------------------

def test_filing_batch_export_shows_local_submission_times(software_type, admins, travel):  # noqa: F811
    from accounts.models import AdministratorProfile
    from exports.services import export_job_create, export_job_run
    from filing import services as filing

    soft = make_enterprise("com_soft_tz", "宁波海曙时区软件有限公司")
    profile = AdministratorProfile.objects.select_related("region").get(user__username="sme_zhejiang")
    task = filing.filing_task_create(actor=admins["sme_zhejiang"], title="软件业月报", report_type=software_type,
                                     period=datetime.date(2026, 3, 1), issuing_region=profile.region,
                                     due_date=datetime.date(2026, 4, 20), industry_prefix="I65")
    task = filing.filing_task_open(task=task, actor=admins["sme_zhejiang"])
    filing.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    travel.move_to(MOMENT)
    submission = filing.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)

    job = export_job_create(actor=soft.filler, kind="filing.reports", params={"enterprise": soft.pk, "ids": [submission.pk]})
    job = export_job_run(job=job)
    assert job.status == "done", job.message
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        [name] = archive.namelist()
        assert_local(xlsx_texts(archive.read(name)))


# -- 企业注册信息审核: the list's XLSX and CSV exports (Wagtail's list export) -----------------------------

@pytest.fixture
def registered(demo, travel):
    from accounts.models import User
    from enterprises.demo import registration_answers
    from enterprises.services import enterprise_register
    from tests.enterprises.conftest import credit_code

    user = User.objects.create_user(username="ent_tz01", password="Xk9#mQ2pLw", email="ent_tz01@example.com",
                                    mobile="13700009901", real_name="时区")
    travel.move_to(MOMENT)
    return enterprise_register(user=user, answers=registration_answers(name="宁波时区测试有限公司",
                                                                       credit_code=credit_code()), actor=user)


@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_registration_list_exports_show_local_submission_times(client, registered, admins, export):
    client.force_login(admins["sme_ningbo"])
    data = downloaded(client.get(reverse("enterprises_admin:registrations"), {"export": export}))
    if export == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        row = next(r for r in rows if registered.name in r)
        assert LOCAL in row
        text = data.decode("utf-8")
    else:
        text = xlsx_texts(data)
        assert f"{LOCAL}:00" in text  # a real date cell, in local wall-clock time
    assert registered.name in text
    assert_local(text)


# -- Wagtail's own reports (站点历史) use the same list export --------------------------------------------

@pytest.mark.parametrize("export", ["xlsx", "csv"])
def test_wagtail_site_history_export_shows_local_times(client, db, travel, export):
    from wagtail.log_actions import log
    from wagtail.models import Page

    from accounts.models import User

    root = Page.objects.get(depth=1)
    user = User.objects.create_superuser(username="tz_editor", password="Xk9#mQ2pLw", email="tz@example.com",
                                         mobile="13700009902")
    travel.move_to(MOMENT)
    log(instance=root, action="wagtail.edit", user=user)
    client.force_login(user)
    data = downloaded(client.get(reverse("wagtailadmin_reports:site_history"), {"export": export}))
    assert_local(data.decode("utf-8") if export == "csv" else xlsx_texts(data))


# -- the generic background exports (analytics' standard queries and any table kind) ---------------------

def test_a_table_export_writes_an_aware_datetime_in_local_time():
    from exports.registry import Table
    from exports.services import table_write

    buffer = io.BytesIO()
    table_write(Table(headers=["时间"], rows=[(MOMENT,)], total=1), buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A3"]  # below 导出时间 and the headers
    assert cell.value == datetime.datetime(2026, 11, 19, 4, 30)


def test_every_export_kind_is_scanned_here():
    """A new export kind must be added to this file (with its times checked) before it ships."""
    from analytics.queries import QUERIES
    from exports.registry import kinds

    scanned = {"filing.reports"}  # test_filing_batch_export_shows_local_submission_times
    # The standard queries have no time column (dates only: 成立时间, report months); table_write
    # writes any aware datetime in local time (test_a_table_export_writes_an_aware_datetime_in_local_time).
    without_times = {f"analytics.{key}" for key in QUERIES}
    registered = {key for key in kinds() if not key.startswith("tests.")}
    assert registered == scanned | without_times
