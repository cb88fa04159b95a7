"""The shipped software and IT services annual report (seed 004): it passes `formdef check`, and each of
its rules fires on a failing answer and not on a passing one — the seed's 严重警告 (severity `severe`),
among them the profit-margin band around the national average kept as data (`ref`) and the ratio of
two tables, plus the blocking sums."""
import copy
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from formdefs.engine import RuleContext
from formdefs.engine.checks import definition_check
from formdefs.engine.compiler import compile_document

PATH = Path(__file__).resolve().parents[2] / "formdefs" / "definitions" / "software_annual_report.json"
DOCUMENT = json.loads(PATH.read_text(encoding="utf-8"))
NATIONAL = {"software_profit_margin_national": 15.8}
EXPORT_ROWS = ["products", "basic_software", "support_software", "platform_software", "application_software",
               "services", "security", "embedded"]


def annual_answers(**changes) -> dict:
    """Answers that pass every rule: margin 150 / 1050 = 14.3 % (band −15.8 … 47.4 %), share 1050 / 1500 = 70 %."""
    rev = {row: {"ytd": y, "ly_ytd": ly} for row, y, ly in (
        ("products", 300.0, 250.0), ("basic_software", 50.0, 40.0), ("support_software", 50.0, 40.0),
        ("platform_software", 100.0, 90.0), ("application_software", 100.0, 80.0), ("services", 600.0, 500.0),
        ("security", 90.0, 80.0), ("embedded", 60.0, 50.0), ("total", 1050.0, 880.0))}
    exp = {"products": {"export": 30.0, "outsourcing": 20.0, "other": 10.0},
           "platform_software": {"export": 12.0, "outsourcing": 12.0},
           "services": {"export": 60.0, "outsourcing": 55.0, "other": 5.0},
           "security": {"export": 0.0}}
    fin = {row: {"ytd": y, "ly_ytd": ly} for row, y, ly in (
        ("main_revenue", 1500.0, 1300.0), ("operating_cost", 1100.0, 1000.0), ("profit", 150.0, 120.0),
        ("taxes", 40.0, 35.0), ("rd_expense", 80.0, 70.0), ("total_assets", 3000.0, 2800.0),
        ("total_liabilities", 1200.0, 1100.0), ("outsourcing_export", 75.0, 60.0), ("other_export", 15.0, 12.0))}
    staff = {"employees": {"end": 120, "ly_end": 110}, "master": {"end": 30, "ly_end": 25},
             "bachelor": {"end": 70, "ly_end": 65}, "other_education": {"end": 20, "ly_end": 20}}
    answers = {"fin": fin, "rev": rev, "exp": exp, "staff": staff}
    for path, value in changes.items():
        node = answers
        *parents, last = path.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return answers


def annual_context(ref=NATIONAL) -> RuleContext:
    return RuleContext(enterprise={"industrial": False, "section": "I", "industry": "I6511"},
                       period={"year": 2025, "month": 12}, ref=ref)


def validate(answers, ref=NATIONAL):
    return compile_document(DOCUMENT).validate(copy.deepcopy(answers), annual_context(ref))


def codes(answers, ref=NATIONAL) -> set:
    return {(i.code, i.severity) for i in validate(answers, ref).issues}


def test_formdef_check_passes_and_the_seeds_severe_warnings_are_severe(capsys):
    assert definition_check(DOCUMENT) == []
    call_command("formdef", "check", str(PATH))  # exits 1 on any problem
    assert capsys.readouterr().out.strip().endswith("software_annual_report.json: ok")
    severe = {r["id"] for r in DOCUMENT["rules"] if r["severity"] == "severe"}
    assert {"export_categories_match", "profit_margin_near_national", "software_share_for_statistics",
            "education_at_least_one", "export_split_platform_software"} <= severe


def test_passing_answers_raise_nothing_and_compute_the_ratios():
    result = validate(annual_answers())
    assert result.issues == []
    assert not {"profit_margin_near_national", "software_share_for_statistics", "export_categories_match",
                "export_split_products", "export_split_platform_software"} & set(result.skipped_rules)
    assert result.answers["software_share"] == 70.0
    assert result.answers["profit_margin"] == pytest.approx(14.29, abs=0.01)
    assert result.answers["rev"]["total"]["growth"] == pytest.approx(19.32, abs=0.01)


def test_revenue_categories_must_add_up():
    assert codes(annual_answers(rev__total={"ytd": 1051.0, "ly_ytd": 880.0})) == {("rev_total_sum", "error")}
    assert codes(annual_answers(rev__total={"ytd": 1050.0, "ly_ytd": 881.0})) == {("rev_total_sum_last_year", "error")}
    assert codes(annual_answers(rev__platform_software={"ytd": 101.0, "ly_ytd": 90.0})) == {("rev_products_sum", "error")}


def test_required_rows_block_and_education_cannot_exceed_the_total():
    result = validate(annual_answers(fin__main_revenue=None))
    assert [(i.code, i.fields) for i in result.errors] == [("required", ("fin.main_revenue.ytd",)),
                                                           ("required", ("fin.main_revenue.ly_ytd",))]
    assert codes(annual_answers(staff__other_education={"end": 21})) == {("staff_education_within_total", "error")}


@pytest.mark.parametrize("row", EXPORT_ROWS)
def test_row_exports_cannot_exceed_export_1_plus_export_2(row):
    """*严重警告|第1行1.3平台软件:本年出口>出口1+出口2 — one rule per row, naming the row."""
    fine = annual_answers(**{f"exp__{row}": {"export": 10.0, "outsourcing": 6.0, "other": 4.0}})
    assert not {c for c in codes(fine) if c[0].startswith("export_split")}
    broken = annual_answers(**{f"exp__{row}": {"export": 10.0, "outsourcing": 6.0}})  # 10 > 6 + nothing
    result = validate(broken)
    split = [i for i in result.issues if i.code.startswith("export_split")]
    assert [(i.code, i.severity) for i in split] == [(f"export_split_{row}", "severe")]
    assert split[0].fields == (f"exp.{row}.export", f"exp.{row}.outsourcing", f"exp.{row}.other")
    if row == "platform_software":
        assert split[0].message.startswith("第4行1.3平台软件：本年出口不应大于出口1")


def test_category_exports_must_match_outsourcing_plus_other_exports():
    """The products + services + security exports (30 + 60 + 0) = 软件外包服务出口 + 其它软件业务出口 (75 + 15)."""
    assert codes(annual_answers(fin__other_export={"ytd": 16.0, "ly_ytd": 12.0})) == {("export_categories_match", "severe")}
    # Empty cells count as 0: exports of services only match; category exports without the two kinds do not.
    assert codes(annual_answers(exp={"services": {"export": 90.0, "outsourcing": 80.0, "other": 10.0}})) == set()
    assert codes(annual_answers(fin__outsourcing_export=None, fin__other_export=None)) == {
        ("export_categories_match", "severe")}
    no_exports = annual_answers(exp=None, fin__outsourcing_export=None, fin__other_export=None)
    assert codes(no_exports) == set()  # an enterprise without exports leaves them empty


def test_profit_margin_is_compared_with_the_stored_national_average():
    """±200 % around the reference value: 15.8 → −15.8 … 47.4 %; 57 % and −19 % fail, −14.3 % passes."""
    high = annual_answers(fin__profit={"ytd": 600.0, "ly_ytd": 120.0})
    low = annual_answers(fin__profit={"ytd": -200.0, "ly_ytd": 120.0})
    assert codes(high) == {("profit_margin_near_national", "severe")}
    assert codes(low) == {("profit_margin_near_national", "severe")}
    assert codes(annual_answers(fin__profit={"ytd": -150.0, "ly_ytd": 120.0})) == set()
    # The band follows the stored value, not a number in the definition: with 30 % the band is −30 … 90 %.
    assert codes(high, ref={"software_profit_margin_national": 30.0}) == set()


@pytest.mark.parametrize("ref", [None, {}, {"another_value": 15.8}], ids=["no-reference-values", "none-for-the-year",
                                                                          "another-key"])
def test_without_a_stored_national_average_the_margin_rule_is_skipped(ref):
    high = annual_answers(fin__profit={"ytd": 600.0, "ly_ytd": 120.0})
    result = validate(high, ref=ref)
    assert "profit_margin_near_national" not in {i.code for i in result.issues}
    assert "profit_margin_near_national" in result.skipped_rules


def test_software_revenue_share_spans_two_tables():
    """软件业务收入合计 (收入分类表) / 主营业务收入 (主要财务指标表) ≥ 30 %: 1050 / 3500 = 30 % passes, / 3600 fails."""
    assert codes(annual_answers(fin__main_revenue={"ytd": 3500.0, "ly_ytd": 1300.0})) == set()
    failing = validate(annual_answers(fin__main_revenue={"ytd": 3600.0, "ly_ytd": 1300.0}))
    assert [(i.code, i.severity) for i in failing.issues] == [("software_share_for_statistics", "severe")]
    assert set(failing.issues[0].fields) == {"rev.total.ytd", "fin.main_revenue.ytd"}


def test_at_least_one_of_master_and_bachelor():
    answers = annual_answers(staff__master=None, staff__bachelor=None)
    assert codes(answers) == {("education_at_least_one", "severe")}
    assert codes(annual_answers(staff__master={"ly_end": 3}, staff__bachelor=None)) == {("education_at_least_one", "severe")}
    assert codes(annual_answers(staff__master=None, staff__bachelor={"end": 0})) == set()


def test_exports_beyond_revenue_are_a_warning():
    """30 + 1100 of exports against 1050 of software revenue (the two kinds of exports still match: 1130 = 1120 + 10)."""
    answers = annual_answers(exp__services={"export": 1100.0, "outsourcing": 1100.0},
                             fin__outsourcing_export={"ytd": 1120.0}, fin__other_export={"ytd": 10.0})
    assert codes(answers) == {("export_within_revenue", "warning")}
