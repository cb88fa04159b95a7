"""Golden tests for every rule of SPEC §5, passing and failing, by month, quarter, industry and prev."""
import copy

import pytest

from .conftest import INDUSTRIAL_ROWS, QUARTER_ROWS, context, report_answers


def codes(result, severity=None):
    return {i.code for i in result.issues if severity is None or i.severity == severity}


def test_complete_report_passes(monthly):
    result = monthly.validate(report_answers(), context())
    assert result.issues == []
    assert result.ok and not result.is_anomalous


@pytest.mark.parametrize("row", ["gross_output", "electricity", "revenue", "cost", "profit", "employees", "receivables",
                                 "overdue_receivables", "payroll_payable", "total_assets", "total_liabilities"])
def test_required_rows_block(monthly, row):
    answers = report_answers()
    del answers["ind"][row]
    result = monthly.validate(answers, context())
    assert "required" in codes(result, "error")
    assert any(row in f for i in result.errors for f in i.fields)
    assert all("is required" in i.message or "必填" in i.message or i.message for i in result.errors)


@pytest.mark.parametrize("row", ["gross_output", "export_value", "revenue", "cost", "loan_balance", "employees", "electricity",
                                 "receivables", "overdue_receivables", "fixed_investment", "total_assets", "total_liabilities",
                                 "capacity_utilization"])
def test_nonnegative_rows_block(monthly, row):
    answers = report_answers()
    answers["ind"][row]["month"] = -1
    result = monthly.validate(answers, context())
    assert "schema.minimum" in codes(result, "error")
    label = monthly.index.label(f"ind.{row}.month")
    assert any(label in i.message for i in result.errors)


def test_profit_may_be_negative(monthly):
    answers = report_answers()
    answers["ind"]["profit"] = {"month": -50.0, "ytd": -20.0, "ly_month": -1.0, "ly_ytd": 3.0}
    assert monthly.validate(answers, context()).ok


def test_industrial_rows_hidden_and_dropped_for_non_industrial(monthly):
    answers = report_answers(industrial=True)
    result = monthly.validate(answers, context(industrial=False))
    assert result.ok
    for row in INDUSTRIAL_ROWS:
        assert f"ind.{row}" in result.hidden
        assert row not in result.answers["ind"]
    # and nothing industrial is required of a non-industrial enterprise
    assert monthly.validate(report_answers(industrial=False), context(industrial=False)).issues == []


def test_industrial_rows_required_for_industrial(monthly):
    result = monthly.validate(report_answers(industrial=False), context(industrial=True))
    assert {"ind.gross_output.month", "ind.electricity.month"} <= {f for i in result.errors for f in i.fields}


@pytest.mark.parametrize("month,shown", [(2, True), (5, True), (8, True), (11, True), (12, True), (1, False), (3, False), (6, False)])
def test_quarterly_rows_by_month(monthly, month, shown):
    answers = report_answers(quarter=True)
    result = monthly.validate(answers, context(month=month, prev=False))
    for row in QUARTER_ROWS:
        assert (f"ind.{row}" not in result.hidden) is shown
        assert (row in result.answers["ind"]) is shown
    missing = monthly.validate(report_answers(quarter=False), context(month=month, prev=False))
    assert bool(missing.errors) is shown


# -- checks that need no other period: a first report is screened too (issue 22 §7) -----------
#: Non-negative flows: 1-本月 adds up months that are each ≥ 0, so it is never below 本月.
CUMULATIVE_ROWS = ["gross_output", "export_value", "electricity", "revenue", "cost", "fixed_investment"]


@pytest.mark.parametrize("row", CUMULATIVE_ROWS)
@pytest.mark.parametrize("month", [1, 5])
def test_cumulative_not_below_month_blocks_without_other_periods(monthly, row, month):
    answers = report_answers()
    first = context(month=month, prev=False)  # a first report: no approved report of any other period
    rules = {f"{row}_ytd_not_below_month", f"{row}_ly_ytd_not_below_ly_month"}
    answers["ind"][row] = {"month": 100.0, "ytd": 100.0, "ly_month": 90.0, "ly_ytd": 90.0}
    assert not rules & codes(monthly.validate(answers, first))
    answers["ind"][row] = {"month": 100.0, "ytd": 99.0, "ly_month": 90.0, "ly_ytd": 80.0}
    bad = monthly.validate(answers, first)
    if row in QUARTER_ROWS and month == 1:  # not shown in January: not checked
        assert not rules & codes(bad)
        return
    assert rules <= codes(bad, "error") and not bad.ok
    issue = next(i for i in bad.issues if i.code == f"{row}_ytd_not_below_month")
    assert set(issue.fields) == {f"ind.{row}.ytd", f"ind.{row}.month"}
    label = monthly.index.label(f"ind.{row}.month").split(" · ")[0]
    assert issue.message.startswith(label) and "本年1-本月不应小于本年本月" in issue.message
    answers["ind"][row]["ytd"] = 99.995  # within the money tolerance
    assert f"{row}_ytd_not_below_month" not in codes(monthly.validate(answers, first))


def test_cumulative_check_skips_a_blank_cell(monthly):
    answers = report_answers()
    del answers["ind"]["export_value"]["ytd"]  # optional row, 1-本月 left blank
    result = monthly.validate(answers, context(prev=False))
    assert "export_value_ytd_not_below_month" not in codes(result)
    assert "export_value_ytd_not_below_month" in result.skipped_rules


@pytest.mark.parametrize("row", ["profit", "finance_expense"])
def test_flows_that_may_be_negative_have_no_cumulative_check(monthly, row):
    answers = report_answers()
    answers["ind"][row] = {"month": 30.0, "ytd": -20.0, "ly_month": 10.0, "ly_ytd": -5.0}  # losses earlier in the year
    assert monthly.validate(answers, context(prev=False)).ok


# -- balance checks (warnings) ----------------------------------------------------------------
SUM_ROWS = ["gross_output", "export_value", "electricity"]
#: Flows whose 1-本月 is 本月 in January (the SUM_ROWS, and the flows without a monthly sum check).
JANUARY_ROWS = [*SUM_ROWS, "revenue", "cost", "profit", "finance_expense"]


@pytest.mark.parametrize("row", JANUARY_ROWS)
def test_january_month_equals_ytd(monthly, row):
    answers = report_answers(quarter=False)
    answers["ind"][row] = {"month": 100.0, "ytd": 100.0, "ly_month": 90.0, "ly_ytd": 90.0}
    ok = monthly.validate(answers, context(month=1, prev=False))
    assert not ({f"{row}_january_ytd", f"{row}_january_ly_ytd"} & codes(ok))
    answers["ind"][row] = {"month": 100.0, "ytd": 120.0, "ly_month": 90.0, "ly_ytd": 95.0}
    bad = monthly.validate(answers, context(month=1, prev=False))
    assert {f"{row}_january_ytd", f"{row}_january_ly_ytd"} <= codes(bad, "warning")
    assert bad.ok and bad.is_anomalous  # warnings never block


@pytest.mark.parametrize("row", SUM_ROWS)
def test_other_month_ytd_adds_up_with_prev(monthly, row):
    answers = report_answers()
    result = monthly.validate(answers, context(month=5))
    assert not ({f"{row}_ytd_balance", f"{row}_ly_ytd_balance"} & codes(result))
    assert f"{row}_ytd_balance" not in result.skipped_rules
    answers["ind"][row]["ytd"] = 530.0
    answers["ind"][row]["ly_ytd"] = 420.0
    bad = monthly.validate(answers, context(month=5))
    assert {f"{row}_ytd_balance", f"{row}_ly_ytd_balance"} <= codes(bad, "warning")
    skipped = monthly.validate(answers, context(month=5, prev=False))
    assert not ({f"{row}_ytd_balance", f"{row}_ly_ytd_balance"} & codes(skipped))
    assert f"{row}_ytd_balance" in skipped.skipped_rules


def test_money_tolerance(monthly):
    answers = report_answers()
    answers["ind"]["gross_output"]["ytd"] = 500.004
    assert "gross_output_ytd_balance" not in codes(monthly.validate(answers, context()))
    answers["ind"]["gross_output"]["ytd"] = 500.05
    assert "gross_output_ytd_balance" in codes(monthly.validate(answers, context()))


@pytest.mark.parametrize("row", ["revenue", "cost"])
def test_ytd_not_below_last_month(monthly, row):
    answers = report_answers()
    assert not codes(monthly.validate(answers, context()))
    answers["ind"][row]["ytd"] = 350.0
    answers["ind"][row]["ly_ytd"] = 300.0
    bad = monthly.validate(answers, context())
    assert {f"{row}_ytd_not_below_prev", f"{row}_ly_ytd_not_below_prev"} <= codes(bad, "warning")
    assert not codes(monthly.validate(answers, context(prev=False)), "warning") & {f"{row}_ytd_not_below_prev"}
    assert not codes(monthly.validate(answers, context(month=1, prev=True))) & {f"{row}_ytd_not_below_prev"}


@pytest.mark.parametrize("other", ["receivables", "finished_goods"])
@pytest.mark.parametrize("col", ["month", "ytd", "ly_month", "ly_ytd"])
def test_total_assets_above(monthly, other, col):
    answers = report_answers()
    rule = f"total_assets_above_{other}_{col}"
    assert rule not in codes(monthly.validate(answers, context()))
    answers["ind"][other][col] = answers["ind"]["total_assets"][col] + 1
    bad = monthly.validate(answers, context())
    assert rule in codes(bad, "warning")
    assert rule in codes(monthly.validate(answers, context(prev=False)), "warning")  # a first report too
    assert bad.ok and bad.is_anomalous
    issue = next(i for i in bad.issues if i.code == rule)
    assert f"ind.total_assets.{col}" in issue.fields and f"ind.{other}.{col}" in issue.fields
    # not a quarter month: 资产总计 is not shown, the check does not run
    assert rule not in codes(monthly.validate(answers, context(month=3)))


def test_finished_goods_check_skipped_for_non_industrial(monthly):
    answers = report_answers()
    answers["ind"]["finished_goods"]["ytd"] = 10 ** 9
    result = monthly.validate(answers, context(industrial=False))
    assert "total_assets_above_finished_goods_ytd" not in codes(result)


def test_last_year_checks_run_only_with_last_year(monthly):
    answers = report_answers()
    assert "revenue_ly_month_matches_last_year" in monthly.validate(answers, context()).skipped_rules
    last_year = {"ind": {"revenue": {"month": 90.0, "ytd": 400.0}, "gross_output": {"month": 90.0, "ytd": 400.0}}}
    assert not codes(monthly.validate(answers, context(last_year=last_year)))
    last_year["ind"]["revenue"]["month"] = 95.0
    assert "revenue_ly_month_matches_last_year" in codes(monthly.validate(answers, context(last_year=last_year)), "warning")


def test_computed_shares_and_growth(monthly):
    result = monthly.validate(report_answers(), context())
    assert result.answers["rd_staff_share"] == 10.0
    assert result.answers["rd_funds_share"] == 5.0
    assert result.answers["ind"]["revenue"]["ytd_growth"] == 25.0
    answers = report_answers()
    answers["employees_last_year"] = 0
    answers["ind"]["revenue"]["ly_ytd"] = 0
    result = monthly.validate(answers, context())
    assert result.answers["rd_staff_share"] is None
    assert result.answers["ind"]["revenue"]["ytd_growth"] is None


def test_rd_staff_rule_blocks(monthly):
    answers = report_answers()
    answers["rd_staff_last_year"] = 500
    assert "rd_staff_within_employees" in codes(monthly.validate(answers, context()), "error")


def test_messages_name_fields_and_translate(monthly, settings):
    from django.utils import translation

    answers = report_answers()
    answers["ind"]["revenue"]["ytd"] = 350.0
    with translation.override("en"):
        issue = next(i for i in monthly.validate(answers, context()).issues if i.code == "revenue_ytd_not_below_prev")
        assert issue.message.startswith("Operating revenue")
        assert issue.labels == ("Operating revenue · Jan to this month",)
    with translation.override("zh-hans"):
        issue = next(i for i in monthly.validate(copy.deepcopy(answers), context()).issues if i.code == "revenue_ytd_not_below_prev")
        assert issue.message.startswith("营业收入")
