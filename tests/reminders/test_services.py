"""催报 services: who may remind whom, the outbox contents, one-click runs, the automatic reminders."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import AdministratorProfile, SmsMessage
from enterprises.models import Enterprise
from reminders import services
from reminders.enums import DeliveryOutcome, ReminderKind, RunStatus
from reminders.models import ReminderDelivery, ReminderRun
from reminders.selectors import non_reporters, report_status_label
from accounts.selectors import admin_scope
from reporting.periods import month_add, period_due

NAMES = {"com_demo01": "宁波海曙示范机械有限公司", "com_demo02": "宁波江北示范软件有限公司", "com_demo03": "杭州西湖示范食品有限公司"}


def ent(username: str) -> Enterprise:
    return Enterprise.objects.select_related("region", "user", "filler").get(user__username=username)


def month_text(period) -> str:
    return f"{period.year}年{period.month}月"


def due_text(report_type, period) -> str:
    due = period_due(report_type, period)
    return f"{due.year}年{due.month}月{due.day}日"


def test_non_reporters_are_the_scope_s_enterprises_without_a_submitted_or_approved_report(admins, report_type, period, reports):
    national = admin_scope(admins["sme_admin"])
    assert {e.user.username for e in non_reporters(scope=national, report_type=report_type, period=period)} == set(NAMES)
    ningbo = admin_scope(admins["sme_ningbo"])
    assert {e.user.username for e in non_reporters(scope=ningbo, report_type=report_type, period=period)} == {"com_demo01", "com_demo02"}
    reports.submitted(ent("com_demo01"), period)  # 待审核: reported
    reports.save(ent("com_demo02"), period)  # 编辑: not reported
    rows = list(non_reporters(scope=ningbo, report_type=report_type, period=period))
    assert [(e.user.username, report_status_label(e.report_status)) for e in rows] == [("com_demo02", "编辑")]
    assert non_reporters(scope=national, report_type=report_type, period=period, search="西湖").get().user.username == "com_demo03"


def test_a_returned_report_counts_as_not_reported(admins, report_type, period, reports):
    from workflow.services import submission_return

    submission = reports.submitted(ent("com_demo01"), period)
    submission_return(submission=submission, actor=admins["sme_haishu"], reason="数据有误")
    (row,) = non_reporters(scope=admin_scope(admins["sme_haishu"]), report_type=report_type, period=period)
    assert report_status_label(row.report_status) == "退回"


def test_an_administrator_with_the_flag_reminds_one_enterprise_by_sms(admins, report_type, period, sms_outbox):
    delivery = services.reminder_send(actor=admins["sme_haishu"], enterprise=ent("com_demo01"), report_type=report_type, period=period)
    assert (delivery.kind, delivery.outcome, delivery.mobile) == (ReminderKind.MANUAL, DeliveryOutcome.SENT, "13800000001")
    (message,) = sms_outbox.all()
    assert message.mobile == "13800000001" and delivery.sms == message
    assert message.text.startswith("【中小企业运行监测】宁波海曙示范机械有限公司：")
    assert month_text(period) in message.text and due_text(report_type, period) in message.text
    assert report_type.title in message.text


def test_reminding_needs_the_flag(admins, report_type, period, sms_outbox):
    AdministratorProfile.objects.filter(user=admins["sme_haishu"]).update(can_sms_remind=False)
    with pytest.raises(PermissionDenied, match="短信催报权"):
        services.reminder_send(actor=admins["sme_haishu"], enterprise=ent("com_demo01"), report_type=report_type, period=period)
    with pytest.raises(PermissionDenied):
        services.reminder_run_start(actor=admins["sme_haishu"], report_type=report_type, period=period)
    assert sms_outbox.all() == []


def test_reminding_is_limited_to_the_region(admins, report_type, period, sms_outbox):
    with pytest.raises(PermissionDenied, match="不在您的管辖"):
        services.reminder_send(actor=admins["sme_haishu"], enterprise=ent("com_demo03"), report_type=report_type, period=period)
    with pytest.raises(PermissionDenied):
        services.reminder_send(actor=ent("com_demo01").user, enterprise=ent("com_demo01"), report_type=report_type, period=period)
    assert sms_outbox.all() == []


def test_an_enterprise_that_reported_or_has_no_mobile_is_refused(admins, report_type, period, reports, sms_outbox):
    reports.submitted(ent("com_demo01"), period)
    with pytest.raises(services.ReminderRefused, match="已报送"):
        services.reminder_send(actor=admins["sme_ningbo"], enterprise=ent("com_demo01"), report_type=report_type, period=period)
    demo02 = ent("com_demo02")
    Enterprise.objects.filter(pk=demo02.pk).update(mobile="")
    type(demo02.user).objects.filter(pk=demo02.user_id).update(mobile=None)
    with pytest.raises(services.ReminderRefused, match="手机号"):
        services.reminder_send(actor=admins["sme_ningbo"], enterprise=ent("com_demo02"), report_type=report_type, period=period)
    with pytest.raises(services.ReminderRefused, match="尚未结束"):
        services.reminder_send(actor=admins["sme_ningbo"], enterprise=demo02, report_type=report_type, period=month_add(period, 1))
    assert sms_outbox.all() == []


def test_one_click_reminds_every_non_reporter_of_the_scope_through_a_task(admins, report_type, period, reports, sms_outbox, django_capture_on_commit_callbacks):
    reports.submitted(ent("com_demo01"), period)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.reminder_run_start(actor=admins["sme_zhejiang"], report_type=report_type, period=period)
    run.refresh_from_db()
    assert (run.status, run.total, run.processed, run.sent, run.failed, run.percent) == (RunStatus.DONE, 2, 2, 2, 0, 100)
    assert {(d.enterprise.user.username, d.mobile, d.outcome) for d in run.deliveries.all()} == {
        ("com_demo02", "13800000002", "sent"), ("com_demo03", "13800000003", "sent")}
    assert sorted(m.mobile for m in sms_outbox.all()) == ["13800000002", "13800000003"]
    assert all(NAMES[f"com_demo0{m.mobile[-1]}"] in m.text for m in sms_outbox.all())


def test_one_click_is_refused_when_everyone_reported_or_a_run_is_going(admins, report_type, period, reports):
    with pytest.raises(services.ReminderRefused, match="没有"):
        reports.submitted(ent("com_demo01"), period)
        services.reminder_run_start(actor=admins["sme_haishu"], report_type=report_type, period=period)
    ReminderRun.objects.create(report_type=report_type, period=period, created_by=admins["sme_ningbo"], total=1)
    with pytest.raises(services.ReminderRefused, match="正在"):
        services.reminder_run_start(actor=admins["sme_ningbo"], report_type=report_type, period=period)


def test_a_run_skips_an_enterprise_that_reported_meanwhile_and_records_a_missing_mobile(admins, report_type, period, reports, sms_outbox):
    run = ReminderRun.objects.create(report_type=report_type, period=period, created_by=admins["sme_ningbo"], total=2)
    Enterprise.objects.filter(user__username="com_demo02").update(mobile="")
    type(admins["sme_ningbo"]).objects.filter(username="com_demo02").update(mobile=None)
    services.reminder_run_process(run=run)
    run.refresh_from_db()
    assert (run.sent, run.failed, run.status) == (1, 1, RunStatus.DONE)
    assert {d.enterprise.user.username: d.outcome for d in run.deliveries.all()} == {"com_demo01": "sent", "com_demo02": "no_mobile"}


def test_a_run_stops_when_the_flag_was_removed(admins, report_type, period, sms_outbox):
    run = ReminderRun.objects.create(report_type=report_type, period=period, created_by=admins["sme_ningbo"], total=2)
    AdministratorProfile.objects.filter(user=admins["sme_ningbo"]).update(can_sms_remind=False)
    services.reminder_run_process(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "短信催报权" in run.message and sms_outbox.all() == []


def due_of(report_type, period) -> datetime.date:
    return period_due(report_type, period)


def on_for(report_type, period, days: int) -> datetime.date:
    """A day `days` after the due date of `period` (negative: before) whose current period is `period`."""
    return due_of(report_type, period) + datetime.timedelta(days=days)


def test_automatic_reminder_n_days_before_the_due_date_is_sent_once(admins, report_type, period, reports, sms_outbox, settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 3
    reports.submitted(ent("com_demo01"), period)
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -4)) == 0
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -3)) == 2
    assert sorted(m.mobile for m in sms_outbox.all()) == ["13800000002", "13800000003"]
    assert all(due_text(report_type, period) in m.text for m in sms_outbox.all())
    # Rerun the same day and the next day: nothing new.
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -3)) == 0
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -2)) == 0
    assert len(sms_outbox.all()) == 2
    assert ReminderDelivery.objects.filter(kind=ReminderKind.DUE_SOON).count() == 2
    # After the due date there is no "due soon" reminder.
    assert services.reminders_due_soon_send(on=on_for(report_type, period, 1)) == 0


def test_the_setting_chooses_how_many_days_before(admins, report_type, period, sms_outbox, settings):
    settings.REMINDER_DAYS_BEFORE_DUE = 5
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -5)) == 3


def test_after_the_due_date_each_reviewer_gets_one_notice_counting_its_late_enterprises(admins, report_type, period, reports, sms_outbox):
    from enterprises.models import Enterprise as E

    haishu = AdministratorProfile.objects.get(user=admins["sme_haishu"])
    E.objects.filter(user__username__in=["com_demo01", "com_demo02"]).update(direct_reviewer=haishu)
    assert services.reminders_overdue_escalate(on=on_for(report_type, period, 0)) == 0  # the due day itself
    assert services.reminders_overdue_escalate(on=on_for(report_type, period, 1)) == 2
    by_mobile = {m.mobile: m.text for m in sms_outbox.all()}
    assert set(by_mobile) == {"13900000004", "13900000002"}  # sme_haishu (2 enterprises), sme_zhejiang (1)
    assert "sme_haishu：您直接审核的2家企业" in by_mobile["13900000004"] and month_text(period) in by_mobile["13900000004"]
    assert "1家企业" in by_mobile["13900000002"] and due_text(report_type, period) in by_mobile["13900000002"]
    assert services.reminders_overdue_escalate(on=on_for(report_type, period, 2)) == 0  # idempotent
    assert ReminderDelivery.objects.filter(kind=ReminderKind.ESCALATION).count() == 3
    assert len(sms_outbox.all()) == 2


def test_a_late_enterprise_that_reported_is_not_counted(admins, report_type, period, reports, sms_outbox):
    for name in ("com_demo01", "com_demo02", "com_demo03"):
        reports.submitted(ent(name), period)
    assert services.reminders_overdue_escalate(on=on_for(report_type, period, 3)) == 0
    assert services.reminders_due_soon_send(on=on_for(report_type, period, -1)) == 0
    assert SmsMessage.objects.count() == 0
