from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import SmsPurpose
from accounts.models import SmsCode, SmsMessage
from accounts.services import sms_code_issue, sms_code_verify

pytestmark = pytest.mark.django_db(transaction=False)
MOBILE = "13700000001"


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue a code as a committed request would: the SMS goes out on commit."""

    def _issue(mobile=MOBILE, ip="10.0.0.1", purpose=SmsPurpose.LOGIN):
        with django_capture_on_commit_callbacks(execute=True):
            sms_code_issue(mobile=mobile, purpose=purpose, ip=ip)

    return _issue


def test_code_is_sent_to_the_outbox_and_verifies_once(sms_outbox, issue):
    issue()
    code = sms_outbox.last_code(MOBILE)
    assert len(code) == 6 and SmsMessage.objects.get().purpose == "login"
    assert code not in SmsCode.objects.get().code_hash  # only a digest is stored
    sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)
    with pytest.raises(ValidationError) as exc:
        sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=code)
    assert exc.value.code == "sms_missing"


def test_code_is_bound_to_its_purpose(sms_outbox, issue):
    issue(purpose=SmsPurpose.REGISTER)
    with pytest.raises(ValidationError):
        sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=sms_outbox.last_code(MOBILE))


def test_expired_code_is_refused(sms_outbox, issue):
    issue()
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError) as exc:
        sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=sms_outbox.last_code(MOBILE))
    assert exc.value.code == "sms_expired"


def test_wrong_codes_burn_the_code_after_five_attempts(sms_outbox, settings, issue):
    issue()
    good = sms_outbox.last_code(MOBILE)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(settings.SMS_CODE_MAX_ATTEMPTS - 1):
        with pytest.raises(ValidationError) as exc:
            sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=wrong)
        assert exc.value.code == "sms_wrong"
    with pytest.raises(ValidationError) as exc:
        sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=wrong)
    assert exc.value.code == "sms_exhausted"
    with pytest.raises(ValidationError):
        sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=good)


def test_new_code_replaces_the_old_one(sms_outbox, issue):
    issue()
    old = sms_outbox.last_code(MOBILE)
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    issue()
    new = sms_outbox.last_code(MOBILE)
    if old != new:
        with pytest.raises(ValidationError):
            sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=old)
    sms_code_verify(mobile=MOBILE, purpose=SmsPurpose.LOGIN, code=new)


def test_throttle_per_mobile_interval_and_hour(settings, issue):
    issue()
    with pytest.raises(ValidationError) as exc:
        issue()
    assert exc.value.code == "sms_throttled"
    for _ in range(settings.SMS_MOBILE_HOURLY_LIMIT - 1):
        SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
        issue()
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="一小时内") as exc:
        issue()
    assert exc.value.code == "sms_throttled"
    SmsCode.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    issue()


def test_interval_is_per_purpose(issue):
    issue(purpose=SmsPurpose.REGISTER)
    issue(purpose=SmsPurpose.LOGIN)  # registering then logging in at once must work
    with pytest.raises(ValidationError):
        issue(purpose=SmsPurpose.LOGIN)


def test_throttle_per_ip(settings, issue):
    settings.SMS_IP_HOURLY_LIMIT = 3
    for i in range(3):
        issue(mobile=f"1370000001{i}")
    with pytest.raises(ValidationError, match="网络"):
        issue(mobile="13700000019")
    issue(mobile="13700000019", ip="10.0.0.2")


def test_console_backend_logs_and_keeps_outbox(settings, caplog, issue):
    settings.SMS_BACKEND = "accounts.sms.ConsoleBackend"
    issue()
    assert SmsMessage.objects.filter(backend="accounts.sms.ConsoleBackend").count() == 1
    assert MOBILE in caplog.text


def test_sms_outbox_command_prints_latest(capsys, issue):
    issue(mobile="13700000001")
    issue(mobile="13700000002")
    call_command("sms_outbox", "--last", "1")
    out = capsys.readouterr().out
    assert "13700000002" in out and "13700000001" not in out
