"""The shipped software and IT services monthly report: it passes the definition checks and each of
its rules (every severity, cross-field sums, the "at least one of" rule) fires when broken and only then."""
import json
from pathlib import Path

import pytest

from formdefs.engine import RuleContext
from formdefs.engine.checks import definition_check
from formdefs.engine.compiler import compile_document

PATH = Path(__file__).resolve().parents[2] / "formdefs" / "definitions" / "software_monthly_report.json"
DOCUMENT = json.loads(PATH.read_text(encoding="utf-8"))
NATIONAL = {"software_profit_margin_national": 15.8}  # 参考值 of the year: the margin band is −15.8 … 47.4 %
MARCH = RuleContext(enterprise={"industrial": False, "section": "I", "industry": "I6513"}, period={"year": 2026, "month": 3},
                    ref=NATIONAL)


def software_answers(**changes) -> dict:
    """Answers that pass every rule (March, with February's approved report)."""
    rev = {row: {"month": m, "ytd": y, "ly_ytd": ly} for row, m, y, ly in (
        ("products", 100.0, 300.0, 250.0), ("services", 200.0, 600.0, 500.0), ("security", 30.0, 90.0, 80.0),
        ("embedded", 20.0, 60.0, 50.0), ("total", 350.0, 1050.0, 880.0))}
    exp = {"products": {"month": 10.0, "ytd": 30.0}, "services": {"month": 20.0, "ytd": 60.0},
           "security": {"month": 0.0, "ytd": 0.0}, "embedded": {"month": 0.0, "ytd": 0.0},
           "outsourcing": {"month": 25.0, "ytd": 75.0}, "other": {"month": 5.0, "ytd": 15.0}}
    answers = {"rev": rev, "exp": exp, "main_revenue": 1500.0, "profit": 150.0, "rd_expense": 80.0,
               "employees": 120, "staff_master": 30, "staff_bachelor": 70, "staff_other": 20}
    answers.update(changes)
    return answers


def codes(answers, context=MARCH, prev=True):
    if prev:
        context = RuleContext(enterprise=context.enterprise, period=context.period, ref=context.ref,
                              prev={"rev": {"total": {"ytd": 700.0}}})
    result = compile_document(DOCUMENT).validate(answers, context)
    return {(i.code, i.severity) for i in result.issues}


def test_the_definition_passes_the_checks_and_has_every_severity():
    assert definition_check(DOCUMENT) == []
    assert {r["severity"] for r in DOCUMENT["rules"]} == {"error", "warning", "severe"}


def test_valid_answers_raise_nothing_and_compute_the_shares():
    result = compile_document(DOCUMENT).validate(software_answers(), RuleContext(
        enterprise=MARCH.enterprise, period=MARCH.period, prev={"rev": {"total": {"ytd": 700.0}}}))
    assert result.issues == []
    assert result.answers["software_share"] == 70.0 and result.answers["profit_margin"] == pytest.approx(14.29, abs=0.01)
    assert result.answers["rev"]["total"]["growth"] == pytest.approx(19.32, abs=0.01)


def test_revenue_categories_must_add_up_to_the_total():
    answers = software_answers()
    answers["rev"]["total"]["month"] = 351.0
    assert codes(answers) == {("rev_total_month_sum", "error"), ("rev_ytd_balance", "warning")}
    answers = software_answers()
    answers["rev"]["embedded"]["ytd"] = 61.0
    assert ("rev_total_ytd_sum", "error") in codes(answers)


def test_year_to_date_and_education_errors():
    answers = software_answers()
    for row in answers["rev"].values():
        row["month"] = row["ytd"] + 1.0
    assert ("rev_ytd_not_below_month", "error") in codes(answers)
    assert codes(software_answers(staff_other=21)) == {("staff_education_within_total", "error")}


def test_balance_warnings_need_last_months_approved_report():
    answers = software_answers()
    answers["rev"]["products"]["ytd"], answers["rev"]["total"]["ytd"] = 1000.0, 1750.0  # 1750 ≠ 350 + 700
    assert codes(answers, prev=False) == set()  # no approved February: the balance check is skipped
    assert codes(answers) == {("rev_ytd_balance", "warning")}
    january = RuleContext(enterprise=MARCH.enterprise, period={"year": 2026, "month": 1})
    assert codes(software_answers(), context=january, prev=False) == {("rev_january_ytd", "warning")}
    exports = software_answers()
    exports["exp"]["products"]["ytd"] = 1000.0
    exports["exp"]["other"]["ytd"] = 985.0
    assert codes(exports) == {("export_within_revenue", "warning")}


def test_severe_warnings_of_the_manual():
    exports = software_answers()
    exports["exp"]["other"]["ytd"] = 16.0  # 30 + 60 ≠ 75 + 16
    assert codes(exports) == {("export_categories_match", "severe")}
    assert codes(software_answers(profit=600.0)) == {("profit_margin_near_national", "severe")}  # 57 %
    assert codes(software_answers(profit=-200.0)) == {("profit_margin_near_national", "severe")}  # -19 %
    assert codes(software_answers(profit=-150.0)) == set()  # -14.3 % is within the band
    assert codes(software_answers(main_revenue=4000.0)) == {("software_share_for_statistics", "severe")}  # 26 %


def test_the_margin_band_follows_the_years_national_average_and_skips_without_one():
    """The band is the 参考值 of the report's year ± 200 %, not a number written into the rule."""
    high = software_answers(profit=600.0)  # 57 %
    with_30 = RuleContext(enterprise=MARCH.enterprise, period=MARCH.period, ref={"software_profit_margin_national": 30.0})
    assert codes(high, context=with_30) == set()  # band −30 … 90 %
    assert codes(software_answers(profit=-200.0), context=with_30) == set()  # −19 % is within it
    without = RuleContext(enterprise=MARCH.enterprise, period=MARCH.period, ref={})
    assert codes(high, context=without) == set()  # no value stored for the year: the rule is skipped


def test_at_least_one_of_the_two_education_levels():
    answers = software_answers()
    del answers["staff_master"], answers["staff_bachelor"]
    assert codes(answers) == {("education_at_least_one", "severe")}
    del answers["staff_other"]
    assert codes(answers) == {("education_at_least_one", "severe")}
    answers["staff_bachelor"] = 0
    assert codes(answers) == set()


def test_exports_are_optional():
    answers = software_answers()
    del answers["exp"]
    assert codes(answers) == set()
