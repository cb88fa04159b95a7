"""Login lockout, login slowdown and SMS limits keyed on the real client behind the proxy (issue 18 §1).

Every request comes from the proxy's REMOTE_ADDR and names its client in X-Forwarded-For, as
behind deploy/nginx.conf with TRUSTED_PROXY_COUNT=1.
"""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import SmsPurpose
from accounts.models import SmsCode, SmsMessage, User

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
ADDRESS_X, ADDRESS_Y = "203.0.113.7", "198.51.100.23"
PASSWORD = "Xk9#mQ2pLw"
MOBILE_A = "13711110001"


@pytest.fixture(autouse=True)
def _behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def owner(db):
    return User.objects.create_user(username="owner0001", password=PASSWORD, mobile=MOBILE_A, real_name="张三")


def post_from(post):
    def _send(url, data, address):
        return post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    return _send


@pytest.fixture
def send(post):
    return post_from(post)


def _login(send, address, password=PASSWORD, username="owner0001"):
    return send("/accounts/login/", {"username": username, "password": password}, address)


def _retry_minute(moment):
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local.strftime("%H:%M")


def test_lockout_is_per_login_name_and_real_address(send, owner, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(send, ADDRESS_X, password="wrong-pass1")
    assert _login(send, ADDRESS_X).status_code == 429
    response = _login(send, ADDRESS_Y)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"


def test_failures_from_many_addresses_slow_the_account_without_locking_it(send, owner, settings, travel):
    settings.LOGIN_SLOWDOWN_AFTER = 3
    for n in range(3):
        _login(send, f"192.0.2.{n + 1}", password="wrong-pass1")
    # From a fresh address, even with the right password: refused early, saying how long to wait.
    response = _login(send, "192.0.2.50")
    assert response.status_code == 429
    assert "2 秒后再试" in response.content.decode()
    assert not SmsMessage.objects.exists()
    travel.shift(timedelta(seconds=3))
    response = _login(send, "192.0.2.50")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"


def test_an_address_the_owner_logged_in_from_is_not_slowed(send, owner, settings, sms_outbox, client, travel):
    settings.LOGIN_SLOWDOWN_AFTER = 3
    _login(send, ADDRESS_Y)
    send("/accounts/login/verify/", {"code": sms_outbox.last_code(MOBILE_A)}, ADDRESS_Y)
    client.logout()
    travel.shift(timedelta(minutes=2))
    for n in range(4):
        _login(send, f"192.0.2.{n + 1}", password="wrong-pass1")
    assert _login(send, "192.0.2.50").status_code == 429
    response = _login(send, ADDRESS_Y)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"


def test_the_slowdown_grows_and_is_capped(send, owner, settings, travel):
    settings.LOGIN_SLOWDOWN_AFTER = 2
    settings.LOGIN_SLOWDOWN_MAX_SECONDS = 5
    for n in range(2):
        _login(send, f"192.0.2.{n + 1}", password="wrong-pass1")
    travel.shift(timedelta(seconds=3))
    _login(send, "192.0.2.3", password="wrong-pass1")  # the 3rd failure: next wait 4 s
    assert "秒后再试" in _login(send, "192.0.2.4").content.decode()
    travel.shift(timedelta(seconds=5))
    _login(send, "192.0.2.4", password="wrong-pass1")  # 4th: 8 s, capped at 5
    response = _login(send, "192.0.2.5")
    assert response.status_code == 429 and "5 秒后再试" in response.content.decode()


def test_other_codes_do_not_use_up_the_login_codes_of_a_mobile(send, owner, settings, travel):
    settings.SMS_MOBILE_HOURLY_LIMIT = 2
    for _ in range(2):
        response = send("/accounts/forgot/code/", {"username": "owner0001", "real_name": "张三"}, ADDRESS_X)
        assert response.status_code == 200
        travel.shift(timedelta(seconds=61))
    response = send("/accounts/forgot/code/", {"username": "owner0001", "real_name": "张三"}, ADDRESS_X)
    assert response.status_code == 429 and "一小时内" in response.json()["message"]
    # The owner still gets login codes.
    response = _login(send, ADDRESS_Y)
    assert response.status_code == 302
    assert SmsCode.objects.filter(mobile=MOBILE_A, purpose=SmsPurpose.LOGIN, used_at__isnull=True).exists()


def test_registration_requests_do_not_use_up_an_address_for_logins(send, owner, settings):
    settings.SMS_IP_HOURLY_LIMIT = 2
    for n in range(2):
        assert send("/accounts/sms/register/", {"mobile": f"1360000000{n}"}, ADDRESS_X).status_code == 200
    assert send("/accounts/sms/register/", {"mobile": "13600000009"}, ADDRESS_X).status_code == 429
    # Another client behind the same proxy is not affected; nor are logins from the same address.
    assert send("/accounts/sms/register/", {"mobile": "13600000009"}, ADDRESS_Y).status_code == 200
    assert _login(send, ADDRESS_X).status_code == 302


def test_login_page_says_when_a_code_could_not_be_sent(send, owner, settings, sms_outbox, travel):
    settings.SMS_MOBILE_HOURLY_LIMIT = 1
    assert _login(send, ADDRESS_X).status_code == 302
    assert send("/accounts/login/verify/", {"code": sms_outbox.last_code(MOBILE_A)}, ADDRESS_X).status_code == 302
    first = SmsCode.objects.get(mobile=MOBILE_A, purpose=SmsPurpose.LOGIN)
    send("/accounts/logout/", {}, ADDRESS_X)
    travel.shift(timedelta(minutes=2))
    response = _login(send, ADDRESS_X)
    # No code can be entered: stay on the password step and say until when.
    assert response.status_code == 429
    text = response.content.decode()
    assert "一小时内" in text and f"请于 {_retry_minute(first.created_at + timedelta(hours=1))} 后再试" in text
    assert SmsMessage.objects.filter(mobile=MOBILE_A).count() == 1


def test_a_code_still_valid_goes_on_to_the_code_step_saying_when_to_resend(post, owner, travel):
    assert _login(post_from(post), ADDRESS_X).status_code == 302
    travel.shift(timedelta(seconds=20))
    response = post("/accounts/login/", {"username": "owner0001", "password": PASSWORD}, follow=True,
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ADDRESS_X)
    assert response.redirect_chain[-1][0] == "/accounts/login/verify/"
    warning = " ".join(str(m) for m in response.context["messages"])
    seconds = int(re.search(r"请 (\d+) 秒后再试", warning).group(1))
    assert 38 <= seconds <= 40


def test_forgot_password_real_name_check_has_its_own_limit(send, owner, settings, sms_outbox):
    settings.RESET_CHECK_HOURLY_LIMIT = 3
    for _ in range(3):
        response = send("/accounts/forgot/code/", {"username": "owner0001", "real_name": "李四"}, ADDRESS_X)
        assert response.status_code == 400 and "不匹配" in response.json()["message"]
    # Even the right real name is refused from that address now, and nothing is sent.
    response = send("/accounts/forgot/code/", {"username": "owner0001", "real_name": "张三"}, ADDRESS_X)
    assert response.status_code == 429 and "次数过多" in response.json()["message"]
    data = {"username": "owner0001", "real_name": "张三", "password": "Yq7#nR3sKv", "password2": "Yq7#nR3sKv",
            "sms_code": "123456"}
    response = send("/accounts/forgot/", data, ADDRESS_X)
    assert "次数过多" in " ".join(response.context["form"].errors["real_name"])
    assert not SmsMessage.objects.exists()
    # The owner, elsewhere, is not blocked.
    response = send("/accounts/forgot/code/", {"username": "owner0001", "real_name": "张三"}, ADDRESS_Y)
    assert response.status_code == 200


def test_bound_and_unbound_mobiles_are_answered_alike_after_the_throttle(send, owner, settings):
    settings.SMS_IP_HOURLY_LIMIT = 2
    other = User.objects.create_user(username="owner0002", password=PASSWORD, mobile="13711110002")
    # A bound number is counted like a free one ...
    response = send("/accounts/sms/register/", {"mobile": MOBILE_A}, ADDRESS_X)
    assert response.status_code == 400 and "已绑定" in response.json()["message"]
    assert send("/accounts/sms/register/", {"mobile": "13600000001"}, ADDRESS_X).status_code == 200
    # ... and once the limit holds both are refused with the same answer.
    bound = send("/accounts/sms/register/", {"mobile": other.mobile}, ADDRESS_X)
    free = send("/accounts/sms/register/", {"mobile": "13600000002"}, ADDRESS_X)
    assert bound.status_code == free.status_code == 429
    assert bound.json() == free.json()
    assert "已绑定" not in bound.json()["message"]
    assert not SmsMessage.objects.filter(mobile__in=[MOBILE_A, other.mobile]).exists()
