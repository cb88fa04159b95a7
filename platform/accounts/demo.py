"""Demo data built through the real services (the seed and the browser tests share it)."""
import datetime
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from regions.models import HoldingType, RegistrationType
from regions.selectors import industry_by_full_code, region_by_code

from .models import AdministratorProfile, User
from .services import administrator_create, roles_ensure

DEMO_PASSWORD = "Demo@2026sme"

ALL_FLAGS = dict(
    can_review_registration=True, can_review_report=True, can_one_click=True, can_sms_remind=True
)

# (login, mobile, region code and level, parent login, flags, organisation)
DEMO_ADMINS = [
    ("sme_admin", "13900000001", None, None, ALL_FLAGS, "工业和信息化部中小企业局"),
    ("sme_zhejiang", "13900000002", ("330000", 1), "sme_admin", ALL_FLAGS | {"can_skip_level": True}, "浙江省经济和信息化厅"),
    ("sme_ningbo", "13900000003", ("330200", 2), "sme_zhejiang", ALL_FLAGS, "宁波市经济和信息化局"),
    ("sme_haishu", "13900000004", ("330203", 3), "sme_ningbo", ALL_FLAGS, "海曙区经济和信息化局"),
]

# (login, mobile, enterprise name, credit code, industry, county code, size measures)
DEMO_ENTERPRISES = [
    ("com_demo01", "13800000001", "宁波海曙示范机械有限公司", "91330203MA2AAAAA1", "C3435", "330203", (52000, 180, 61000)),
    ("com_demo02", "13800000002", "宁波江北示范软件有限公司", "91330205MA2BBBBB2", "I6513", "330205", (8000, 45, 9000)),
    ("com_demo03", "13800000003", "杭州西湖示范食品有限公司", "91330106MA2CCCCC3", "C1431", "330106", (3000, 25, 2500)),
]


def _with_check(code17: str) -> str:
    from enterprises.validators import uscc_check_char

    return code17 + uscc_check_char(code17)


@transaction.atomic
def demo_user_ensure(login: str, *, mobile: str, real_name: str) -> User:
    """A demo enterprise user (password DEMO_PASSWORD, e-mail <login>@example.com), kept if it exists."""
    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(username=login, mobile=mobile, email=f"{login}@example.com", real_name=real_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_enterprise_ensure(*, login: str, mobile: str, contact: str, name: str, code17: str, industry_code: str,
                           county: str, measures: tuple[int, int, int], lines: list, size: str | None = None,
                           legal_representative: str = "张三", street: str = "示范路1号", postcode: str = "315000",
                           opened_on: datetime.date = datetime.date(2015, 3, 1), phone: str = "0574-88888888",
                           main_business: str = "示范产品的生产与销售"):
    """A demo enterprise, approved, with its user (the filler): created through `enterprise_create_approved`
    unless it exists (by its login, name or credit code: a demo information change may have renamed it).
    `measures` are last year's (revenue, employees, assets) in thousand yuan; the size is classified from
    them unless given. Appends what it created to `lines`."""
    from enterprises.models import Enterprise
    from enterprises.services import enterprise_create_approved
    from regions.services import SizeMeasures, enterprise_size_classify

    credit_code = _with_check(code17[:17])
    existing = Enterprise.objects.filter(Q(user__username=login) | Q(name=name) | Q(credit_code=credit_code)).first()
    if existing is not None:
        return existing
    user = demo_user_ensure(login, mobile=mobile, real_name=contact)
    industry = industry_by_full_code(industry_code)
    region = region_by_code(county, level=3)
    revenue, employees, assets = measures
    if size is None:
        size = enterprise_size_classify(industry=industry, measures=SizeMeasures(
            revenue_thousand=revenue, employees=employees, assets_thousand=assets))
    enterprise = enterprise_create_approved(
        user=user, name=name, credit_code=credit_code, legal_representative=legal_representative, industry=industry,
        region=region, registration_type=RegistrationType.objects.get(code="173"),
        holding_type=HoldingType.objects.get(code="3"), size=size, revenue_last_year=revenue,
        employees_last_year=employees, assets_last_year=assets, address=f"{region.full_name}{street}",
        postcode=postcode, opened_on=opened_on, contact=contact, phone=phone, mobile=mobile,
        email=f"{login}@example.com", main_business=main_business)
    lines.append(f"enterprise {login}: {name} ({region.full_name})")
    return enterprise


def seed_demo(*, with_apps: bool = True) -> list[str]:
    """Demo administrators and enterprises; then, with `with_apps`, every app's own demo data. Idempotent.

    The administrators and enterprises do not depend on the date. Through the apps, the demo is built
    relative to today on purpose: reporting.demo (14 months of reports around 当期) and filing.demo (tasks
    of 当期) say what they guarantee on any day; cms.demo's notices carry fixed 2026 dates.
    """
    roles_ensure()
    lines = []
    for login, mobile, region_key, parent_login, flags, org in DEMO_ADMINS:
        if User.objects.filter(username=login).exists():
            continue
        parent = AdministratorProfile.objects.get(user__username=parent_login) if parent_login else None
        region = region_by_code(region_key[0], level=region_key[1]) if region_key else None
        administrator_create(
            actor=None if parent is None else parent.user,
            parent=parent,
            username=login,
            password=DEMO_PASSWORD,
            mobile=mobile,
            region=region,
            organisation=org,
            real_name=org,
            **flags,
        )
        lines.append(f"administrator {login} ({region.name if region else '全国'})")

    for login, mobile, name, code17, industry_code, county, measures in DEMO_ENTERPRISES:
        demo_enterprise_ensure(login=login, mobile=mobile, contact=f"{name[:2]}联系人", name=name, code17=code17,
                               industry_code=industry_code, county=county, measures=measures, lines=lines)

    if not with_apps:
        return lines
    # Later apps add demo data of their own: each may define demo.seed_demo() -> list[str].
    for config in apps.get_app_configs():
        if config.name == "accounts":
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        lines += module.seed_demo()
    return lines
