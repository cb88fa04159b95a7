"""Authorization matrix of the review back office: every URL and action as national, province, city,
county and another province's administrator, an enterprise user and anonymous, in and out of region.

Each role is one test; each request runs in a savepoint that is rolled back, so every action sees the
same starting state: 宁波海曙 (com_demo01) pending at sme_haishu and an information change of its
previous month; 杭州西湖 (com_demo03) pending at sme_zhejiang.
"""
import pytest
from django.db import transaction
from django.urls import reverse

from reporting.enums import ChangeStatus
from reporting.models import InformationChange, Submission
from reporting.periods import month_add
from reporting.enums import SubmissionStatus as S

pytestmark = pytest.mark.django_db

ROLES = ["national", "province", "city", "county", "other_province", "enterprise", "anonymous"]
USERS = {"national": "sme_admin", "province": "sme_zhejiang", "city": "sme_ningbo", "county": "sme_haishu",
         "other_province": "sme_jiangsu", "enterprise": "com_demo01", "anonymous": None}
ZHEJIANG = {"national", "province", "city", "county"}
ADMINS = ZHEJIANG | {"other_province"}


@pytest.fixture
def world(reports, enterprise, period, admins, demo_core):
    from accounts.services import administrator_create
    from enterprises.models import Enterprise
    from regions.selectors import region_by_code

    administrator_create(actor=admins["sme_admin"], parent=demo_core["sme_admin"], username="sme_jiangsu",
                         password="Demo@2026sme", mobile="13900000021", region=region_by_code("320000", level=1),
                         can_review_report=True, can_one_click=True, can_skip_level=True)
    hangzhou = Enterprise.objects.get(filler__username="com_demo03")
    s1 = reports.submitted(enterprise, period)
    s3 = reports.submitted(hangzhou, period)
    answers = reports.answers(enterprise, month_add(period, -1))
    answers["name"] = "宁波海曙示范机械股份有限公司"
    frozen = reports.save(enterprise, month_add(period, -1), answers=answers)
    return {"s1": s1, "s3": s3, "c1": frozen.changes.get(), "frozen": frozen, "e1": enterprise, "e3": hangzhou,
            "key": f"{period:%Y-%m}"}


def state(world):
    s1, s3, c1 = (Submission.objects.get(pk=world["s1"].pk), Submission.objects.get(pk=world["s3"].pk),
                  InformationChange.objects.get(pk=world["c1"].pk))
    return (s1.status, s1.holder_id, s3.status, s3.holder_id, c1.status)


def gets(w):
    month = lambda e: reverse("workflow_review:month", args=[e.pk, w["key"]])  # noqa: E731
    return {
        "list": (reverse("workflow_review:list"), ADMINS),
        "month in": (month(w["e1"]), ZHEJIANG),
        "month out": (month(w["e3"]), {"national", "province"}),
        "return form in": (reverse("workflow_review:return", args=[w["s1"].pk]), ZHEJIANG),
        "return form out": (reverse("workflow_review:return", args=[w["s3"].pk]), {"national", "province"}),
        "changes": (reverse("workflow_review:changes"), ADMINS),
        "change return form": (reverse("workflow_review:change_return", args=[w["c1"].pk]), ZHEJIANG),
    }


def posts(w):
    """(url, data, the roles whose request changes the state, how the state changes)."""
    return {
        "receive s1": (reverse("workflow_review:receive", args=[w["s1"].pk]), {}, {"county"}),
        "receive s3": (reverse("workflow_review:receive", args=[w["s3"].pk]), {}, {"province"}),
        # before anyone received it, any reviewer of the enterprise's region may return it (SPEC §6)
        "return s1": (reverse("workflow_review:return", args=[w["s1"].pk]), {"reason": "请核实。"}, ZHEJIANG),
        "return s3": (reverse("workflow_review:return", args=[w["s3"].pk]), {"reason": "请核实。"},
                      {"national", "province"}),
        "receive all": (reverse("workflow_review:receive_all"), {}, {"county", "province"}),
        "skip receive": (reverse("workflow_review:skip_receive"), {}, {"province"}),
        "approve change": (reverse("workflow_review:change_approve", args=[w["c1"].pk]), {}, ZHEJIANG),
        "return change": (reverse("workflow_review:change_return", args=[w["c1"].pk]), {"reason": "请核实。"}, ZHEJIANG),
    }


@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, role):
    from accounts.models import User

    if USERS[role]:
        client.force_login(User.objects.get(username=USERS[role]))
    for name, (url, allowed) in gets(world).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, name)
        else:
            assert response.status_code in (302, 403, 404), (role, name, response.status_code)
            if response.status_code == 302:
                assert "login" in response.url or response.url.rstrip("/").endswith("/admin"), (role, name)

    before = state(world)
    for name, (url, data, changes) in posts(world).items():
        with transaction.atomic():
            response = client.post(url, data)
            assert response.status_code in (302, 403, 404), (role, name, response.status_code)
            changed = state(world) != before
            transaction.set_rollback(True)
        assert changed == (role in changes), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_submission_link(client, world, role):
    from accounts.models import User

    if USERS[role]:
        client.force_login(User.objects.get(username=USERS[role]))
    for key, allowed in (("s1", ZHEJIANG), ("s3", {"national", "province"})):
        response = client.get(reverse("workflow_review:submission", args=[world[key].pk]))
        if role in allowed:
            assert response.status_code == 302 and "/admin/review/enterprise/" in response.url, (role, key)
        else:
            assert response.status_code in (302, 403, 404), (role, key)
            assert not getattr(response, "url", "").startswith("/admin/review/"), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_home_panel(client, world, role):
    from accounts.models import User

    if USERS[role]:
        client.force_login(User.objects.get(username=USERS[role]))
    response = client.get(reverse("wagtailadmin_home"))
    shown = response.status_code == 200 and 'data-testid="review-home"' in response.content.decode()
    assert shown == (role in ADMINS), role
    if role == "other_province":
        assert "浙江" not in response.content.decode().split('data-testid="review-home"')[1].split("</section>")[0]


def test_the_states_of_the_world(world):
    assert state(world) == (S.PENDING, world["s1"].holder_id, S.PENDING, world["s3"].holder_id, ChangeStatus.PENDING)
