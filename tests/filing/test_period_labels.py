"""A quarterly report is compared with, shown as and stepped through by quarters: its rule context's
`prev` is the previous quarter, and the portal, print, review and audit pages say 2026年第3季度, not 2026-09."""
import datetime
import re

import pytest
from django.urls import reverse

from filing import services as svc
from reporting.models import ReportType
from reporting.selectors import report_rule_context
from reporting.services import ReportRefused, report_save
from workflow.services import submission_receive

from .conftest import software_answers

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def quarterly(software_type):
    return ReportType.objects.create(key="software_quarterly", title="软件业季报", frequency="quarterly",
                                     definition=software_type.definition, by_task_only=True)


@pytest.fixture
def quarter_report(quarterly, task_factory, soft):
    """A factory: the enterprise's report of a quarter, submitted (pending at sme_haishu) or approved."""

    def make(period: D, *, approve=False, **answers):
        task = task_factory(title="软件业季报", report_type=quarterly, period=period,
                            due_date=D(2026, 12, 20))
        svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(**answers), actor=soft.filler)
        submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
        while approve and submission.status == "pending":
            submission = submission_receive(submission=submission, actor=submission.holder.user)
        return submission

    return make


def test_the_rule_context_of_a_quarter_holds_the_previous_quarter(quarterly, quarter_report, soft):
    second = quarter_report(D(2026, 6, 1), approve=True, employees=206)
    context = report_rule_context(report_type=quarterly, enterprise=soft, period=D(2026, 9, 1))
    assert context.prev == second.answers and context.prev["employees"] == 206
    assert context.last_year is None  # 2025 Q3 was never filed
    assert report_rule_context(report_type=quarterly, enterprise=soft, period=D(2026, 12, 1)).prev is None


def test_a_period_not_open_is_named_by_its_label(quarterly, soft):
    with pytest.raises(ReportRefused) as refused:
        report_save(report_type=quarterly, enterprise=soft, period=D(2030, 9, 1), answers=software_answers(),
                    actor=soft.filler)
    assert refused.value.messages == ["2030年第3季度不在可报送期内。"]


def test_portal_pages_show_the_quarter(client, quarter_report, soft):
    submission = quarter_report(D(2026, 9, 1))
    client.force_login(soft.filler)
    for name in ("filing:report", "reporting:detail", "reporting:print"):
        html = client.get(reverse(name, args=[submission.pk])).content.decode()
        assert "2026年第3季度" in html and "2026-09" not in html, name


def test_review_pages_step_by_quarter_and_show_its_label(client, admins, quarterly, quarter_report, soft):
    submission = quarter_report(D(2026, 9, 1))
    client.force_login(admins["sme_haishu"])
    html = client.get(reverse("workflow_review:list"), {"report_type": quarterly.pk, "month": "2026-09"}).content.decode()
    assert re.search(r'class="wf-count">2026年第3季度：', html)
    links = re.findall(rf'/admin/review/enterprise/{soft.pk}/([0-9-]+)/', html)
    assert links == ["2026-09", "2026-09", "2026-06"]  # the name, 本期 and 上期: this quarter and the previous one
    assert ">本期</a>" in html and ">上期</a>" in html and ">本月<" not in html and ">上月<" not in html
    assert re.search(r"<label[^>]*>\s*报告期\s*</label>", html)  # the drawer's period field

    month = reverse("workflow_review:month", args=[soft.pk, "2026-09"])
    html = client.get(month, {"report_type": quarterly.pk}).content.decode()
    assert "← 2026年第2季度" in html and "<strong>2026年第3季度</strong>" in html and "2026年第4季度 →" in html
    assert re.findall(rf'/admin/review/enterprise/{soft.pk}/([0-9-]+)/', html)[:2] == ["2026-06", "2026-12"]

    html = client.get(reverse("workflow_review:return", args=[submission.pk])).content.decode()
    assert "<dd>2026年第3季度</dd>" in html
    html = client.get(reverse("workflow_review:audit")).content.decode()
    assert re.search(r'class="wf-nowrap">2026年第3季度</td>', html)


def test_a_month_that_is_not_a_quarter_reads_as_the_month(client, admins, quarterly, soft):
    client.force_login(admins["sme_haishu"])
    html = client.get(reverse("workflow_review:list"), {"report_type": quarterly.pk, "month": "2026-08"}).content.decode()
    assert re.search(r'class="wf-count">2026年08月：', html)
