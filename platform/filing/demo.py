"""Demo of task-based reporting: the software and IT services monthly report type, a software
enterprise in 杭州滨江 (I6511), a provincial task (浙江省, by application) and a municipal task
(宁波市, for every I65 enterprise) of the current period; and the annual report (年报): its report type,
the national average software profit margin of last year (参考值), a provincial task for last year
issued by 浙江省 to the software enterprises of 杭州西湖 and two of them, one with the report filled and
submitted (已上报至省级), the other saved but not submitted yet (编辑). Idempotent; run by
`accounts.demo.seed_demo` (every app's `demo.seed_demo()` when `with_apps`)."""
import datetime

from django.db import transaction

REPORT_KEY = "software_monthly"
DEFINITION_KEY = "software_monthly_report"
SOFTWARE_INDUSTRY = "I65"
DEMO_LOGIN = "com_soft01"
DEMO_NAME = "杭州滨江示范信息技术有限公司"
ANNUAL_REPORT_KEY = "software_annual"
ANNUAL_DEFINITION_KEY = "software_annual_report"
ANNUAL_REGION = "330106"  # 杭州市西湖区: the annual task's enterprises (no county or city administrator: 浙江省 reviews)
#: login, name, mobile, credit code (17 characters), whether its annual report is submitted
ANNUAL_ENTERPRISES = (("com_soft02", "杭州西湖示范软件股份有限公司", "13800000066", "91330106MA2EEEEE5", True),
                      ("com_soft03", "杭州西湖示范数据服务有限公司", "13800000067", "91330106MA2FFFFF6", False))
NATIONAL_MARGIN = {"key": "software_profit_margin_national", "value": "15.8", "label": "全国软件业务利润率平均值(%)",
                   "source_note": "示范数据：软件专业调查系统审核公式“软件业务利润率偏离全国平均值15.8%正负200%”。"}


def software_report_type():
    """The software monthly report type (publishing the shipped definitions first)."""
    from formdefs.demo import seed_demo as publish_definitions
    from formdefs.models import FormDefinition
    from reporting.models import ReportType

    publish_definitions()
    report_type, _ = ReportType.objects.get_or_create(
        key=REPORT_KEY, defaults={"title": "软件和信息技术服务业企业月报", "by_task_only": True,
                                  "definition": FormDefinition.objects.get(key=DEFINITION_KEY)})
    return report_type


def software_annual_report_type():
    """The software annual report type (年报, filled through tasks only; its period is December of the year)."""
    from formdefs.demo import seed_demo as publish_definitions
    from formdefs.models import FormDefinition
    from reporting.enums import Frequency
    from reporting.models import ReportType

    publish_definitions()
    report_type, _ = ReportType.objects.get_or_create(
        key=ANNUAL_REPORT_KEY, defaults={"title": "软件和信息技术服务业年报", "by_task_only": True,
                                         "frequency": Frequency.ANNUAL,
                                         "definition": FormDefinition.objects.get(key=ANNUAL_DEFINITION_KEY)})
    return report_type


def annual_demo_answers(scale: float = 1.0) -> dict:
    """An annual report passing every rule of software_annual_report (in 万元; `scale` keeps the sums)."""
    def pair(this_year, last_year):
        return {"ytd": round(this_year * scale, 2), "ly_ytd": round(last_year * scale, 2)}

    fin = {"main_revenue": pair(8600, 7900), "operating_cost": pair(6100, 5700), "profit": pair(1050, 920),
           "taxes": pair(310, 280), "rd_expense": pair(760, 650), "total_assets": pair(12800, 11600),
           "total_liabilities": pair(5200, 4900), "outsourcing_export": pair(210, 180), "other_export": pair(60, 50)}
    rev = {"products": pair(3200, 2850), "basic_software": pair(300, 260), "support_software": pair(420, 380),
           "platform_software": pair(880, 760), "application_software": pair(1600, 1450),
           "services": pair(3900, 3500), "security": pair(350, 300), "embedded": pair(350, 330), "total": pair(7800, 6980)}
    exp = {row: {"export": round(e * scale, 2), "outsourcing": round(o * scale, 2), "other": round(t * scale, 2)}
           for row, e, o, t in (("products", 120, 90, 30), ("platform_software", 40, 30, 10),
                                ("services", 140, 120, 20), ("security", 10, 0, 10))}
    staff = {row: {"end": int(end * scale), "ly_end": int(ly * scale)} for row, end, ly in (
        ("employees", 186, 172), ("master", 48, 41), ("bachelor", 121, 113), ("other_education", 17, 18))}
    return {"fin": fin, "rev": rev, "exp": exp, "staff": staff}


def _demo_enterprise(lines: list):
    from accounts.demo import demo_enterprise_ensure
    from regions.enums import EnterpriseSize

    return demo_enterprise_ensure(
        login=DEMO_LOGIN, mobile="13800000065", contact="王软件", name=DEMO_NAME, code17="91330108MA2DDDDD4",
        industry_code="I6511", county="330108", measures=(9000, 120, 8000), size=EnterpriseSize.SMALL, lines=lines,
        legal_representative="王五", street="网商路1号", postcode="310051", opened_on=datetime.date(2016, 5, 1),
        phone="0571-88888888", main_business="基础软件开发与信息技术服务")
    user = demo_user_ensure(DEMO_LOGIN, mobile="13800000065", real_name="王软件")
    region = region_by_code("330108", level=3)
    enterprise = enterprise_create_approved(
        user=user, name=DEMO_NAME, credit_code=_with_check("91330108MA2DDDDD4"),
        legal_representative="王五", industry=industry_by_full_code("I6511"), region=region,
        registration_type=RegistrationType.objects.get(code="173"), holding_type=HoldingType.objects.get(code="3"),
        size=EnterpriseSize.SMALL, revenue_last_year=9000, employees_last_year=120, assets_last_year=8000,
        address=f"{region.full_name}网商路1号", postcode="310051", opened_on=datetime.date(2016, 5, 1),
        contact="王软件", phone="0571-88888888", mobile="13800000065", email=f"{DEMO_LOGIN}@example.com",
        main_business="基础软件开发与信息技术服务")
    lines.append(f"enterprise {DEMO_LOGIN}: {DEMO_NAME} ({region.full_name})")
    return enterprise


def _national_margin(year: int, lines: list) -> None:
    """The national software profit margin of `year` (参考值), which the monthly and annual reports' margin rule
    reads as ref.software_profit_margin_national: without it that rule is skipped."""
    from formdefs.models import ReferenceValue

    margin = dict(NATIONAL_MARGIN)
    _value, created = ReferenceValue.objects.get_or_create(key=margin.pop("key"), year=year, defaults=margin)
    if created:
        lines.append(f"reference value software_profit_margin_national {year}")


def _demo_tasks(report_type, lines: list) -> None:
    from accounts.models import AdministratorProfile
    from reporting.periods import period_current, period_due

    from .enums import TaskStatus
    from .models import FilingTask
    from .services import filing_task_create, filing_task_open

    period = period_current(report_type)
    _national_margin(period.year, lines)
    for login, title, requires_application in (
            ("sme_zhejiang", f"[省级]{period.year}年{period.month}月软件和信息技术服务业月报", True),
            ("sme_ningbo", f"[市级]{period.year}年{period.month}月软件和信息技术服务业月报", False)):
        profile = AdministratorProfile.objects.select_related("user", "region").filter(user__username=login).first()
        if profile is None or FilingTask.objects.filter(title=title).exists():
            continue
        task = filing_task_create(actor=profile.user, title=title, report_type=report_type, period=period,
                                  issuing_region=profile.region, due_date=period_due(report_type, period),
                                  industry_prefix=SOFTWARE_INDUSTRY, requires_application=requires_application)
        if task.status == TaskStatus.DRAFT:
            filing_task_open(task=task, actor=profile.user)
        lines.append(f"filing task {title}")


def _annual_enterprise(login: str, name: str, mobile: str, code17: str, lines: list):
    from accounts.demo import demo_enterprise_ensure
    from regions.enums import EnterpriseSize

    return demo_enterprise_ensure(
        login=login, mobile=mobile, contact="陈数据", name=name, code17=code17, industry_code="I6513",
        county=ANNUAL_REGION, measures=(79000, 172, 116000), size=EnterpriseSize.MEDIUM, lines=lines,
        legal_representative="陈七", street="文三路8号", postcode="310012", opened_on=datetime.date(2012, 3, 1),
        phone="0571-86666666", main_business="应用软件开发与数据处理服务")
    user = demo_user_ensure(login, mobile=mobile, real_name="陈数据")
    region = region_by_code(ANNUAL_REGION, level=3)
    enterprise = enterprise_create_approved(
        user=user, name=name, credit_code=_with_check(code17), legal_representative="陈七",
        industry=industry_by_full_code("I6513"), region=region, registration_type=RegistrationType.objects.get(code="173"),
        holding_type=HoldingType.objects.get(code="3"), size=EnterpriseSize.MEDIUM, revenue_last_year=79000,
        employees_last_year=172, assets_last_year=116000, address=f"{region.full_name}文三路8号", postcode="310012",
        opened_on=datetime.date(2012, 3, 1), contact="陈数据", phone="0571-86666666", mobile=mobile,
        email=f"{login}@example.com", main_business="应用软件开发与数据处理服务")
    lines.append(f"enterprise {login}: {name} ({region.full_name})")
    return enterprise


def _demo_annual(lines: list) -> None:
    """年报 of last year: the national average, the provincial task, one report submitted and one saved."""
    from accounts.models import AdministratorProfile
    from regions.selectors import region_by_code
    from reporting.periods import period_current, period_due, today

    from .enums import TaskStatus
    from .models import FilingTask
    from .services import filing_report_save, filing_report_submit, filing_task_create, filing_task_open

    report_type = software_annual_report_type()
    period = period_current(report_type)  # last year (December of it)
    _national_margin(period.year, lines)
    profile = AdministratorProfile.objects.select_related("user", "region").filter(user__username="sme_zhejiang").first()
    title = f"[省级]{period.year}年软件和信息技术服务业年报"
    if profile is None or FilingTask.objects.filter(title=title).exists():
        return
    # Issued now for last year: due a month from today once the year's own due day (January) has passed.
    due = max(period_due(report_type, period), today() + datetime.timedelta(days=30))
    task = filing_task_create(actor=profile.user, title=title, report_type=report_type, period=period,
                              issuing_region=profile.region, fill_region=region_by_code(ANNUAL_REGION, level=3),
                              due_date=due, industry_prefix=SOFTWARE_INDUSTRY)
    if task.status == TaskStatus.DRAFT:
        task = filing_task_open(task=task, actor=profile.user)
    lines.append(f"filing task {title}")
    for number, (login, name, mobile, code17, submitted) in enumerate(ANNUAL_ENTERPRISES):
        enterprise = _annual_enterprise(login, name, mobile, code17, lines)
        filing_report_save(task=task, enterprise=enterprise, answers=annual_demo_answers(1.0 - 0.5 * number),
                           actor=enterprise.filler)
        if submitted:
            filing_report_submit(task=task, enterprise=enterprise, actor=enterprise.filler)


@transaction.atomic
def seed_demo() -> list[str]:
    """The software report type, com_soft01 and two open tasks of today's 当期 (tests/test_seed_demo_dates.py);
    the annual report of last year with its task and two enterprises (com_soft02 submitted, com_soft03 编辑).

    On any day: both tasks are for `period_current` of today (last month), titled with it, open, and due by
    `period_due` (the 20th of this month; from the 21st that date is past, the tasks stay open: closing is an
    administrator's act). Idempotent by title: seeding again in a later month adds that month's two tasks.
    """
    lines = []
    report_type = software_report_type()
    _demo_enterprise(lines)
    _demo_tasks(report_type, lines)
    _demo_annual(lines)
    return lines
