"""The pages: 我的填报任务, 申请, 上报 with the severe-warning dialog, 取消上报, 填报数据查询 with export
and batch export (a zip written by a real background job), and the back office's scope."""
import io
import re
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from filing import services as svc
from filing.models import FilingApplication, FilingTask
from reporting.enums import SubmissionStatus as S

from .conftest import make_enterprise, software_answers

pytestmark = pytest.mark.django_db
SEVERE = dict(profit=600.0, main_revenue=4000.0)


@pytest.fixture
def portal(client, soft):
    client.force_login(soft.filler)
    return client


def test_my_tasks_lists_and_filters_in_chinese(portal, task_factory, soft, django_assert_max_num_queries):
    task = task_factory(title="三月软件月报")
    task_factory(title="二月软件月报", period=task.period.replace(month=2))
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    with django_assert_max_num_queries(12):
        html = portal.get(reverse("filing:tasks")).content.decode()
    assert "我的填报任务" in html and "三月软件月报" in html and "二月软件月报" in html and "2026年03月" in html
    html = portal.get(reverse("filing:tasks"), {"status": "not_filled", "name": "软件"}).content.decode()
    assert "二月软件月报" in html and "三月软件月报" not in html
    html = portal.get(reverse("filing:tasks"), {"period": "2026-03-01"}).content.decode()
    assert "三月软件月报" in html and "二月软件月报" not in html
    assert 'href="/tasks/"' in portal.get("/").content.decode()  # the portal's navigation and home


def test_home_shows_the_tasks_due(portal, task_factory, soft):
    task = task_factory(title="待填报的软件月报")
    html = portal.get("/").content.decode()
    assert 'data-testid="home-tasks"' in html and "待填报任务" in html and "待填报的软件月报" in html
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert 'data-testid="home-tasks"' not in portal.get("/").content.decode()


def test_apply_from_the_page(portal, task_factory, soft):
    task = task_factory(title="省级申请任务", requires_application=True)
    html = portal.get(reverse("filing:applications")).content.decode()
    assert "省级申请任务" in html and "未申请" in html
    response = portal.post(reverse("filing:apply", args=[task.pk]), follow=True)
    assert "申请已提交" in response.content.decode() and "待审核" in response.content.decode()
    assert FilingApplication.objects.get(task=task, enterprise=soft).status == "pending"
    other = task_factory(title="不接受申请的任务")
    assert portal.post(reverse("filing:apply", args=[other.pk])).status_code == 404


def test_submit_lists_severe_warnings_and_needs_each_explanation(portal, task_factory, soft):
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(**SEVERE), actor=soft.filler)
    url = reverse("filing:submit", args=[task.pk])
    html = portal.get(url).content.decode()
    assert html.count('<textarea id="explain_') == 2 and "提示：严重警告必须填写审核说明" in html
    assert "软件业务收入合计与主营业务收入的比值大于等于30%的企业才能纳统" in html
    html = portal.post(url, {"explain_profit_margin_near_national": "大额项目验收"}).content.decode()
    assert "每条严重警告都须填写审核说明后才能上报。" in html and 'data-open="1"' in html
    assert html.count("请填写该条严重警告的审核说明。") == 1 and "大额项目验收" in html
    assert soft.submissions.get().status == S.EDITING
    response = portal.post(url, {"explain_profit_margin_near_national": "大额项目验收",
                                 "explain_software_share_for_statistics": "含硬件集成收入"})
    assert response.status_code == 302 and response["Location"] == reverse("filing:tasks")
    submission = soft.submissions.get()
    assert submission.status == S.PENDING and "含硬件集成收入" in submission.explanation
    assert "已上报至县级" in portal.get(reverse("filing:tasks")).content.decode()


def test_cancel_from_the_list_and_refused_after_a_receive(portal, task_factory, soft, admins):
    from workflow.services import submission_receive

    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    assert 'data-testid="cancel"' in portal.get(reverse("filing:tasks")).content.decode()
    html = portal.post(reverse("filing:cancel", args=[task.pk]), follow=True).content.decode()
    assert "已取消上报" in html and soft.submissions.get().status == S.EDITING
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    submission_receive(submission=submission, actor=admins["sme_haishu"])
    html = portal.get(reverse("filing:tasks")).content.decode()
    assert 'data-testid="cancel"' not in html and "已上报至市级" in html
    html = portal.post(reverse("filing:cancel", args=[task.pk]), follow=True).content.decode()
    assert "管理员已处理该报表，不能撤销。" in html
    assert soft.submissions.get().status == S.PENDING


def test_other_enterprises_cannot_reach_a_task_or_its_report(client, task_factory, soft):
    from enterprises.models import Enterprise

    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    client.force_login(Enterprise.objects.get(filler__username="com_demo01").filler)  # a machinery maker
    for url in (reverse("filing:fill", args=[task.pk]), reverse("filing:submit", args=[task.pk]),
                reverse("filing:report", args=[submission.pk]), reverse("filing:report_export", args=[submission.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("filing:cancel", args=[task.pk])).status_code == 404
    assert soft.submissions.get().status == S.PENDING


def test_a_task_report_cannot_be_filled_outside_its_task(portal, software_type, period):
    """The software report is filled through tasks only: not from 当期报送's report URLs."""
    assert software_type.by_task_only
    month = f"{period:%Y-%m}"
    assert portal.get(reverse("reporting:fill", args=[software_type.key, month])).status_code == 404
    assert portal.get(reverse("reporting:submit", args=[software_type.key, month])).status_code == 404


def _submitted(task_factory, soft, months):
    import datetime

    out = []
    for month in months:
        task = task_factory(title=f"{month}月软件和信息技术服务业月报", period=datetime.date(2026, month, 1),
                            due_date=datetime.date(2026, 12, 20))
        svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(employees=200 + month), actor=soft.filler)
        out.append(svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler))
    return out


def test_filed_data_view_and_export(portal, task_factory, soft):
    (submission,) = _submitted(task_factory, soft, [3])
    html = portal.get(reverse("filing:reports")).content.decode()
    assert "填报数据查询" in html and "3月软件和信息技术服务业月报" in html and "批量导出" in html
    assert "3月软件" not in portal.get(reverse("filing:reports"), {"name": "年报"}).content.decode()
    html = portal.get(reverse("filing:report", args=[submission.pk])).content.decode()
    assert "软件业务收入合计" in html and "已上报至县级" in html
    response = portal.get(reverse("filing:report_export", args=[submission.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "宁波海曙示范软件有限公司" in cells and "软件业务收入合计" in cells


def test_batch_export_is_a_zip_of_the_chosen_reports(portal, task_factory, soft, django_capture_on_commit_callbacks):
    first, second, third = _submitted(task_factory, soft, [1, 2, 3])
    with django_capture_on_commit_callbacks(execute=True):  # the job's Celery task is queued on commit
        response = portal.post(reverse("filing:batch_export"), {"ids": [str(first.pk), str(third.pk)]})
    job_url = response["Location"]
    assert re.fullmatch(r"/tasks/exports/\d+/", job_url)
    html = portal.get(job_url).content.decode()
    assert 'data-testid="export-download"' in html  # eager Celery: already written
    download = portal.get(reverse("filing:export_download", args=[int(job_url.split("/")[-2])]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and names[0].startswith("2026-01-") and names[1].startswith("2026-03-")
    book = openpyxl.load_workbook(io.BytesIO(archive.read(names[1])))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "2026-03" in cells and 203 in cells  # March's employees
    one = portal.post(reverse("filing:batch_export"), {"ids": [str(second.pk)]})
    assert one["Content-Type"].startswith("application/vnd.openxmlformats")
    other = make_enterprise("com_soft_y", "宁波别家软件有限公司")
    portal.force_login(other.filler)
    assert portal.get(job_url).status_code == 404  # a job is its creator's
    with django_capture_on_commit_callbacks(execute=True):
        response = portal.post(reverse("filing:batch_export"), {"ids": [str(first.pk), str(second.pk)]})
    job = int(response["Location"].split("/")[-2])
    assert "data-testid=\"export-download\"" in portal.get(response["Location"]).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(portal.get(reverse("filing:export_download", args=[job])).streaming_content)))
    assert archive.namelist() == []  # not its reports: nothing leaks


# -- back office -----------------------------------------------------------------------------------

def test_back_office_create_open_and_accept(client, admins, software_type, soft):
    client.force_login(admins["sme_ningbo"])
    assert '"name": "filing-tasks"' in client.get(reverse("wagtailadmin_home")).content.decode()  # the menu
    html = client.post(reverse("filing_admin:task_create"), {
        "title": "宁波软件业月报", "report_type": software_type.pk, "period": "2026-03", "issuing_region": "",
        "industry_prefix": "Q9", "due_date": "2026-02-01"}).content.decode()
    assert re.findall(r'error-message">([^<]*)<', html) == ["必需字段"]  # the issuing region
    from regions.selectors import region_by_code

    ningbo = region_by_code("330200", level=2)
    html = client.post(reverse("filing_admin:task_create"), {
        "title": "宁波软件业月报", "report_type": software_type.pk, "period": "2026-03", "issuing_region": ningbo.pk,
        "industry_prefix": "Q9", "due_date": "2026-02-01"}).content.decode()
    assert "“Q9”不是行业代码" in html and "截止日期不能早于报告期。" in html
    assert not FilingTask.objects.exists()
    response = client.post(reverse("filing_admin:task_create"), {
        "title": "宁波软件业月报", "report_type": software_type.pk, "period": "2026-03", "issuing_region": ningbo.pk,
        "industry_prefix": "I65", "requires_application": "on", "due_date": "2026-04-20"})
    task = FilingTask.objects.get()
    assert response["Location"] == reverse("filing_admin:task", args=[task.pk]) and task.level == "municipal"
    client.post(reverse("filing_admin:task_open", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "open"
    application = svc.filing_application_create(task=task, enterprise=soft, actor=soft.filler)
    html = client.get(reverse("filing_admin:applications")).content.decode()
    assert "宁波海曙示范软件有限公司" in html
    client.post(reverse("filing_admin:application_accept", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "accepted"


def test_back_office_scope(client, admins, task_factory, soft):
    provincial = task_factory("sme_zhejiang", title="浙江省软件业月报", requires_application=True)
    application = svc.filing_application_create(task=provincial, enterprise=soft, actor=soft.filler)
    client.force_login(admins["sme_ningbo"])
    assert "浙江省软件业月报" not in client.get(reverse("filing_admin:tasks")).content.decode()
    for url in (reverse("filing_admin:task", args=[provincial.pk]), reverse("filing_admin:task_edit", args=[provincial.pk])):
        assert client.get(url).status_code == 404
    for url in (reverse("filing_admin:task_close", args=[provincial.pk]),
                reverse("filing_admin:application_accept", args=[application.pk])):
        assert client.post(url).status_code == 404
    client.force_login(admins["sme_haishu"])  # a county: no menu, no pages
    assert '"name": "filing-tasks"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(reverse("filing_admin:tasks"))  # Wagtail turns PermissionDenied into a redirect home
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    client.force_login(admins["sme_zhejiang"])
    html = client.post(reverse("filing_admin:application_reject", args=[application.pk]), {"reason": ""}, follow=True).content.decode()
    assert "请填写不通过的原因。" in html
    client.post(reverse("filing_admin:application_reject", args=[application.pk]), {"reason": "非本省监测企业"})
    application.refresh_from_db()
    assert (application.status, application.reason) == ("rejected", "非本省监测企业")
    provincial.refresh_from_db()
    assert provincial.status == "open"
