"""带入上期 on the other report types (issue 21 §1): the Shanghai report (期末数 columns, a change of form
between last year and this year) and the software report (filled through a task, 软件业务收入合计 and the
growth column computed from carried cells). Approved history first, then the wizard shows and stores."""
import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import Submission
from reporting.periods import month_add, period_current
from tests.reporting.test_grid_carry import Inputs

pytestmark = pytest.mark.django_db


def approve(submission):
    from workflow.services import submission_receive

    while submission.status == "pending":
        submission = submission_receive(submission=submission, actor=submission.holder.user)
    assert submission.status == "approved"
    return submission


def d(value) -> Decimal:
    return Decimal(str(value))


def grid_inputs(response, grid: str) -> dict:
    """{name: attrs} of one grid's inputs on a wizard page."""
    return {n: a for n, a in Inputs(response.content.decode(), prefix=f"{grid}__").inputs.items()}


def step_name(response) -> str:
    return re.search(r'name="([^"]+-current_step)"', response.content.decode()).group(1)


def test_shanghai_carries_last_years_end_columns_across_the_change_of_form(client, demo_core):
    from reporting import demo_shanghai
    from reporting.services import report_save, report_submit

    report_type = demo_shanghai.shanghai_report_type()
    company = demo_shanghai._demo_enterprise([])
    versions = demo_shanghai.shanghai_versions()
    period = period_current(report_type)
    last_year, previous = month_add(period, -12), month_add(period, -1)
    history = {}
    for month, number in ((last_year, 1), (previous, 2)):  # last year in the 2020 form, last month in the 2021 form
        answers = demo_shanghai.shanghai_answers(version=versions[number], period=month, scale=0.9 if number == 1 else 1)
        submission = report_save(report_type=report_type, enterprise=company, period=month, answers=answers,
                                 version=versions[number], actor=company.filler, check_window=False)
        history[month] = approve(report_submit(submission=submission, actor=company.filler)).answers["ind"]

    client.force_login(company.filler)
    url = reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])
    page = client.get(url)
    inputs = grid_inputs(page, "ind")  # the grid is the first step
    carried = {n: a for n, a in inputs.items() if "data-fd-carry-source" in a}
    ly, prev = history[last_year], history[previous]
    ly_source, prev_source = f"{last_year:%Y-%m} 已审核", f"{previous:%Y-%m} 已审核"
    # Last year's columns: 当月 / 累计 / 期末数 of the 2020 form's same rows; rows the 2020 form lacked carry nothing.
    expected = {f"ind__{row}__{col}_ly": ly[row][col] for row, col in (
        ("revenue", "month"), ("revenue", "ytd"), ("profit", "month"), ("profit", "ytd"), ("rd_expense", "month"),
        ("rd_expense", "ytd"), ("patents", "month"), ("patents", "ytd"), ("cost", "ytd"), ("finance_expense", "ytd"),
        ("taxes_payable", "end"), ("loan_balance", "end"), ("notes_receivable", "end"), ("employees", "end"))}
    for name, value in expected.items():
        cell = carried.pop(name)
        assert d(cell["value"]) == d(value) and cell["data-fd-carry-source"] == ly_source, name
        assert cell["data-fd-carry-unsaved"] == "1"
    assert "ind__payables__end_ly" not in carried and "ind__overdue_payables__end_ly" not in carried
    # 本年1-本月: last month's approved cumulative + 本月, only on rows with a 当月 column (not 营业成本).
    assert set(carried) == {f"ind__{row}__ytd" for row in ("revenue", "profit", "rd_expense", "patents")}
    for name, cell in carried.items():
        row = name.split("__")[1]
        assert d(cell["data-fd-carry-base"]) == d(prev[row]["ytd"]) and cell["data-fd-carry-source"] == prev_source
        assert "value" not in cell and cell["data-fd-carry-month"] == f"ind__{row}__month"
    # This month's own figures (当月, 期末数) are never carried.
    assert not any(a.get("data-fd-carry-source") for n, a in inputs.items() if n.endswith(("__month", "__end")))

    # Saved as the page holds it (本年1-本月 as the script computes it): the carried cells are stored.
    this = demo_shanghai.shanghai_answers(version=versions[2], period=period)["ind"]
    posted = {n: a.get("value", "") for n, a in inputs.items()}
    for row, cells in this.items():
        for col in ("month", "end"):
            if f"ind__{row}__{col}" in posted:
                posted[f"ind__{row}__{col}"] = str(cells[col])
        if f"ind__{row}__ytd" in carried:
            posted[f"ind__{row}__ytd"] = str(d(prev[row]["ytd"]) + d(cells["month"]))
        elif f"ind__{row}__ytd" in posted:
            posted[f"ind__{row}__ytd"] = str(cells["ytd"])
    client.post(url, {step_name(page): "monitoring", **posted, "wizard_action": "save"})
    stored = Submission.objects.get(report_type=report_type, enterprise=company, period=period).answers["ind"]
    assert stored["employees"]["end_ly"] == ly["employees"]["end"] and stored["loan_balance"]["end_ly"] == ly["loan_balance"]["end"]
    assert d(stored["revenue"]["ytd"]) == d(prev["revenue"]["ytd"]) + d(this["revenue"]["month"])


def software_scaled(factor: float) -> dict:
    """Software answers passing every rule, every amount × `factor` (the sums and shares stay true)."""
    from tests.filing.test_software_definition import software_answers

    answers = software_answers()
    for grid in ("rev", "exp"):
        answers[grid] = {row: {col: round(v * factor, 2) for col, v in cells.items()} for row, cells in answers[grid].items()}
    for key in ("main_revenue", "profit", "rd_expense"):
        answers[key] = round(answers[key] * factor, 2)
    return answers


def test_the_software_task_report_carries_and_its_sums_and_growth_hold(client, demo_core, admins):
    """The software report is filled through a task (filing.owners.TaskReportOwner): it carries too."""
    from accounts.models import AdministratorProfile
    from filing import services as filing
    from filing.demo import software_report_type
    from tests.filing.conftest import make_enterprise

    report_type = software_report_type()
    soft = make_enterprise("com_soft_carry", "宁波海曙带入软件有限公司")
    province = AdministratorProfile.objects.select_related("region").get(user__username="sme_zhejiang").region

    def task(period):
        made = filing.filing_task_create(actor=admins["sme_zhejiang"], title=f"软件业月报{period:%Y-%m}",
                                         report_type=report_type, period=period, issuing_region=province,
                                         due_date=period.replace(day=20), industry_prefix="I65")
        return filing.filing_task_open(task=made, actor=admins["sme_zhejiang"])

    period = datetime.date(2026, 3, 1)
    last_year, previous = month_add(period, -12), month_add(period, -1)
    history = {}
    for month, factor in ((last_year, 0.8), (previous, 0.6)):
        done = task(month)
        filing.filing_report_save(task=done, enterprise=soft, answers=software_scaled(factor), actor=soft.filler)
        history[month] = approve(filing.filing_report_submit(task=done, enterprise=soft, actor=soft.filler)).answers["rev"]

    client.force_login(soft.filler)
    url = reverse("filing:fill", args=[task(period).pk])
    page = client.get(url)
    inputs = grid_inputs(page, "rev")
    rows = ("products", "services", "security", "embedded", "total")
    for row in rows:
        ly = inputs[f"rev__{row}__ly_ytd"]
        assert d(ly["value"]) == d(history[last_year][row]["ytd"]) and ly["data-fd-carry-source"] == f"{last_year:%Y-%m} 已审核"
        ytd = inputs[f"rev__{row}__ytd"]
        assert d(ytd["data-fd-carry-base"]) == d(history[previous][row]["ytd"])
        assert ytd["data-fd-carry-source"] == f"{previous:%Y-%m} 已审核"
        assert "data-fd-carry-source" not in inputs[f"rev__{row}__month"]
    # 软件业务收入合计 carried = the sum of its parts carried (last year's report added up).
    assert sum(d(inputs[f"rev__{row}__ly_ytd"]["value"]) for row in rows[:-1]) == d(inputs["rev__total__ly_ytd"]["value"])

    # This month typed, 本年1-本月 as the script computes it (last month's + 本月), the rest as carried.
    this = software_scaled(1)["rev"]
    posted = {n: a.get("value", "") for n, a in inputs.items()}
    for row in rows:
        posted[f"rev__{row}__month"] = str(this[row]["month"])
        posted[f"rev__{row}__ytd"] = str(d(history[previous][row]["ytd"]) + d(this[row]["month"]))
    page = client.post(url, {step_name(page): "sw_revenue_step", **posted, "wizard_action": "save"})
    stored = Submission.objects.get(report_type=report_type, enterprise=soft, period=period)
    rev = stored.answers["rev"]
    assert d(rev["total"]["ytd"]) == sum(d(rev[row]["ytd"]) for row in rows[:-1])  # the sum holds (rev_total_ytd_sum)
    assert rev["total"]["ly_ytd"] == history[last_year]["total"]["ytd"]
    growth = (d(rev["total"]["ytd"]) - d(rev["total"]["ly_ytd"])) / d(rev["total"]["ly_ytd"]) * 100
    assert rev["total"]["growth"] == pytest.approx(float(growth), abs=0.01)  # 累计增长 from the carried 上年同期
    assert not {i["code"] for i in stored.issues} & {"rev_total_ytd_sum", "rev_ytd_balance", "rev_total_month_sum"}
