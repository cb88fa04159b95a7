"""Filing fixtures: the software report type, tasks and enterprises built through the real services."""
import datetime

import pytest

from tests.reporting.conftest import admins  # noqa: F401


@pytest.fixture
def software_type(demo_core):
    """The software report type, and the national margin of 2026 its margin rule reads (参考值)."""
    from filing.demo import NATIONAL_MARGIN, software_report_type
    from formdefs.models import ReferenceValue

    margin = dict(NATIONAL_MARGIN)
    ReferenceValue.objects.get_or_create(key=margin.pop("key"), year=2026, defaults=margin)
    return software_report_type()


@pytest.fixture
def period():
    return datetime.date(2026, 3, 1)


def make_enterprise(login: str, name: str, *, industry: str = "I6513", county: str = "330203"):
    """An approved enterprise with its filler (demo password), like accounts.demo's."""
    from accounts.demo import DEMO_PASSWORD, _with_check
    from accounts.models import User
    from enterprises.services import enterprise_create_approved
    from regions.enums import EnterpriseSize
    from regions.models import HoldingType, RegistrationType
    from regions.selectors import industry_by_full_code, region_by_code

    number = sum(ord(c) for c in login) % 90000 + 10000
    user = User(username=login, mobile=f"137{number:08d}", email=f"{login}@example.com", real_name=name[:2])
    user.set_password(DEMO_PASSWORD)
    user.save()
    region = region_by_code(county, level=3)
    return enterprise_create_approved(
        user=user, name=name, credit_code=_with_check(f"91{county}MA{number:05d}Q"[:17].ljust(17, "0")),
        legal_representative="赵六", industry=industry_by_full_code(industry), region=region,
        registration_type=RegistrationType.objects.get(code="173"), holding_type=HoldingType.objects.get(code="3"),
        size=EnterpriseSize.SMALL, revenue_last_year=5000, employees_last_year=50, assets_last_year=4000,
        address="示范路2号", postcode="315000", opened_on=datetime.date(2018, 1, 1), contact="赵六",
        phone="0574-87777777", mobile=user.mobile, email=user.email, main_business="软件开发")


@pytest.fixture
def soft(software_type):
    """A software enterprise in 宁波海曙 (reviewed by sme_haishu: 县级 → 市级 → 省级 → 审核通过)."""
    return make_enterprise("com_soft_hs", "宁波海曙示范软件有限公司")


@pytest.fixture
def task_factory(software_type, admins, period):
    """A task issued by a demo administrator's region, opened unless asked otherwise."""
    from accounts.models import AdministratorProfile
    from filing.services import filing_task_create, filing_task_open

    def make(login="sme_zhejiang", *, title=None, open_it=True, **kwargs):
        profile = AdministratorProfile.objects.select_related("region").get(user__username=login)
        fields = dict(title=title or f"{profile.region.name}软件业月报", report_type=software_type, period=period,
                      issuing_region=profile.region, due_date=datetime.date(2026, 4, 20), industry_prefix="I65")
        fields.update(kwargs)
        task = filing_task_create(actor=admins[login], **fields)
        return filing_task_open(task=task, actor=admins[login]) if open_it else task

    return make


def software_answers(**changes) -> dict:
    from tests.filing.test_software_definition import software_answers as answers

    return answers(**changes)
