"""manage.py sms_outbox (the README's way to read a demo login code) prints Shanghai local time."""
import io

import pytest
from django.core.management import call_command

from accounts.models import SmsMessage

pytestmark = pytest.mark.django_db


@pytest.mark.today("2026-11-18 07:30")  # 23:30 UTC the day before
def test_the_outbox_prints_local_time():
    SmsMessage.objects.create(mobile="13800000001", text="验证码 123456", purpose="login", backend="outbox")
    out = io.StringIO()
    call_command("sms_outbox", "--last", "1", stdout=out)
    assert out.getvalue().startswith("2026-11-18 07:30"), out.getvalue()
