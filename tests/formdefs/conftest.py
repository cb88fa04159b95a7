"""Fixtures for the form-definition engine: the shipped definitions, published through the services."""
import copy
import json
from pathlib import Path

import pytest

from formdefs.engine import RuleContext, compile_document

DEFINITIONS = Path(__file__).resolve().parents[2] / "formdefs" / "definitions"
INPUT_COLUMNS = ("month", "ytd", "ly_month", "ly_ytd")
INDUSTRIAL_ROWS = ("gross_output", "export_value", "electricity", "capacity_utilization", "finished_goods")
QUARTER_ROWS = ("overdue_receivables", "payroll_payable", "total_assets", "total_liabilities", "fixed_investment")


def load(name: str) -> dict:
    return json.loads((DEFINITIONS / f"{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def monthly_doc():
    return load("sme_monthly_report")


@pytest.fixture(scope="session")
def monthly(monthly_doc):
    return compile_document(monthly_doc)


@pytest.fixture(scope="session")
def climate():
    return compile_document(load("sme_business_climate"))


@pytest.fixture(scope="session")
def registration():
    return compile_document(load("enterprise_registration"))


@pytest.fixture
def published(db):
    """Every shipped definition published (as seed_demo does); returns {key: FormVersion}."""
    from formdefs.demo import seed_demo
    from formdefs.models import FormVersion

    seed_demo()
    return {v.definition.key: v for v in FormVersion.objects.select_related("definition").filter(status="published")}


def basic_answers() -> dict:
    return {
        "name": "宁波海曙示范机械有限公司", "credit_code": "91330203MA2AAAAA1X", "legal_representative": "张三",
        "industry": "C3435", "region": "330203", "registration_type": "173", "holding_type": "3", "size": "small",
        "is_listed": False, "address": "宁波市海曙区示范路1号", "postcode": "315000", "contact": "李四",
        "phone": "0574-88888888", "provincial_specialized": False, "national_little_giant": False,
        "revenue_last_year": 5200.0, "profit_last_year": 300.0, "employees_last_year": 180, "rd_staff_last_year": 18,
        "rd_funds_last_year": 260.0,
    }


def indicator_row(month=100.0, ytd=500.0, ly_month=90.0, ly_ytd=400.0) -> dict:
    return {"month": month, "ytd": ytd, "ly_month": ly_month, "ly_ytd": ly_ytd}


def report_answers(*, industrial=True, quarter=True) -> dict:
    """A complete, consistent monthly report for May (not January) with prev = April below."""
    rows = ["revenue", "cost", "loan_balance", "finance_expense", "receivables", "profit", "taxes_payable", "employees"]
    if industrial:
        rows += list(INDUSTRIAL_ROWS)
    if quarter:
        rows += list(QUARTER_ROWS)
    ind = {row: indicator_row() for row in rows}
    ind["employees"] = {"month": 180, "ytd": 180, "ly_month": 170, "ly_ytd": 170}
    if quarter:
        ind["total_assets"] = indicator_row(60000.0, 60000.0, 55000.0, 55000.0)
    answers = basic_answers()
    answers["ind"] = ind
    answers["products"] = [{"name": "数控机床", "unit": "台", **{f"{k}_{c}": 10.0 for k in ("output", "sales") for c in INPUT_COLUMNS}, "stock": 4.0}]
    return answers


def prev_answers() -> dict:
    """Last month (April): 1-本月 totals that add up with report_answers()."""
    rows = ["revenue", "cost", *INDUSTRIAL_ROWS, "receivables"]
    return {"ind": {row: indicator_row(100.0, 400.0, 90.0, 310.0) for row in rows}}


def context(*, industrial=True, month=5, prev=True, last_year=None) -> RuleContext:
    return RuleContext(enterprise={"industrial": industrial, "manufacturing": industrial, "section": "C" if industrial else "I"},
                       period={"year": 2025, "month": month}, prev=prev_answers() if prev else None, last_year=last_year)


@pytest.fixture
def answers():
    return copy.deepcopy(report_answers())
