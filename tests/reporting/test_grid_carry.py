"""带入上期 (issue 21 §1): the indicator grid prefills last year's columns and 本年1-本月 from APPROVED
reports only, shows them as carried, and never replaces what the clerk typed."""
import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reporting.models import Submission
from reporting.periods import month_add
from tests.reporting.test_views import management, step_data

pytestmark = pytest.mark.django_db


class Inputs(HTMLParser):
    """{name: attrs} of the page's grid inputs."""

    def __init__(self, html, prefix="ind__"):
        super().__init__()
        self.inputs, self.shown, self.prefix = {}, "", prefix
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and (attrs.get("name") or "").startswith(self.prefix):
            self.inputs[attrs["name"]] = attrs
        if tag == "input" and attrs.get("name") == "fd_carry_shown":  # the cells shown carried
            self.shown = attrs["value"]


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


@pytest.fixture
def last_year(reports, enterprise, period):
    """The approved report of the same month last year."""
    return reports.approved(enterprise, month_add(period, -12), check_window=False)


def carry_of(report_type, enterprise, period):
    from reporting.carry import grid_carry_for

    return grid_carry_for(enterprise=enterprise, report_type=report_type, period=period)


def test_carried_values_come_from_approved_reports_only(reports, report_type, enterprise, period, last_year,
                                                        django_assert_max_num_queries):
    reports.submitted(enterprise, month_add(period, -1), check_window=False)  # last month: submitted, not approved
    with django_assert_max_num_queries(3):  # the current version, the approved reports, their versions
        carry = carry_of(report_type, enterprise, period)
    revenue = last_year.answers["ind"]["revenue"]
    assert carry["ind.revenue.ly_month"].value == Decimal(str(revenue["month"]))
    assert carry["ind.revenue.ly_ytd"].value == Decimal(str(revenue["ytd"]))
    assert carry["ind.revenue.ly_month"].source == f"{month_add(period, -12):%Y-%m} 已审核"
    # 本年1-本月 needs last month's approved cumulative: last month is only submitted, so nothing.
    assert not any(path.endswith(".ytd") for path in carry)
    # This year's own figures are never carried.
    assert not any(path.endswith(".month") for path in carry)


def test_ytd_is_last_months_approved_ytd_plus_this_month(reports, report_type, enterprise, period):
    previous = reports.approved(enterprise, month_add(period, -1), check_window=False)
    carry = carry_of(report_type, enterprise, period)
    cell = carry["ind.revenue.ytd"]
    base = Decimal(str(previous.answers["ind"]["revenue"]["ytd"]))
    assert cell.base == base and cell.month == "month"
    assert cell.value_with("120.5") == base + Decimal("120.5")
    assert cell.value_with("") is None  # nothing typed in 本月 yet
    assert not any(path.endswith((".ly_month", ".ly_ytd")) for path in carry)  # no approved report last year


def test_january_ytd_equals_the_month(report_type, enterprise):
    carry = carry_of(report_type, enterprise, datetime.date(2027, 1, 1))
    cell = carry["ind.revenue.ytd"]
    assert cell.base == 0 and cell.value_with("321") == Decimal("321")




def test_the_grid_shows_carried_values_in_empty_cells_and_stores_what_the_inputs_held(
        web, reports, enterprise, period, last_year):
    previous = reports.approved(enterprise, month_add(period, -1), check_window=False)
    answers = reports.answers(enterprise, period)
    url = reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])
    response = web.get(url)
    name, _step = management(response)
    response = web.post(url, {name: "basic", **step_data(answers, "basic"), "wizard_action": "next"})
    assert management(response)[1] == "indicators"
    html = response.content.decode()
    hidden = set(re.findall(r'<tr data-fd-node="ind\.(\w+)" hidden', html))  # rows of other months
    assert "overdue_receivables" in hidden
    inputs = {n: a for n, a in Inputs(html).inputs.items() if n.split("__")[1] not in hidden}
    ly = last_year.answers["ind"]["revenue"]
    carried = inputs["ind__revenue__ly_month"]
    assert Decimal(carried["value"]) == Decimal(str(ly["month"])) and carried["data-fd-carry-unsaved"] == "1"
    assert carried["data-fd-carry-source"] == f"{month_add(period, -12):%Y-%m} 已审核"
    ytd = inputs["ind__revenue__ytd"]  # 本月 is empty: 本年1-本月 waits for it (the script adds it live)
    assert "value" not in ytd and Decimal(ytd["data-fd-carry-base"]) == Decimal(str(previous.answers["ind"]["revenue"]["ytd"]))
    assert ytd["data-fd-carry-month"] == "ind__revenue__month"
    # The clerk types this year's figures and one last-year cell of their own; the rest stays as carried.
    posted = {n: a.get("value", "") for n, a in inputs.items()}
    for row, cells in answers["ind"].items():
        for col in ("month", "ytd"):
            if f"ind__{row}__{col}" in posted:
                posted[f"ind__{row}__{col}"] = str(cells[col])
    posted["ind__cost__ly_month"] = "7"
    response = web.post(url, {name: "indicators", **posted, "wizard_action": "save"})
    stored = Submission.objects.get(enterprise=enterprise, period=period).answers["ind"]
    held = {f"ind__{row}__{col}": value for row, cells in stored.items() for col, value in cells.items()
            if f"ind__{row}__{col}" in posted}  # not the computed 累计同比
    assert held == {n: float(v) for n, v in posted.items() if v != ""}  # exactly what the inputs held
    # Shown again: the typed cell keeps 7 (no longer marked as filled by the carry) and still knows its carry for ↺.
    inputs = Inputs(web.get(url + "?step=indicators").content.decode()).inputs
    typed = inputs["ind__cost__ly_month"]
    assert Decimal(typed["value"]) == 7 and "data-fd-carry-unsaved" not in typed
    assert Decimal(typed["data-fd-carry"]) == Decimal(str(last_year.answers["ind"]["cost"]["month"]))


def test_a_carried_cell_the_clerk_cleared_stays_empty_after_reload_a_step_and_back_and_a_return(
        web, reports, enterprise, period, last_year, admins):
    """The page lists the cells it showed carried (fd_carry_shown, kept in the draft with the step); a
    listed cell posted empty was cleared by the clerk: it stays empty and still offers its carry (↺ / 采用).
    The report keeps the marks (Submission.carry_cleared) across 上报 and 退回, which drop the draft; an
    import that leaves the cell empty leaves the mark, a save that gives it a value removes it."""
    from reporting.enums import EntryMethod
    from reporting.services import report_submit
    from workflow.services import submission_return

    previous = reports.approved(enterprise, month_add(period, -1), check_window=False)
    answers = reports.answers(enterprise, period)
    url = reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])
    name, _step = management(web.get(url))
    html = web.post(url, {name: "basic", **step_data(answers, "basic"), "wizard_action": "next"}).content.decode()
    hidden = set(re.findall(r'<tr data-fd-node="ind\.(\w+)" hidden', html))
    page = Inputs(html)
    inputs = {n: a for n, a in page.inputs.items() if n.split("__")[1] not in hidden}
    assert "ind.loan_balance.ly_month" in page.shown.split()
    assert "ind.loan_balance.ytd" not in page.shown.split()  # 本月 is empty: no value shown yet
    # The script lists 本年1-本月 once it fills it from 本月 as typed.
    posted = {n: a.get("value", "") for n, a in inputs.items()} | {"fd_carry_shown": page.shown + " ind.loan_balance.ytd"}
    for row, cells in answers["ind"].items():
        for col in ("month", "ytd"):
            if f"ind__{row}__{col}" in posted:
                posted[f"ind__{row}__{col}"] = str(cells[col])
    posted["ind__loan_balance__ly_month"] = ""  # cleared: the carried last-year month
    posted["ind__loan_balance__ytd"] = ""  # cleared: 本年1-本月, though 本月 is typed
    web.post(url, {name: "indicators", **posted, "wizard_action": "save"})
    stored = Submission.objects.get(enterprise=enterprise, period=period).answers["ind"]["loan_balance"]
    assert "ly_month" not in stored and "ytd" not in stored and "ly_ytd" in stored  # 借款余额 is not required

    def shown(html):
        cells = Inputs(html).inputs
        return cells["ind__loan_balance__ly_month"], cells["ind__loan_balance__ytd"]

    ly_month, ytd = shown(web.get(url + "?step=indicators").content.decode())  # reload
    assert "value" not in ly_month and ly_month["data-fd-carry-cleared"] == "1" and "data-fd-carry-unsaved" not in ly_month
    assert Decimal(ly_month["data-fd-carry"]) == Decimal(str(last_year.answers["ind"]["loan_balance"]["month"]))  # ↺
    assert "value" not in ytd and ytd["data-fd-carry-cleared"] == "1"
    assert Decimal(ytd["data-fd-carry"]) == Decimal(str(previous.answers["ind"]["loan_balance"]["ytd"])) + Decimal(
        str(answers["ind"]["loan_balance"]["month"]))  # 采用 offers it
    # A step and back: the tab to 基本信息 keeps the step as the page holds it, 下一步 comes back.
    page = Inputs(web.get(url + "?step=indicators").content.decode())
    kept = {n: a.get("value", "") for n, a in page.inputs.items()} | {"fd_carry_shown": page.shown}
    web.post(url, {name: "indicators", **kept, "wizard_goto_step": "basic"})
    html = web.post(url, {name: "basic", **step_data(answers, "basic"), "wizard_action": "next"}).content.decode()
    ly_month, ytd = shown(html)
    assert "value" not in ly_month and "value" not in ytd and ytd["data-fd-carry-cleared"] == "1"
    submission = Submission.objects.get(enterprise=enterprise, period=period)
    assert submission.carry_cleared == ["ind.loan_balance.ly_month", "ind.loan_balance.ytd"]  # kept with the report
    # 上报, the county returns it: the draft went with 上报, the marks stay with the report.
    reports.answer_questionnaire(enterprise, period)
    submission = submission_return(submission=report_submit(submission=submission, actor=enterprise.filler),
                                   actor=admins["sme_haishu"], reason="请核对")
    assert submission.status == "returned"
    web.get(url)  # the wizard starts again at 基本信息
    ly_month, ytd = shown(web.post(url, {name: "basic", **step_data(answers, "basic"), "wizard_action": "next"})
                          .content.decode())
    assert "value" not in ly_month and ly_month["data-fd-carry-cleared"] == "1" and "data-fd-carry-unsaved" not in ly_month
    assert Decimal(ly_month["data-fd-carry"]) == Decimal(str(last_year.answers["ind"]["loan_balance"]["month"]))  # ↺
    assert "value" not in ytd and ytd["data-fd-carry-cleared"] == "1"
    # An import (or the API) that gives one cell a value removes its mark; the cell it leaves empty keeps its own.
    stored = Submission.objects.get(pk=submission.pk).answers
    stored["ind"]["loan_balance"]["ly_month"] = 5
    assert reports.save(enterprise, period, answers=stored, entry_method=EntryMethod.IMPORT).carry_cleared == [
        "ind.loan_balance.ytd"]
    ly_month, ytd = shown(web.post(url, {name: "basic", **step_data(answers, "basic"), "wizard_action": "next"})
                          .content.decode())
    assert Decimal(ly_month["value"]) == 5 and "data-fd-carry-cleared" not in ly_month
    assert "value" not in ytd and ytd["data-fd-carry-cleared"] == "1"


def test_the_sparkline_reads_the_last_approved_months_of_each_indicator(reports, report_type, enterprise, period,
                                                                        monkeypatch, django_assert_max_num_queries):
    from reporting import carry

    months = [month_add(period, -n) for n in (4, 3, 2)]
    approved = {m: reports.approved(enterprise, m, check_window=False) for m in months}
    reports.submitted(enterprise, month_add(period, -1), check_window=False)  # not approved: not shown
    monkeypatch.setattr(carry, "TREND_MONTHS", 2)  # the last 13 in production; 2 keeps the test short
    with django_assert_max_num_queries(2):  # the current version, the facts
        trends = carry.indicator_trends(enterprise=enterprise, report_type=report_type, period=period)
    assert trends["grid"] == "ind"
    revenue = trends["rows"]["revenue"]
    assert revenue["label"] == "营业收入" and revenue["unit"] == "千元"
    assert revenue["points"] == [[f"{m:%Y-%m}", approved[m].answers["ind"]["revenue"]["month"]] for m in months[1:]]


def test_the_reviewer_gets_the_sparkline_data_of_the_report_under_review(client, reports, enterprise, period, admins):
    """The county's month page of a submitted report embeds each indicator's approved months (one JSON
    block) and marks the indicator grid for the script."""
    import json

    earlier = reports.approved(enterprise, month_add(period, -1), check_window=False)
    submission = reports.submitted(enterprise, period)
    client.force_login(admins["sme_haishu"])
    html = client.get(reverse("workflow_review:month", args=[enterprise.pk, f"{period:%Y-%m}"]),
                      follow=True).content.decode()
    assert 'data-fd-grid="ind"' in html and "formdefs/grid_carry" in html
    data = json.loads(re.search(r'<script id="fd-trends" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["rows"]["revenue"]["points"] == [[f"{earlier.period:%Y-%m}", earlier.answers["ind"]["revenue"]["month"]]]
    assert submission.status == "pending"  # under review: its own month is not among the approved ones
