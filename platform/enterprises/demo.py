"""Demo registrations built through the real services (idempotent): one pending, one returned,
and a second, associated user of com_demo01's enterprise who is not its filler."""
from django.db import transaction

DEMO_REGISTRATIONS = [
    # (login, mobile, real name, enterprise name, credit code (17 chars), industry, county, returned with reason)
    ("com_demo04", "13800000004", "赵六", "宁波鄞州待审示范电子有限公司", "91330212MA2DDDDD4", "C3971", "330212", ""),
    ("com_demo05", "13800000005", "孙七", "宁波北仑退回示范物流有限公司", "91330206MA2EEEEE5", "G5920", "330206",
     "营业执照上的企业名称与填写的不一致，请核对后重新提交。"),
]

#: (login, mobile, real name, enterprise of com_demo01)
DEMO_ASSOCIATED = ("com_demo06", "13800000006", "周八", "宁波海曙示范机械有限公司")


def registration_answers(*, name: str, credit_code: str, industry: str = "C3435", region: str = "330203",
                         mobile: str = "13800000009", **overrides) -> dict:
    """A complete set of registration answers (demo data and tests)."""
    answers = {
        "name": name, "credit_code": credit_code, "legal_representative": "王建国", "industry": industry, "region": region,
        "registration_type": "173", "holding_type": "3", "revenue_last_year": 25000.0, "employees_last_year": 60,
        "assets_last_year": 30000.0, "size": "small", "is_listed": False, "opened_on": "2018-05-20",
        "address": "浙江省宁波市示范路8号", "postcode": "315000", "contact": "王建国", "phone": "0574-87654321",
        "mobile": mobile, "email": "contact@example.com", "main_business": "示范产品的研发、生产与销售",
    }
    answers.update(overrides)
    return {k: v for k, v in answers.items() if v is not None}


def _demo_user(login: str, mobile: str, real_name: str):
    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User

    user = User.objects.filter(username=login).first()
    if user is None:
        user = User(username=login, mobile=mobile, email=f"{login}@example.com", real_name=real_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def seed_demo() -> list[str]:
    from accounts.demo import _with_check
    from accounts.models import AdministratorProfile
    from formdefs.demo import seed_demo as formdefs_seed_demo

    from .models import Enterprise, EnterpriseAssociation
    from .services import enterprise_associate, enterprise_register, enterprise_registration_return

    lines = formdefs_seed_demo()  # the registration definition must be published first
    for login, mobile, real_name, name, code17, industry, county, reason in DEMO_REGISTRATIONS:
        user = _demo_user(login, mobile, real_name)
        if Enterprise.objects.filter(user=user).exists():
            continue
        answers = registration_answers(name=name, credit_code=_with_check(code17), industry=industry, region=county, mobile=mobile,
                                       contact=real_name)
        enterprise = enterprise_register(user=user, answers=answers, actor=user)
        if reason:
            reviewer = enterprise.direct_reviewer or AdministratorProfile.objects.filter(region__isnull=True).first()
            enterprise_registration_return(enterprise=enterprise, actor=reviewer.user, reason=reason)
        lines.append(f"registration {login}: {name} ({'returned' if reason else 'pending'})")

    login, mobile, real_name, enterprise_name = DEMO_ASSOCIATED
    user = _demo_user(login, mobile, real_name)
    enterprise = Enterprise.objects.filter(name=enterprise_name).first()
    if enterprise and not EnterpriseAssociation.objects.filter(user=user, enterprise=enterprise).exists():
        enterprise_associate(user=user, name=enterprise.name, credit_code=enterprise.credit_code)
        lines.append(f"association {login} → {enterprise.name} (not the filler)")
    return lines
