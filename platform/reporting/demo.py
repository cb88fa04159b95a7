"""Demo reports: the SME monthly report type, the built-in questionnaire 001, and 14 months of reports
for com_demo01–03 in every status, moved through the real transitions. Idempotent."""
import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .demo_shanghai import seed_demo as shanghai_seed_demo

REPORT_KEY = "sme_monthly"
DEMO_MONTHS = 14
INDICATOR_BASE = {  # thousand yuan per month (people for employees); the demo's scale
    "gross_output": 5200, "export_value": 800, "electricity": 61000, "capacity_utilization": 78, "revenue": 4800,
    "cost": 3900, "loan_balance": 2600, "finance_expense": 40, "receivables": 3100, "finished_goods": 900,
    "profit": 420, "taxes_payable": 130, "employees": 120, "overdue_receivables": 300, "payroll_payable": 260,
    "total_assets": 26000, "total_liabilities": 14000, "fixed_investment": 500,
}
FLOW_ROWS = {"gross_output", "export_value", "electricity", "revenue", "cost", "profit", "finance_expense"}


def _month_value(base: float, year: int, month: int, scale: float) -> float:
    # Grows 2 % a month and 11 % a year, so last year's answers match "上年本月" exactly.
    return round(base * scale * (0.9 ** (2026 - year)) * (1 + 0.02 * month), 2)


def monthly_answers(*, enterprise, period: datetime.date, scale: float = 1.0, anomaly: bool = False) -> dict:
    """Answers for the shipped monthly report that pass every check (or break one balance on purpose)."""
    from formdefs.selectors import enterprise_initial_answers

    year, month = period.year, period.month
    grid = {}
    for row, base in INDICATOR_BASE.items():
        if row in FLOW_ROWS:
            this = [_month_value(base, year, k, scale) for k in range(1, month + 1)]
            last = [_month_value(base, year - 1, k, scale) for k in range(1, month + 1)]
            grid[row] = {"month": this[-1], "ytd": round(sum(this), 2), "ly_month": last[-1], "ly_ytd": round(sum(last), 2)}
        else:
            value = float(round(base * scale)) if row == "employees" else _month_value(base, year, month, scale)
            ly_value = float(round(base * scale)) if row == "employees" else _month_value(base, year - 1, month, scale)
            grid[row] = {"month": value, "ytd": value, "ly_month": ly_value, "ly_ytd": ly_value}
    if anomaly:  # break one non-blocking balance check (数据异常), never a blocking one (1-本月 ≥ 本月)
        revenue = grid["revenue"]
        if month == 1:
            revenue["ytd"] = round(revenue["month"] * 2, 2)  # January: 1-本月 ≠ 本月
        else:
            revenue["month"] = revenue["ytd"] = round(revenue["month"] / 2, 2)  # 1-本月 below last month's
    answers = enterprise_initial_answers(enterprise)
    answers.update({
        "provincial_specialized": False, "national_little_giant": False, "revenue_last_year": 5400.0 * scale,
        "profit_last_year": 480.0 * scale, "employees_last_year": int(120 * scale), "rd_staff_last_year": int(12 * scale),
        "rd_funds_last_year": 230.0 * scale, "ind": grid,
        "products": [{"name": "示范产品", "code": "", "unit": "件", "output_month": 1200.0, "output_ytd": 1200.0 * month,
                      "output_ly_month": 1100.0, "output_ly_ytd": 1100.0 * month, "sales_month": 1150.0,
                      "sales_ytd": 1150.0 * month, "sales_ly_month": 1050.0, "sales_ly_ytd": 1050.0 * month, "stock": 300.0}],
    })
    return answers


def answers_computed(*, report_type, enterprise, period: datetime.date, answers: dict) -> dict:
    """The answers with their computed values filled (累计同比增长 of each indicator row), as the wizard, the
    import and the API hand them to report_save, which keeps answers as given: without them the demo's
    reports showed an empty 累计同比增长 column on the detail and review pages."""
    from formdefs.selectors import version_compiled

    from .selectors import report_rule_context, report_version

    compiled = version_compiled(report_version(report_type))
    return compiled.compute(dict(answers), report_rule_context(report_type=report_type, enterprise=enterprise, period=period))


def questionnaire_answers(version, rng: random.Random) -> dict:
    """One option per single-choice question (the business-climate survey)."""
    from formdefs.selectors import version_compiled

    answers = {}
    for field in version_compiled(version).index.fields:
        if field["type"] == "choice" and field.get("options"):
            answers[field["id"]] = rng.choice(field["options"])["value"]
    return answers


def _ensure_types():
    from formdefs.demo import seed_demo as publish_definitions
    from formdefs.models import FormDefinition
    from survey_builder.enums import QuestionnaireStatus
    from survey_builder.models import Questionnaire

    from .models import ReportType

    lines = publish_definitions()
    report_type, created = ReportType.objects.get_or_create(
        key=REPORT_KEY, defaults={"title": "中小企业生产经营运行监测月报",
                                  "definition": FormDefinition.objects.get(key="sme_monthly_report"),
                                  # printed marks of the form (a demo 表号; 批准文号 is left to the administrator)
                                  "form_number": "中小企监测月01表", "issuing_authority": "工业和信息化部",
                                  # 上海市 files its own monthly report (demo_shanghai.py), not this one too
                                  "region_excluded_prefixes": ["31"]})
    if created:
        lines.append(f"report type {report_type.key}")
    today = timezone.localdate()
    questionnaire, created = Questionnaire.objects.get_or_create(code="001", defaults={
        "definition": FormDefinition.objects.get(key="sme_business_climate"), "title": "中小企业经济月度调查问卷",
        "description": "了解中小企业月度生产经营状况和预期。", "status": QuestionnaireStatus.ACTIVE,
        "starts_on": datetime.date(today.year - 2, 1, 1), "ends_on": datetime.date(today.year + 3, 12, 31)})
    if created:
        lines.append(f"questionnaire {questionnaire.code} {questionnaire.title}")
    return report_type, questionnaire, lines


# (login, per month back from the current period: what to leave it as)
PLANS = {
    "com_demo01": {0: None, 1: "returned", 2: "pending_up", 3: "pending_anomalous"},
    "com_demo02": {0: "editing", 1: "pending", 2: "returned", 5: "withdrawn"},
    "com_demo03": {0: "pending", 1: "unfrozen", 2: "frozen"},
}


def _walk(submission, plan):
    """Move a submitted report as the plan says, with the real transition functions."""
    from workflow import services as workflow

    if plan == "approved":
        while submission.status == "pending":
            submission = workflow.submission_receive(submission=submission, actor=submission.holder.user)
    elif plan == "pending_up":
        submission = workflow.submission_receive(submission=submission, actor=submission.holder.user)
    elif plan == "returned":
        submission = workflow.submission_return(submission=submission, actor=submission.holder.user,
                                                reason="利润总额与上月差异较大，请核实后重新上报。")
    return submission


@transaction.atomic
def seed_demo() -> list[str]:
    """The report type, questionnaire 001 and, unless settings.DEMO_REPORTS is False (the test suite),
    14 months of reports for com_demo01–03, built relative to today on purpose so the demo looks current.

    What it guarantees on any day (tests/test_seed_demo_dates.py checks it on several: mid-month, 31 December,
    1 January, a 当期 in January, one with the quarterly indicators, May):

    - 当期 is `period_current` of today (last month; on 1 January, last December): the month 当期报送 opens.
    - Each of the 14 months 当期-13 … 当期 holds one report of com_demo02 and of com_demo03, and of com_demo01
      except 当期, made through the real services and transitions, each with questionnaire 001 answered (the
      questionnaire runs from 1 January two years back to the end of three years ahead). By months back:
      com_demo01: 0 未填报 (nothing), 1 退回, 2 待审核 at the city (sme_ningbo, received once),
      3 待审核 with 数据异常 at the county (sme_haishu); com_demo02: 0 编辑, 1 待审核, 2 退回, 5 撤销 (编辑 again);
      com_demo03: 0 待审核, 1 解除冻结, 2 冻结; every other month 审核通过.
    - Not every month is open for filling: in January the oldest two months, in February the oldest one,
      fall before last year (outside the back-fill window) and are history only.
    - Idempotent per enterprise: one that already has a report is left alone, so a demo seeded in an earlier
      month keeps its months (seed a fresh database to move it to the new 当期).
    """
    from accounts.models import User
    from enterprises.models import Enterprise
    from formdefs.selectors import version_current
    from survey_builder.models import QuestionnaireResponse
    from workflow import services as workflow

    from .models import Submission
    from .periods import month_add, period_current
    from .services import report_save, report_submit
    from .services.changes import information_change_check

    report_type, questionnaire, lines = _ensure_types()
    if not getattr(settings, "DEMO_REPORTS", True):
        return lines  # the test suite builds the reports it needs (tests/reporting/conftest.py)
    q_version = version_current(key=questionnaire.definition.key)
    rng = random.Random(2026)
    current = period_current(report_type)
    for login, plans in PLANS.items():
        user = User.objects.filter(username=login).first()
        enterprise = Enterprise.objects.filter(filler=user).select_related("industry").first() if user else None
        if enterprise is None or Submission.objects.filter(enterprise=enterprise).exists():
            continue
        count = 0
        for back in range(DEMO_MONTHS - 1, -1, -1):
            period = month_add(current, -back)
            plan = plans.get(back, "approved")
            if plan is None:
                continue
            QuestionnaireResponse.objects.get_or_create(
                questionnaire=questionnaire, enterprise=enterprise, period=period,
                defaults={"version": q_version, "answers": questionnaire_answers(q_version, rng), "user": user})
            answers = monthly_answers(enterprise=enterprise, period=period, anomaly=plan == "pending_anomalous")
            if plan in ("frozen", "unfrozen"):
                answers["name"] = enterprise.name.replace("有限公司", "股份有限公司") if plan == "unfrozen" else Enterprise.objects.exclude(pk=enterprise.pk).first().name
            answers = answers_computed(report_type=report_type, enterprise=enterprise, period=period, answers=answers)
            submission = report_save(report_type=report_type, enterprise=enterprise, period=period, answers=answers,
                                     actor=user, check_window=False)
            count += 1
            if plan in ("frozen", "unfrozen"):
                change = submission.changes.get()
                information_change_check(change=change)
                if plan == "unfrozen":
                    enterprise.refresh_from_db()
                continue
            if plan == "editing":
                continue
            submission = report_submit(submission=submission, actor=user)
            if plan == "withdrawn":
                workflow.submission_withdraw(submission=submission, actor=user)
                continue
            _walk(submission, plan)
        lines.append(f"reports for {login}: {count} periods")
    return lines + shanghai_seed_demo()  # the Shanghai monthly report (demo_shanghai.py)
