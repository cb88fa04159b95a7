"""退回 with the cells in question (有疑问, issue 21 §3): the reviewer ticks cells, the return records them,
the enterprise sees them marked in the wizard and listed on the report's page, the SMS links to the first,
and the resubmitted report's review page says which of them changed."""
import pytest
from django.urls import reverse

from accounts.models import SmsMessage
from reporting.enums import SubmissionStatus as S
from reporting.services import report_submit
from workflow import review_values, services as wf
from workflow.enums import Action
from workflow.models import ReviewEvent
from workflow.transitions import TransitionRefused

pytestmark = pytest.mark.django_db

REVENUE = "ind.revenue.month"


def _month_url(enterprise, period):
    return reverse("workflow_review:month", args=[enterprise.pk, f"{period:%Y-%m}"])


def test_the_review_page_ticks_are_stored_with_the_return_and_an_unknown_cell_changes_nothing(
        client, reports, enterprise, period, admins):
    submission = reports.submitted(enterprise, period)
    client.force_login(admins["sme_haishu"])
    html = client.get(_month_url(enterprise, period)).content.decode()
    assert 'id="wf-return"' in html and f'form="wf-return" name="flagged" value="{REVENUE}"' in html
    assert "有疑问" in html

    url = reverse("workflow_review:return", args=[submission.pk])
    response = client.post(url, {"reason": "营业收入请核实", "flagged": [REVENUE, "ind.nosuch.month"]})
    assert response.status_code == 200 and "“ind.nosuch.month”不是本报表的单元格，不能标记。" in response.content.decode()
    with pytest.raises(TransitionRefused, match="ind.nosuch.month"):  # the service refuses it too (API, imports)
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="请核实",
                             flagged_fields=["ind.nosuch.month"])
    submission.refresh_from_db()
    assert submission.status == S.PENDING and not ReviewEvent.objects.filter(action=Action.RETURN).exists()

    first = next(iter(review_values.flaggable_cells(submission.version)))  # a single field before the grid
    response = client.post(url, {"reason": "营业收入请核实", "flagged": [REVENUE, first],
                                 "next": _month_url(enterprise, period)})
    assert response.status_code == 302
    event = ReviewEvent.objects.get(submission=submission, action=Action.RETURN)
    assert event.flagged_fields == [first, REVENUE]  # in the definition's order
    submission.refresh_from_db()
    assert review_values.return_flags(submission) == [first, REVENUE]


def test_the_sms_links_to_the_first_flagged_cells_step(reports, enterprise, period, admins, sms_outbox, settings,
                                                        django_capture_on_commit_callbacks):
    settings.WAGTAILADMIN_BASE_URL = "https://sme.example.gov.cn/"
    submission = reports.submitted(enterprise, period)
    cell = review_values.flaggable_cells(submission.version)[REVENUE]
    before = SmsMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="营业收入请核实",
                             flagged_fields=[REVENUE])
    [sms] = SmsMessage.objects.all()[before:]
    fill = reverse("reporting:fill", args=[reports.report_type.key, f"{period:%Y-%m}"])
    assert sms.text.endswith(f"https://sme.example.gov.cn{fill}?step={cell.step}#id_ind__revenue__month")
    assert len(sms.text.rsplit("：", 1)[1]) < 100  # a path and one short parameter, no long query string


def test_the_clerk_sees_the_marks_while_returned_and_not_after_the_next_return(client, reports, enterprise, period,
                                                                               admins):
    submission = reports.submitted(enterprise, period)
    cell = review_values.flaggable_cells(submission.version)[REVENUE]
    wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="营业收入请核实",
                         flagged_fields=[REVENUE])
    client.force_login(enterprise.filler)
    fill = reverse("reporting:fill", args=[reports.report_type.key, f"{period:%Y-%m}"])
    wizard_link = f"{fill}?step={cell.step}#id_ind__revenue__month"

    detail = client.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    assert 'data-testid="flagged-list"' in detail and "审核人要求核实的单元格" in detail
    assert f'href="{wizard_link}"'.replace("&", "&amp;") in detail and "营业收入 · 本年本月" in detail

    html = client.get(f"{fill}?step={cell.step}").content.decode()  # a fresh draft: the step still opens
    assert 'id="rp-flagged"' in html and '["ind__revenue__month"]' in html and "审核人标记：请核实" in html
    assert 'name="ind__revenue__month"' in html

    # Resubmitted, then returned again without cells: the old marks are gone with the old return.
    submission.refresh_from_db()
    submission = report_submit(submission=submission, actor=enterprise.filler)
    assert review_values.return_flags(submission) == []
    client.force_login(admins["sme_haishu"])
    review = client.get(_month_url(enterprise, period)).content.decode()
    assert 'data-testid="flagged-since"' in review and f'data-path="{REVENUE}"' in review and "未修改" in review
    wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="其他问题")
    client.force_login(enterprise.filler)
    assert "rp-flagged" not in client.get(f"{fill}?step={cell.step}").content.decode()
    assert 'data-testid="flagged-list"' not in client.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
