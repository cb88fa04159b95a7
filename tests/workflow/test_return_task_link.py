"""退回通知 of a report filled through tasks only links to the report's own task, not to any task of its type
and period (issue 21 §3): a municipal and a provincial task of the same type and month, the report filed
through the provincial one."""
import pytest
from django.urls import reverse

from accounts.models import SmsMessage
from filing import services as svc
from workflow import services as wf
from tests.filing.conftest import period, soft, software_answers, software_type, task_factory  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_sms_of_a_task_report_links_to_the_task_it_was_filed_through(task_factory, soft, admins, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = "https://sme.example.gov.cn"
    municipal = task_factory("sme_ningbo", title="宁波市软件业月报")
    provincial = task_factory("sme_zhejiang")
    assert municipal.pk < provincial.pk
    svc.filing_report_save(task=provincial, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=provincial, enterprise=soft, actor=soft.filler)
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="软件业务收入分类合计不符")
    [sms] = SmsMessage.objects.all()[before:]
    assert sms.text.endswith("https://sme.example.gov.cn" + reverse("filing:submit", args=[provincial.pk]))
