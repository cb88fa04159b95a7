"""The batch export's page uses the shared progress block (ops/_task_progress.html): it polls while the
job runs, counts reports, and shows the download or the reason it failed."""
import datetime

import pytest
from django.urls import reverse

from filing import services as svc
from ops.task_base import task_advance, task_fail, task_start

from .conftest import software_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(client, task_factory, soft):
    """A queued batch export of two reports (its Celery task waits for a commit that never comes)."""
    from exports.models import ExportJob

    ids = []
    for month in (1, 2):
        task = task_factory(title=f"{month}月软件业月报", period=datetime.date(2026, month, 1))
        ids.append(str(svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(),
                                              actor=soft.filler).pk))
    client.force_login(soft.filler)
    response = client.post(reverse("filing:batch_export"), {"ids": ids})
    return ExportJob.objects.get(pk=int(response["Location"].split("/")[-2]))


def test_the_page_and_its_poll_show_the_shared_block(client, job):
    url = reverse("filing:export_job", args=[job.pk])
    task_start(job, total=2)
    task_advance(job, processed=1)
    page = client.get(url).content.decode()
    poll = client.get(url, headers={"HX-Request": "true"}).content.decode()
    for html in (page, poll):
        assert 'id="export-progress"' in html and f'hx-get="{url}"' in html
        assert 'data-testid="export-percent">50%' in html and "1 / 2 份报表" in html
    assert "<h1>" not in poll  # the poll answers with the block alone


def test_a_failed_export_says_why_and_stops_polling(client, job):
    task_fail(job, message="工作簿写入失败")
    html = client.get(reverse("filing:export_job", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="export-message">工作簿写入失败' in html and "hx-get" not in html
    assert 'data-status="failed"' in html
