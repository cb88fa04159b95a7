"""The review page's 上月 / 上年 beside each month value and the changes since a return
(workflow.review_values, shown by the enterprise month view)."""
import pytest
from django.urls import reverse

from formdefs.types.base import number_text
from reporting.periods import month_add
from workflow import review_values, selectors, services as wf
from workflow.enums import Action
from workflow.models import ReviewEvent

pytestmark = pytest.mark.django_db


def _month(answers, row="revenue"):
    return answers["ind"][row]["month"]


def test_last_month_and_last_year_come_from_approved_reports_only(reports, enterprise, period, admins,
                                                                  django_assert_num_queries):
    last_month = reports.approved(enterprise, month_add(period, -1), answers=reports.answers(enterprise, month_add(period, -1), scale=0.8))
    last_year = reports.submitted(enterprise, month_add(period, -12))  # pending: not approved yet
    reports.submitted(enterprise, period)
    current = selectors.review_submission(enterprise=enterprise, report_type=reports.report_type, period=period)
    with django_assert_num_queries(1):  # the page's report comes with its version and type
        comparison = review_values.value_comparison(current)
    revenue = comparison.rows["revenue"]
    before, now = _month(last_month.answers), _month(current.answers)
    assert revenue.last_period == number_text(before)
    assert revenue.last_period_change == f"{(now - before) / abs(before) * 100:+.1f}%"
    assert revenue.last_year == "" and revenue.last_year_change == ""  # the pending report does not count
    assert comparison.last_period == month_add(period, -1) and comparison.last_year == month_add(period, -12)

    while last_year.status == "pending":
        last_year = wf.submission_receive(submission=last_year, actor=last_year.holder.user)
    revenue = review_values.value_comparison(current).rows["revenue"]
    assert revenue.last_year == number_text(_month(last_year.answers))


def test_the_review_page_shows_last_month_and_last_year_beside_the_values(client, reports, enterprise, period, admins):
    previous = reports.approved(enterprise, month_add(period, -1))
    current = reports.submitted(enterprise, period)
    client.force_login(admins["sme_haishu"])
    html = client.get(reverse("workflow_review:month", args=[enterprise.pk, f"{period:%Y-%m}"])).content.decode()
    assert 'data-testid="compare-head"' in html and "上月" in html and "上年" in html
    assert f'<td class="wf-num wf-compare" data-testid="last-period">{number_text(_month(previous.answers))}' in html
    assert current.status == "pending"
    # 「经济指标」 once (the step's heading, not repeated as the grid's title); it names the grid
    import re

    headings = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)
    assert headings.count("经济指标") == 1 and headings.count("产品产销存") == 1, headings
    for table in re.findall(r'<table class="listing wf-grid"[^>]*>', html):
        target = re.search(r'aria-labelledby="([^"]+)"', table).group(1)
        assert re.search(rf'<h[23] id="{target}">(经济指标|产品产销存)</h[23]>', html), table


def _returned_and_resubmitted(reports, enterprise, period, admins, change):
    submission = reports.submitted(enterprise, period)
    old = submission.answers
    submission = wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="营业收入有误，请核实。")
    answers = reports.answers(enterprise, period)
    change(answers)
    reports.save(enterprise, period, answers=answers)
    from reporting.services import report_submit

    submission.refresh_from_db()
    return old, report_submit(submission=submission, actor=enterprise.filler)


def test_the_return_keeps_the_answers_and_the_resubmission_shows_what_changed(reports, enterprise, period, admins):
    def change(answers):
        answers["ind"]["revenue"]["ytd"] = answers["ind"]["revenue"]["ytd"] + 10

    old, resubmitted = _returned_and_resubmitted(reports, enterprise, period, admins, change)
    event = ReviewEvent.objects.get(submission=resubmitted, action=Action.RETURN)
    assert event.answers["ind"] == old["ind"]
    since = review_values.changes_since_return(resubmitted, selectors.submission_events(resubmitted))
    assert [(c.label, c.column, c.old, c.new) for c in since.cells] == [
        ("营业收入", "本年1-本月", number_text(old["ind"]["revenue"]["ytd"]), number_text(old["ind"]["revenue"]["ytd"] + 10))]
    assert since.rows == {("ind", "revenue")} and since.reason == "营业收入有误，请核实。"


def test_no_panel_before_the_resubmission_nor_for_a_report_never_returned(reports, enterprise, period, admins):
    submission = reports.submitted(enterprise, period)
    assert review_values.changes_since_return(submission, selectors.submission_events(submission)) is None
    wf.submission_return(submission=submission, actor=admins["sme_haishu"], reason="请核实。")
    assert review_values.changes_since_return(submission, selectors.submission_events(submission)) is None


def test_the_review_page_lists_the_changes_with_the_only_changes_toggle(client, reports, enterprise, period, admins):
    def change(answers):
        answers["ind"]["revenue"]["ytd"] = answers["ind"]["revenue"]["ytd"] + 10

    _old, _resubmitted = _returned_and_resubmitted(reports, enterprise, period, admins, change)
    client.force_login(admins["sme_haishu"])
    html = client.get(reverse("workflow_review:month", args=[enterprise.pk, f"{period:%Y-%m}"])).content.decode()
    assert 'data-testid="since-return"' in html and "自退回以来的修改" in html and "只看修改" in html
    assert html.count('data-testid="changed-cell"') == 1 and "营业收入 · 本年1-本月" in html
    assert html.count('class="wf-row-changed"') == 1 and '<tr data-row="revenue" class="wf-row-changed">' in html
