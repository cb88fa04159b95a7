"""Demo of the Shanghai monthly report (上海市中小企业运行监测月报, seed 001): the report type for
enterprises in Shanghai (region 31), its two versions of one definition — the 2020 form (v1) and the
2021 form (v2) — and a Shanghai manufacturer that filed six months across the change of form, each
approved through the real services. Fixed months (2020-10 … 2021-03), so it does not depend on the date.
Idempotent; called at the end of `reporting.demo.seed_demo` (not when settings.DEMO_REPORTS is False)."""
import datetime

from django.db import transaction

REPORT_KEY = "shanghai_monthly"
DEFINITION_KEY = "shanghai_monthly_report"
REGION_PREFIX = "31"
DEMO_LOGIN = "com_sh01"
DEMO_NAME = "上海浦东示范精密机械有限公司"
#: The months filed, by the definition version they were filed in (the 2020 form, then the 2021 form).
DEMO_PERIODS = {
    1: [datetime.date(2020, 10, 1), datetime.date(2020, 11, 1), datetime.date(2020, 12, 1)],
    2: [datetime.date(2021, 1, 1), datetime.date(2021, 2, 1), datetime.date(2021, 3, 1)],
}
#: The demo's scale per row: 万元 a month for flows, 万元 at the month's end for stocks (人, 件, 千瓦时, % as the row says).
ROW_BASE = {
    "gross_output": 560, "revenue": 520, "export_value": 80, "profit": 45, "taxes_payable": 13, "receivables": 310,
    "overdue_receivables": 30, "loan_balance": 260, "finance_expense": 4, "cost": 430, "finished_goods": 90,
    "notes_receivable": 21, "employees": 86, "electricity": 61000, "capacity_utilization": 78, "rd_expense": 18,
    "patents": 1, "payables": 280, "overdue_payables": 25,
}


def shanghai_report_type():
    """The Shanghai monthly report type (publishing the shipped definitions first: v1, then v2)."""
    from formdefs.demo import seed_demo as publish_definitions
    from formdefs.models import FormDefinition

    from .models import ReportType

    publish_definitions()
    report_type, _created = ReportType.objects.get_or_create(
        key=REPORT_KEY, defaults={"title": "上海市中小企业运行监测月报", "region_prefixes": [REGION_PREFIX],
                                  "definition": FormDefinition.objects.get(key=DEFINITION_KEY)})
    return report_type


def shanghai_versions() -> dict:
    """{version number: FormVersion} of the Shanghai definition."""
    from formdefs.models import FormVersion

    return {v.number: v for v in FormVersion.objects.select_related("definition").filter(definition__key=DEFINITION_KEY)}


def _value(base: float, year: int, month: int, *, integer: bool, stock: bool):
    # Grows 1 % (stocks) or 2 % (flows) a month and about 11 % a year.
    value = base * (0.9 ** (2021 - year)) * (1 + (0.01 if stock else 0.02) * month)
    return max(1, round(value)) if integer else round(value, 2)


def shanghai_answers(*, version, period: datetime.date, scale: float = 1.0) -> dict:
    """Answers of the grid of `version` that pass every rule: each row gets the columns it has (当月值,
    累计值, 期末数 and their 去年同期), read from the definition, so one function serves both versions."""
    document = version.document
    grid_id = document["analytics"]["grid"]
    grid = next(f for s in document["steps"] for sec in s["sections"] for f in sec["fields"] if f["id"] == grid_id)
    answers = {}
    for row in grid["rows"]:
        base, integer = ROW_BASE[row["id"]] * scale, bool(row.get("integer"))
        columns = row.get("columns") or [c["id"] for c in grid["columns"] if not c.get("expr")]
        stock = "end" in columns
        cells = {}
        for year, suffix in ((period.year, ""), (period.year - 1, "_ly")):
            months = [_value(base, year, m, integer=integer, stock=stock) for m in range(1, period.month + 1)]
            values = {"month": months[-1], "ytd": round(sum(months), 2) if not integer else sum(months), "end": months[-1]}
            cells.update({f"{column}{suffix}": values[column] for column in ("month", "ytd", "end")
                          if f"{column}{suffix}" in columns})
        answers[row["id"]] = cells
    return {grid_id: answers}


def _demo_enterprise(lines: list):
    from accounts.demo import demo_enterprise_ensure

    return demo_enterprise_ensure(
        login=DEMO_LOGIN, mobile="13800000031", contact="陈上海", name=DEMO_NAME, code17="91310115MA1EEEEE5",
        industry_code="C3484", county="310115", measures=(62000, 86, 48000), lines=lines, legal_representative="陈六",
        street="张江路1号", postcode="201203", opened_on=datetime.date(2012, 6, 1), phone="021-64225181",
        main_business="精密机械零部件加工")


@transaction.atomic
def seed_demo() -> list[str]:
    """The report type, com_sh01 and its six approved months: 2020-10 … 2020-12 in the 2020 form (v1),
    2021-01 … 2021-03 in the 2021 form (v2). A month already reported is left alone."""
    from workflow.services import submission_receive

    from .models import Submission
    from .services import report_save, report_submit

    lines = []
    report_type = shanghai_report_type()
    enterprise = _demo_enterprise(lines)
    versions = shanghai_versions()
    count = 0
    for number, periods in DEMO_PERIODS.items():
        for period in periods:
            if Submission.objects.filter(report_type=report_type, enterprise=enterprise, period=period).exists():
                continue
            submission = report_save(report_type=report_type, enterprise=enterprise, period=period,
                                     answers=shanghai_answers(version=versions[number], period=period),
                                     version=versions[number], actor=enterprise.filler, check_window=False)
            submission = report_submit(submission=submission, actor=enterprise.filler)
            while submission.status == "pending":
                submission = submission_receive(submission=submission, actor=submission.holder.user)
            count += 1
    if count:
        lines.append(f"reports for {DEMO_LOGIN}: {count} periods of {REPORT_KEY}")
    return lines
