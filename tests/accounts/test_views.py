from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import SmsCode, User

pytestmark = pytest.mark.django_db
NEW_MOBILE = "13712345678"
GOOD_PASSWORD = "Xk9#mQ2pLw"


def _register_data(sms_outbox, post, **overrides):
    post("/accounts/sms/register/", {"mobile": overrides.get("mobile", NEW_MOBILE)})
    data = {
        "username": "newco2026", "password": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "real_name": "王五",
        "email": "w@example.com", "mobile": NEW_MOBILE,
    }
    data.update(overrides)
    data.setdefault("sms_code", sms_outbox.last_code(data["mobile"]))
    return data


def test_register_creates_an_enterprise_user(post, sms_outbox):
    response = post("/accounts/register/", _register_data(sms_outbox, post))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    user = User.objects.get(username="newco2026")
    assert user.mobile == NEW_MOBILE and user.kind == "enterprise" and user.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"username": "ab"}, "username", "6-16"),
        ({"username": "has space1"}, "username", "6-16"),
        ({"username": "under_score"}, "username", "6-16"),
        ({"password2": "Other#123x"}, "password2", "两次输入的密码不一致"),
        ({"password": "12345678", "password2": "12345678"}, "password", ""),
        ({"password": "Xk9 mQ2pLw", "password2": "Xk9 mQ2pLw"}, "password", "空格"),
        ({"sms_code": "000000"}, "sms_code", "验证码"),
        ({"email": "not-an-email"}, "email", ""),
    ],
)
def test_register_refuses_bad_input_and_creates_nothing(post, sms_outbox, overrides, field, message):
    data = _register_data(sms_outbox, post)
    if overrides.get("sms_code") == "000000" and data["sms_code"] == "000000":
        overrides["sms_code"] = "111111"
    data.update(overrides)
    response = post("/accounts/register/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not User.objects.filter(mobile=NEW_MOBILE).exists()


def test_register_duplicate_login_name_and_mobile(post, sms_outbox, demo):
    response = post("/accounts/sms/register/", {"mobile": "13800000001"})
    assert response.status_code == 400 and "已绑定" in response.json()["message"]
    User.objects.create_user(username="takenname1", password=GOOD_PASSWORD, mobile="13799999999")
    data = _register_data(sms_outbox, post, username="TakenName1")
    response = post("/accounts/register/", data)
    assert "已被使用" in " ".join(response.context["form"].errors["username"])
    response = post("/accounts/sms/register/", {"mobile": "1380000"})
    assert response.status_code == 400 and response.json()["field"] == "mobile"


def _login(post, sms_outbox, username="com_demo01", password=DEMO_PASSWORD, mobile="13800000001", next_url=""):
    response = post("/accounts/login/", {"username": username, "password": password, "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/", response.content[:500]
    return post("/accounts/login/verify/", {"code": sms_outbox.last_code(mobile)})


def test_two_step_login_for_an_enterprise_user(client, post, sms_outbox, demo):
    response = _login(post, sms_outbox)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"].username == "com_demo01"


def test_password_alone_does_not_log_in(client, post, demo):
    post("/accounts/login/", {"username": "com_demo01", "password": DEMO_PASSWORD})
    assert client.get("/accounts/profile/").status_code == 302
    response = client.get("/")
    assert not response.context["user"].is_authenticated


def test_administrator_lands_in_the_back_office(client, post, sms_outbox, demo):
    response = _login(post, sms_outbox, "sme_ningbo", mobile="13900000003")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wagtail_login_goes_through_the_sms_login(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_enterprise_user_cannot_enter_the_back_office(client, post, sms_outbox, demo):
    _login(post, sms_outbox)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_wrong_password_and_unknown_login(post, demo):
    for username, password in (("com_demo01", "wrong-pass1"), ("nobody99", DEMO_PASSWORD)):
        response = post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 200
        assert "登录名或密码错误" in response.content.decode()


def test_wrong_and_expired_sms_code(post, sms_outbox, demo):
    post("/accounts/login/", {"username": "com_demo01", "password": DEMO_PASSWORD})
    code = sms_outbox.last_code("13800000001")
    response = post("/accounts/login/verify/", {"code": "000000" if code != "000000" else "111111"})
    assert "验证码错误" in response.content.decode()
    response = post("/accounts/login/verify/", {"code": "12ab"})
    assert response.context["form"].errors["code"]
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = post("/accounts/login/verify/", {"code": code})
    assert "已过期" in response.content.decode()


def test_lockout_after_repeated_failures_says_how_long(post, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post("/accounts/login/", {"username": "com_demo01", "password": "wrong-pass1"})
    response = post("/accounts/login/", {"username": "com_demo01", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "30 分钟" in response.content.decode()
    # Another login name from the same address is not locked.
    response = post("/accounts/login/", {"username": "com_demo02", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_forgot_password_with_sms(post, sms_outbox, demo):
    user = User.objects.get(username="com_demo01")
    response = post("/accounts/forgot/code/", {"username": "com_demo01", "real_name": "wrong"})
    assert response.status_code == 400 and "不匹配" in response.json()["message"]
    response = post("/accounts/forgot/code/", {"username": "com_demo01", "real_name": user.real_name})
    assert response.json()["ok"]
    data = {
        "username": "com_demo01", "real_name": user.real_name, "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD, "sms_code": sms_outbox.last_code(user.mobile),
    }
    response = post("/accounts/forgot/", data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)


def test_forgot_password_wrong_code_changes_nothing(post, sms_outbox, demo):
    user = User.objects.get(username="com_demo01")
    post("/accounts/forgot/code/", {"username": "com_demo01", "real_name": user.real_name})
    code = sms_outbox.last_code(user.mobile)
    data = {
        "username": "com_demo01", "real_name": user.real_name, "password": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD, "sms_code": "000000" if code != "000000" else "111111",
    }
    response = post("/accounts/forgot/", data)
    assert "sms_code" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_change_of_bound_mobile(client, post, sms_outbox, demo):
    _login(post, sms_outbox)
    response = post("/accounts/sms/change_mobile/", {"mobile": "13800000002"})
    assert response.status_code == 400  # bound to another account
    post("/accounts/sms/change_mobile/", {"mobile": NEW_MOBILE})
    data = {"password": DEMO_PASSWORD, "new_mobile": NEW_MOBILE, "sms_code": sms_outbox.last_code(NEW_MOBILE)}
    response = post("/accounts/mobile/", data | {"password": "bad-password1"})
    assert "password" in response.context["form"].errors
    response = post("/accounts/mobile/", data)
    assert response.status_code == 302
    assert User.objects.get(username="com_demo01").mobile == NEW_MOBILE


def test_change_mobile_code_needs_login(post):
    assert post("/accounts/sms/change_mobile/", {"mobile": NEW_MOBILE}).status_code == 403


def test_logout(client, post, sms_outbox, demo):
    _login(post, sms_outbox)
    post("/accounts/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_open_redirect_is_refused(post, sms_outbox, demo):
    response = _login(post, sms_outbox, next_url="https://evil.example.com/")
    assert response["Location"] == "/"


def test_csrf_is_enforced():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
