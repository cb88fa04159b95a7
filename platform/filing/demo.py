"""Demo of task-based reporting: the software and IT services monthly report type, a software
enterprise in 杭州滨江 (I6511), a provincial task (浙江省, by application) and a municipal task
(宁波市, for every I65 enterprise) of the current period. Idempotent; run by `accounts.demo.seed_demo`
(every app's `demo.seed_demo()` when `with_apps`)."""
import datetime

from django.db import transaction

REPORT_KEY = "software_monthly"
DEFINITION_KEY = "software_monthly_report"
SOFTWARE_INDUSTRY = "I65"
DEMO_LOGIN = "com_soft01"
DEMO_NAME = "杭州滨江示范信息技术有限公司"


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


def _demo_enterprise(lines: list):
    from accounts.demo import DEMO_PASSWORD, _with_check
    from accounts.models import User
    from enterprises.models import Enterprise
    from enterprises.services import enterprise_create_approved
    from regions.enums import EnterpriseSize
    from regions.models import HoldingType, RegistrationType
    from regions.selectors import industry_by_full_code, region_by_code

    enterprise = Enterprise.objects.filter(name=DEMO_NAME).first()
    if enterprise is not None:
        return enterprise
    user = User.objects.filter(username=DEMO_LOGIN).first()
    if user is None:
        user = User(username=DEMO_LOGIN, mobile="13800000065", email=f"{DEMO_LOGIN}@example.com", real_name="王软件")
        user.set_password(DEMO_PASSWORD)
        user.save()
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


def _demo_tasks(report_type, lines: list) -> None:
    from accounts.models import AdministratorProfile
    from reporting.periods import period_current, period_due

    from .enums import TaskStatus
    from .models import FilingTask
    from .services import filing_task_create, filing_task_open

    period = period_current(report_type)
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


@transaction.atomic
def seed_demo() -> list[str]:
    """The software report type, com_soft01 and two open tasks of today's 当期 (tests/test_seed_demo_dates.py).

    On any day: both tasks are for `period_current` of today (last month), titled with it, open, and due by
    `period_due` (the 20th of this month; from the 21st that date is past, the tasks stay open: closing is an
    administrator's act). Idempotent by title: seeding again in a later month adds that month's two tasks.
    """
    lines = []
    report_type = software_report_type()
    _demo_enterprise(lines)
    _demo_tasks(report_type, lines)
    return lines
