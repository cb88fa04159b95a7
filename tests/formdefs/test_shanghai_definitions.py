"""The Shanghai monthly report (seed 001, 运行监测 of 2020 and 2021) as two versions of one definition:
`formdef check`, the indicators and the column groups each has, and golden tests of every rule (a passing
and a failing answer each), of required and non-negative rows and of the industrial rows."""
import pytest
from django.core.management import call_command

from formdefs.engine import RuleContext, compile_document

from .conftest import DEFINITIONS, load

FILES = {1: "shanghai_monthly_report_2020", 2: "shanghai_monthly_report_2021"}
M, Y, E = ["month", "month_ly"], ["ytd", "ytd_ly"], ["end", "end_ly"]
#: The seed's indicators, in its order, with the column groups (当月值 / 累计值 / 期末数) each has.
EXPECTED = {
    1: [("gross_output", "工业总产值", M + Y), ("revenue", "营业收入", M + Y), ("export_value", "出口交货值", M + Y),
        ("profit", "利润总额", M + Y), ("taxes_payable", "应纳税费", E), ("receivables", "应收账款", E),
        ("overdue_receivables", "其中：逾期应收账款", E), ("loan_balance", "期末贷款余额", E), ("finance_expense", "财务费用", Y),
        ("cost", "营业成本", Y), ("finished_goods", "产成品", E), ("notes_receivable", "应收票据", E), ("employees", "从业人员", E),
        ("electricity", "用电量", M + Y), ("capacity_utilization", "生产能力（设备利用率）", E), ("rd_expense", "研发费用", M + Y),
        ("patents", "获得专利、软件著作权数量", M + Y)],
    2: [("revenue", "营业收入", M + Y), ("profit", "利润总额", M + Y), ("taxes_payable", "应交税费", E), ("payables", "应付账款", E),
        ("overdue_payables", "其中：逾期应付账款", E), ("loan_balance", "期末借款余额", E), ("finance_expense", "财务费用", Y),
        ("cost", "营业成本", Y), ("notes_receivable", "应收票据余额", E), ("employees", "员工人数", E),
        ("rd_expense", "研发费用", M + Y), ("patents", "获得专利、软件著作权数量", M + Y)],
}
INDUSTRIAL = {"gross_output", "electricity", "finished_goods", "capacity_utilization"}
REQUIRED = {1: {"gross_output", "revenue", "export_value", "profit", "cost", "employees", "electricity"},
            2: {"revenue", "profit", "cost", "employees"}}
SIGNED = {"profit", "finance_expense"}  # a loss, net interest income: may be negative
#: Part → total (其中 ≤ 合计).
PARTS = {"overdue_receivables": "receivables", "overdue_payables": "payables"}
VALUES = {"month": 10.0, "month_ly": 8.0, "ytd": 30.0, "ytd_ly": 24.0, "end": 50.0, "end_ly": 40.0}


@pytest.fixture(scope="module", params=[1, 2], ids=["2020 (v1)", "2021 (v2)"])
def shanghai(request):
    document = load(FILES[request.param])
    return request.param, document, compile_document(document)


def grid(document) -> dict:
    return next(f for s in document["steps"] for sec in s["sections"] for f in sec["fields"] if f["type"] == "indicator_grid")


def answers_for(document, *, january=False) -> dict:
    """Every cell of every row, consistent: 累计 ≥ 本月 (= 本月 in January), 其中 at a tenth of its total."""
    ind = {}
    for row in grid(document)["rows"]:
        cells = {c: VALUES[c] for c in row["columns"]}
        if january:
            cells.update({k: cells[k.replace("ytd", "month")] for k in ("ytd", "ytd_ly") if k in cells and k.replace("ytd", "month") in cells})
        if row["id"] in PARTS:
            cells = {c: v / 10 for c, v in cells.items()}
        if row.get("integer"):
            cells = {c: int(v) for c, v in cells.items()}
        ind[row["id"]] = cells
    return {"ind": ind}


def context(*, month=3, industrial=True) -> RuleContext:
    return RuleContext(enterprise={"industrial": industrial, "manufacturing": industrial, "section": "C" if industrial else "I",
                                   "region": "310115"}, period={"year": 2021, "month": month})


def codes(result, severity=None) -> set:
    return {i.code for i in result.issues if severity is None or i.severity == severity}


def test_both_files_pass_formdef_check(capsys):
    call_command("formdef", "check", *(str(DEFINITIONS / f"{name}.json") for name in FILES.values()))
    assert capsys.readouterr().out.count(": ok") == 2


def test_one_definition_in_two_versions_with_the_seeds_indicators_and_column_groups(shanghai):
    number, document, _compiled = shanghai
    assert (document["id"], document["version"], document["kind"]) == ("shanghai_monthly_report", number, "report")
    rows = grid(document)["rows"]
    assert [(r["id"], r["label"], r["columns"]) for r in rows] == EXPECTED[number]
    assert {r["unit"] for r in rows if r["id"] not in ("employees", "patents", "electricity", "capacity_utilization")} == {"万元"}
    assert {r["id"] for r in rows if r.get("required")} == REQUIRED[number]
    assert {r["id"] for r in rows if not r.get("nonnegative")} == SIGNED
    assert {r["id"] for r in rows if r.get("visible_if") == "enterprise.industrial"} == (INDUSTRIAL if number == 1 else set())
    columns = [c["id"] for c in grid(document)["columns"]]
    assert columns == ["month", "month_ly", "ytd", "ytd_ly", "end", "end_ly"]
    assert document["analytics"]["grid"] == "ind"
    assert document["analytics"]["columns"] == {c: c for c in columns}


@pytest.mark.parametrize("january", [False, True], ids=["March", "January"])
def test_a_complete_consistent_report_passes_every_rule(shanghai, january):
    _number, document, compiled = shanghai
    result = compiled.validate(answers_for(document, january=january), context(month=1 if january else 3))
    assert result.issues == []
    # every rule was evaluated (none skipped): the passing half of each golden pair
    evaluated = [r["id"] for r in document["rules"] if (r.get("when") == "period.month == 1") == january]
    assert not set(evaluated) & {getattr(s, "id", s) for s in result.skipped_rules}


def _break(rule_id: str, ind: dict) -> int:
    """Make the answers fail `rule_id` (and nothing else); returns the month to validate in."""
    row = rule_id.split("_ytd")[0].split("_january")[0].split("_within")[0]
    if rule_id.endswith("_ytd_not_below_month"):
        ind[row]["ytd"] = ind[row]["month"] - 1
    elif rule_id.endswith("_ytd_ly_not_below_month_ly"):
        ind[row]["ytd_ly"] = ind[row]["month_ly"] - 1
    elif rule_id.endswith("_january_ytd"):
        ind[row]["ytd"] = ind[row]["month"] + 1
        return 1
    elif "_within_" in rule_id:
        column = "end_ly" if rule_id.endswith("_end_ly") else "end"
        ind[row][column] = ind[PARTS[row]][column] + 1
    else:
        raise AssertionError(f"no golden case for rule {rule_id}: add one")
    return 3


def test_every_rule_fails_on_its_golden_breaking_answer(shanghai):
    _number, document, compiled = shanghai
    assert document["rules"]
    for rule in document["rules"]:
        january = rule.get("when") == "period.month == 1"
        answers = answers_for(document, january=january)
        month = _break(rule["id"], answers["ind"])
        result = compiled.validate(answers, context(month=month))
        assert codes(result) == {rule["id"]}, rule["id"]
        issue = result.issues[0]
        assert issue.severity == rule["severity"] and issue.message == rule["message"]


def test_the_seeds_rules_are_in_the_definition(shanghai):
    """累计 ≥ 本月 for every non-negative flow (blocking), 其中 ≤ 合计 for both period-end columns."""
    number, document, _compiled = shanghai
    ids = {r["id"]: r["severity"] for r in document["rules"]}
    for row_id, _label, columns in EXPECTED[number]:
        if "month" in columns and row_id not in SIGNED:
            assert ids[f"{row_id}_ytd_not_below_month"] == ids[f"{row_id}_ytd_ly_not_below_month_ly"] == "error"
    for part, total in PARTS.items():
        if part in dict((r, c) for r, _l, c in EXPECTED[number]):
            assert ids[f"{part}_within_{total}_end"] == ids[f"{part}_within_{total}_end_ly"] == "error"


def test_required_rows_block_when_missing(shanghai):
    number, document, compiled = shanghai
    for row in REQUIRED[number]:
        answers = answers_for(document)
        del answers["ind"][row]
        result = compiled.validate(answers, context())
        assert "required" in codes(result, "error"), row
        assert any(f.startswith(f"ind.{row}.") for i in result.errors for f in i.fields), row


def test_negative_values_block_except_profit_and_financial_expenses(shanghai):
    _number, document, compiled = shanghai
    for row in grid(document)["rows"]:
        answers = answers_for(document)
        column = row["columns"][0]
        answers["ind"][row["id"]][column] = -1
        result = compiled.validate(answers, context())
        if row["id"] in SIGNED:
            assert not codes(result, "error") & {"schema.minimum"}, row["id"]
        else:
            assert "schema.minimum" in codes(result, "error"), row["id"]


def test_industrial_rows_of_2020_are_asked_of_industrial_enterprises_only():
    document = load(FILES[1])
    compiled = compile_document(document)
    answers = answers_for(document)
    for row in INDUSTRIAL:
        del answers["ind"][row]
    assert compiled.validate(answers, context(industrial=False)).issues == []
    missing = compiled.validate(answers, context(industrial=True))
    assert {"ind.gross_output.month", "ind.electricity.month"} <= {f for i in missing.errors for f in i.fields}
    kept = compiled.validate(answers_for(document), context(industrial=False))
    assert not INDUSTRIAL & set(kept.answers["ind"])


def test_a_cell_outside_a_rows_groups_is_refused(shanghai):
    """营业成本 has 累计值 only, 应收票据 期末数 only: a 本月值 typed for them is refused, naming the cell."""
    _number, document, compiled = shanghai
    for row in ("cost", "notes_receivable"):
        answers = answers_for(document)
        answers["ind"][row]["month"] = 5.0
        result = compiled.validate(answers, context())
        assert codes(result, "error") == {"schema.not_applicable"}, row
        assert result.errors[0].fields == (f"ind.{row}.month",)
