"""退回通知 of a task's report: returned through the same workflow service, its SMS links to the task's 上报 page."""
import pytest
from django.urls import reverse

from accounts.models import SmsMessage
from filing import services as svc
from workflow import services as wf

from .conftest import software_answers

pytestmark = pytest.mark.django_db


def test_a_returned_task_report_sms_links_to_its_task(task_factory, soft, admins, settings,
                                                      django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = "https://sme.example.gov.cn"
    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="软件业务收入分类合计不符")
    [sms] = SmsMessage.objects.all()[before:]
    assert sms.mobile == soft.filler.mobile
    assert "2026年3月的软件和信息技术服务业企业月报已被退回，原因：软件业务收入分类合计不符。" in sms.text
    assert sms.text.endswith("https://sme.example.gov.cn" + reverse("filing:submit", args=[task.pk]))


def test_the_flagged_cells_link_opens_the_tasks_wizard_at_the_cells_step_with_its_mark(task_factory, soft, admins,
                                                                                       client):
    """The filing wizard opens only steps its draft has reached; the returned report's flagged-cell link
    (`filing:fill?step=`) opens the cell's step even in a fresh session, the cell marked there."""
    from workflow import review_values
    from workflow.notifications import flagged_cell_path

    task = task_factory()
    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    cells = list(review_values.flaggable_cells(submission.version).values())
    first_step = cells[0].step
    cell = next(c for c in cells if c.step != first_step)  # a cell beyond step 1
    wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="请核实", flagged_fields=[cell.path])
    url = flagged_cell_path(submission, cell)
    assert url.startswith(reverse("filing:fill", args=[task.pk]) + f"?step={cell.step}#")
    client.force_login(soft.filler)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["wizard"]["steps"].current == cell.step
    assert f'id="{cell.anchor}"' in html and 'data-testid="flagged-list"' in html
    assert response.context["flagged_names"] == [cell.input_name] and "reporting/flags.js" in html
