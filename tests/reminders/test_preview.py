"""一键催报 asks first: the SMS as it will be sent, the count and the period; nothing goes out before the confirm."""
import html

import pytest

from reminders.models import ReminderRun
from reminders.services import ReminderRefused, reminder_run_preview

pytestmark = pytest.mark.django_db

URL = "/admin/reminders/send-all/"


def test_the_preview_sends_nothing_and_its_text_is_the_text_sent(client, admins, report_type, period, sms_outbox,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(admins["sme_ningbo"])
    query = {"type": report_type.key, "period": f"{period:%Y-%m}"}
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(URL, query)
        unconfirmed = client.post(URL, query)  # a POST without the confirmation only shows the preview
    assert page.status_code == 200 and unconfirmed.status_code == 200
    assert sms_outbox.all() == [] and not ReminderRun.objects.exists()
    text = page.content.decode()
    assert 'data-testid="send-all-preview"' in text and "2家未报送企业" in text
    assert f"{period.year}年{period.month}月" in text
    shown = html.unescape(text.split('data-testid="preview-text">', 1)[1].split("</blockquote>", 1)[0])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, query | {"confirmed": "1"})
    sent = {m.mobile: m.text for m in sms_outbox.all()}
    assert len(sent) == 2 and shown in sent.values()
    assert shown.startswith("【中小企业运行监测】宁波海曙示范机械有限公司：")


def test_the_preview_is_refused_as_the_run_would_be(admins, report_type, period, sms_outbox):
    from accounts.models import AdministratorProfile
    from reporting.periods import month_add

    preview = reminder_run_preview(actor=admins["sme_haishu"], report_type=report_type, period=period)
    assert (preview.total, preview.without_mobile, preview.example.name) == (1, 0, "宁波海曙示范机械有限公司")
    with pytest.raises(ReminderRefused):
        reminder_run_preview(actor=admins["sme_haishu"], report_type=report_type, period=month_add(period, 1))
    AdministratorProfile.objects.filter(user=admins["sme_haishu"]).update(can_sms_remind=False)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reminder_run_preview(actor=admins["sme_haishu"], report_type=report_type, period=period)
    assert sms_outbox.all() == []
