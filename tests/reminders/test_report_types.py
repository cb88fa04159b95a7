"""催报 for every report type filed directly (issue 19 §2): the list chooses the type, counts only the
enterprises it applies to, and the automatic reminders cover each active type."""
import pytest

from enterprises.models import Enterprise
from reminders.models import ReminderDelivery
from reminders.services import ReminderRefused, reminder_send, reminders_due_soon_send
from reporting.periods import period_current, period_due
from tests.reporting.conftest import make_report_type  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def haishu_pilot(make_report_type):
    """A type filed by 海曙 (330203) only: com_demo01 files it, com_demo02 (江北) does not."""
    return make_report_type("haishu_pilot", title="海曙试点月报", region_prefixes=["330203"])


def test_the_list_chooses_the_type_and_lists_only_the_enterprises_it_applies_to(client, admins, report_type,
                                                                                 haishu_pilot, period):
    client.force_login(admins["sme_ningbo"])
    page = client.get("/admin/reminders/", {"type": "haishu_pilot", "period": f"{period:%Y-%m}"}).content.decode()
    assert 'data-testid="report-type"' in page and '<option value="haishu_pilot" selected>海曙试点月报</option>' in page
    assert "宁波海曙示范机械有限公司" in page and "宁波江北示范软件有限公司" not in page
    assert "一键催报（1家未报送企业）" in page and 'name="type" value="haishu_pilot"' in page
    # Without a type: the first one (the monthly report), both enterprises.
    page = client.get("/admin/reminders/", {"period": f"{period:%Y-%m}"}).content.decode()
    assert "宁波江北示范软件有限公司" in page and "一键催报（2家未报送企业）" in page


def test_a_reminder_of_a_type_the_enterprise_does_not_file_is_refused(admins, haishu_pilot, period, sms_outbox):
    jiangbei = Enterprise.objects.get(user__username="com_demo02")
    with pytest.raises(ReminderRefused) as refused:
        reminder_send(actor=admins["sme_ningbo"], enterprise=jiangbei, report_type=haishu_pilot, period=period)
    assert refused.value.message == "宁波江北示范软件有限公司不填报“海曙试点月报”，无需催报。" and sms_outbox.all() == []


def test_send_all_posts_the_type_and_reminds_its_enterprises_only(client, admins, haishu_pilot, period, sms_outbox,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(admins["sme_ningbo"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/reminders/send-all/", {"type": "haishu_pilot", "period": f"{period:%Y-%m}", "confirmed": "1"})
    assert [m.mobile for m in sms_outbox.all()] == ["13800000001"]
    assert "海曙试点月报" in sms_outbox.all()[0].text


def test_the_automatic_reminders_cover_every_directly_filed_type(travel, report_type, haishu_pilot, make_report_type,
                                                                  sms_outbox):
    make_report_type("by_tasks", title="任务报表", by_task_only=True)
    period = period_current(report_type)
    due = period_due(report_type, period)
    sent = reminders_due_soon_send(on=due)
    kinds = set(ReminderDelivery.objects.values_list("report_type__key", "enterprise__user__username"))
    assert ("haishu_pilot", "com_demo01") in kinds and ("haishu_pilot", "com_demo02") not in kinds
    assert ("sme_monthly", "com_demo02") in kinds
    assert not any(key == "by_tasks" for key, _user in kinds)
    assert sent == len(kinds)
