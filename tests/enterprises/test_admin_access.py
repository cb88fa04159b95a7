"""Authorization matrix of the enterprise back office: every URL and action of 企业注册信息审核 and
监测企业信息管理 as national, province, city, county and another province's administrator, an
enterprise user and anonymous, in and out of region.

Each request runs in a savepoint that is rolled back, so every action sees the same starting state:
the pending registration com_demo04 (鄞州, in 宁波 but not 海曙), the approved enterprises com_demo01
(海曙) and com_demo03 (杭州西湖, outside 宁波), and a disabled enterprise without data in 海曙.
"""
import pytest
from django.db import transaction
from django.urls import reverse

from enterprises.enums import RegistrationStatus as S
from enterprises.models import Enterprise, EnterpriseEvent

pytestmark = pytest.mark.django_db

ROLES = ["national", "province", "city", "county", "other_province", "enterprise", "anonymous"]
USERS = {"national": "sme_admin", "province": "sme_zhejiang", "city": "sme_ningbo", "county": "sme_haishu",
         "other_province": "sme_jiangsu", "enterprise": "com_demo01", "anonymous": None}
ZHEJIANG = {"national", "province", "city", "county"}
ADMINS = ZHEJIANG | {"other_province"}
NINGBO_UP = {"national", "province", "city"}
HANGZHOU_UP = {"national", "province"}


@pytest.fixture
def world(demo, make_user, answers):
    from accounts.services import administrator_create
    from enterprises.services import _fields_from_answers, enterprise_create_approved, enterprise_disable
    from regions.selectors import region_by_code

    administrator_create(actor=demo["sme_admin"].user, parent=demo["sme_admin"], username="sme_jiangsu",
                         password="Demo@2026sme", mobile="13900000021", region=region_by_code("320000", level=1),
                         can_review_report=True, can_review_registration=True)
    fields = _fields_from_answers(answers(region="330203"))
    fields.pop("region_code")
    spare = enterprise_create_approved(user=make_user(), **fields)
    enterprise_disable(enterprise=spare, actor=demo["sme_haishu"].user)
    return {
        "reg": Enterprise.objects.get(user__username="com_demo04"),
        "e1": Enterprise.objects.get(filler__username="com_demo01"),
        "e3": Enterprise.objects.get(filler__username="com_demo03"),
        "spare": spare,
        "haishu": demo["sme_haishu"], "ningbo": demo["sme_ningbo"], "national": demo["sme_admin"],
    }


def state(w):
    rows = Enterprise.objects.filter(pk__in=[w[k].pk for k in ("reg", "e1", "e3", "spare")]).order_by("pk")
    return (tuple(rows.values_list("pk", "status", "is_disabled", "direct_reviewer_id", "return_reason")),
            EnterpriseEvent.objects.count())


def bulk(action, *enterprises):
    url = reverse("wagtail_bulk_action", args=["enterprises", "enterprise", action])
    return url + "?" + "&".join(f"id={e.pk}" for e in enterprises)


def gets(w):
    """(url, the roles that get a 200)."""
    R = lambda name, e: reverse(f"enterprises_admin:{name}", args=[e.pk])  # noqa: E731
    return {
        "registrations": (reverse("enterprises_admin:registrations"), ADMINS),
        "registrations results": (reverse("enterprises_admin:registrations_results"), ADMINS),
        "registrations export": (reverse("enterprises_admin:registrations") + "?export=csv", ADMINS),
        "registration in": (R("registration", w["reg"]), NINGBO_UP),
        "registration return form": (R("registration_return", w["reg"]), NINGBO_UP),
        "registration delete form": (R("registration_delete", w["reg"]), NINGBO_UP),
        "enterprises": (reverse("enterprises_admin:enterprises"), ADMINS),
        "enterprises results": (reverse("enterprises_admin:enterprises_results"), ADMINS),
        "enterprises export": (reverse("enterprises_admin:enterprises") + "?export=xlsx", ADMINS),
        "enterprise in": (R("enterprise", w["e1"]), ZHEJIANG),
        "enterprise out": (R("enterprise", w["e3"]), HANGZHOU_UP),
        "delete form in": (R("delete", w["spare"]), ZHEJIANG),
        "delete form out": (R("delete", w["e3"]), HANGZHOU_UP),
        "bulk disable in": (bulk("disable", w["e1"]), ZHEJIANG),
        "bulk disable out": (bulk("disable", w["e3"]), HANGZHOU_UP),
        "bulk reviewer in": (bulk("reviewer", w["e1"]), ZHEJIANG),
        "bulk reviewer out": (bulk("reviewer", w["e3"]), HANGZHOU_UP),
    }


def posts(w):
    """(url, data, the roles whose request changes the state)."""
    R = lambda name, e: reverse(f"enterprises_admin:{name}", args=[e.pk])  # noqa: E731
    return {
        "approve": (R("registration_approve", w["reg"]), {}, NINGBO_UP),
        "return": (R("registration_return", w["reg"]), {"reason": "请核实。"}, NINGBO_UP),
        "delete registration": (R("registration_delete", w["reg"]), {}, NINGBO_UP),
        "disable in": (R("disable", w["e1"]), {}, ZHEJIANG),
        "disable out": (R("disable", w["e3"]), {}, HANGZHOU_UP),
        "enable in": (R("enable", w["spare"]), {}, ZHEJIANG),
        "delete in": (R("delete", w["spare"]), {}, ZHEJIANG),
        "bulk disable in": (bulk("disable", w["e1"]), {}, ZHEJIANG),
        "bulk disable mixed": (bulk("disable", w["e1"], w["e3"]), {}, HANGZHOU_UP),
        "bulk reviewer in": (bulk("reviewer", w["e1"]), {"reviewer": w["ningbo"].pk}, NINGBO_UP),
        "bulk reviewer to county": (bulk("reviewer", w["e1"]), {"reviewer": w["haishu"].pk}, set()),  # already it
        "bulk reviewer out": (bulk("reviewer", w["e3"]), {"reviewer": w["national"].pk}, {"national"}),
    }


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    from accounts.models import User

    if USERS[role]:
        client.force_login(User.objects.get(username=USERS[role]))
    for name, (url, allowed) in gets(world).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, name, response.status_code)
        else:
            assert response.status_code in (302, 403, 404), (role, name, response.status_code)
            if response.status_code == 302:
                assert "login" in response.url or response.url.rstrip("/").endswith("/admin"), (role, name)

    before = state(world)
    for name, (url, data, changes) in posts(world).items():
        with transaction.atomic():
            response = client.post(url, data)
            assert response.status_code in (200, 302, 403, 404), (role, name, response.status_code)
            changed = state(world) != before
            transaction.set_rollback(True)
        assert changed == (role in changes), (role, name)


def test_the_registration_stays_pending_after_the_matrix(world):
    assert Enterprise.objects.get(pk=world["reg"].pk).status == S.PENDING
