"""催报 writes: SMS reminders to non-reporting enterprises and overdue notices to their reviewers (SPEC §6).

Manual reminders need the 短信催报权 flag and the enterprise inside the administrator's region
(checked here, so every caller behaves the same). The automatic ones run from Celery beat and are
idempotent: one per (enterprise, report type, period, kind), guarded by a unique constraint.
"""
import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import AdministratorProfile
from accounts.selectors import AdminScope, admin_scope, direct_reviewer_for
from accounts.services import sms_send
from enterprises.models import Enterprise
from reporting.enums import Frequency
from reporting.models import ReportType, Submission
from reporting.periods import period_current, period_due, period_label, today as local_today
from reporting.selectors import report_type_applies, report_types_filed

from ops.task_base import TaskStatus, task_advance, task_fail, task_finish, task_start

from .enums import DeliveryOutcome, ReminderKind
from .models import ReminderDelivery, ReminderRun
from .selectors import REPORTED, enterprise_reminder_mobile, non_reporters

logger = logging.getLogger(__name__)

SMS_SIGNATURE = "【中小企业运行监测】"


class ReminderRefused(Exception):
    """A reminder that cannot be sent; `message` says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def days_before_due() -> int:
    """N of "remind N days before the due date" (setting REMINDER_DAYS_BEFORE_DUE, default 3)."""
    return int(getattr(settings, "REMINDER_DAYS_BEFORE_DUE", 3))


def _month(period: datetime.date) -> str:
    return f"{period.year}年{period.month}月"


def _period(report_type: ReportType, period: datetime.date) -> str:
    """2026年5月 for a monthly report; reporting's label for the others (2026年第4季度, 2026年度)."""
    if report_type.frequency == Frequency.MONTHLY:
        return _month(period)
    with translation.override("zh-hans"):
        return period_label(report_type.frequency, period)


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reminder_text(*, enterprise: Enterprise, report_type: ReportType, period: datetime.date) -> str:
    """The SMS an enterprise gets (always Chinese: the recipients are Chinese enterprises)."""
    return (f"{SMS_SIGNATURE}{enterprise.name}：贵单位{_period(report_type, period)}的{report_type.title}尚未报送，"
            f"报送截止日期为{_day(period_due(report_type, period))}，请及时登录平台填报。")


def escalation_text(*, reviewer: AdministratorProfile, report_type: ReportType, period: datetime.date, count: int) -> str:
    return (f"{SMS_SIGNATURE}{reviewer.user.username}：您直接审核的{count}家企业{_period(report_type, period)}的{report_type.title}"
            f"已超过报送截止日期（{_day(period_due(report_type, period))}）仍未报送，请及时督促。")


def _reminder_scope(actor) -> AdminScope:
    scope = admin_scope(actor)
    if scope.profile is None or not scope.profile.can_sms_remind:
        raise PermissionDenied(_("You do not have the SMS reminder permission."))
    return scope


def _period_check(report_type: ReportType, period: datetime.date) -> None:
    if period > period_current(report_type):
        raise ReminderRefused(_("The period %(period)s has not ended yet; its report cannot be late.") % {
            "period": f"{period:%Y-%m}"})


def _send(delivery: ReminderDelivery) -> ReminderDelivery:
    """Send the delivery's SMS (when it has a mobile) and record the outcome on the row."""
    if not delivery.mobile:
        delivery.outcome = DeliveryOutcome.NO_MOBILE
    else:
        try:
            delivery.sms = sms_send(mobile=delivery.mobile, text=delivery.text)
            delivery.outcome = DeliveryOutcome.SENT
        except Exception as exc:  # a provider error: recorded on the row and logged, the run goes on
            logger.exception("reminder SMS to %s failed", delivery.mobile)
            delivery.outcome, delivery.detail = DeliveryOutcome.FAILED, str(exc)[:255]
    delivery.save()
    return delivery


def _enterprise_delivery(*, enterprise, report_type, period, kind, actor=None, run=None) -> ReminderDelivery:
    return ReminderDelivery(run=run, report_type=report_type, period=period, enterprise=enterprise, kind=kind,
                            actor=actor if getattr(actor, "pk", None) else None,
                            mobile=enterprise_reminder_mobile(enterprise),
                            text=reminder_text(enterprise=enterprise, report_type=report_type, period=period))


def _has_reported(enterprise, report_type, period) -> bool:
    return Submission.objects.filter(enterprise=enterprise, report_type=report_type, period=period,
                                     status__in=REPORTED).exists()


@transaction.atomic
def reminder_send(*, actor, enterprise: Enterprise, report_type: ReportType, period: datetime.date) -> ReminderDelivery:
    """催报 one enterprise: an SMS naming the enterprise, the month and the due date.

    Refused without the 短信催报权 flag, outside the administrator's region, for a period not yet
    ended, for an enterprise that has reported (待审核 / 审核通过) or that has no mobile number.
    """
    scope = _reminder_scope(actor)
    if not scope.contains_region(enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    _period_check(report_type, period)
    if not report_type_applies(report_type, enterprise):
        raise ReminderRefused(_("%(name)s does not file %(title)s; no reminder is needed.") % {
            "name": enterprise.name, "title": report_type.title})
    if _has_reported(enterprise, report_type, period):
        raise ReminderRefused(_("%(name)s has already reported %(period)s; no reminder is needed.") % {
            "name": enterprise.name, "period": f"{period:%Y-%m}"})
    delivery = _enterprise_delivery(enterprise=enterprise, report_type=report_type, period=period,
                                    kind=ReminderKind.MANUAL, actor=actor)
    if not delivery.mobile:
        raise ReminderRefused(_("%(name)s has no mobile number to send the reminder to.") % {"name": enterprise.name})
    _send(delivery)
    if delivery.outcome != DeliveryOutcome.SENT:
        raise ReminderRefused(_("The SMS could not be sent: %(error)s") % {"error": delivery.detail})
    return delivery


@dataclass(frozen=True)
class SelectedReminders:
    """What 催报 of the ticked enterprises did: the SMS sent, and the enterprises left out with why."""

    sent: list  # ReminderDelivery rows, one per SMS handed to the gateway
    refused: list  # (enterprise, message)


def reminders_send_selected(*, actor, enterprises, report_type: ReportType, period: datetime.date) -> SelectedReminders:
    """催报 the chosen enterprises (Wagtail's bulk action on 催报's list), each through `reminder_send`:
    one that has reported since, has no mobile or is outside the region is left out with its reason;
    the others get their SMS. Refused as a whole without the 短信催报权 flag or for a period not ended."""
    _reminder_scope(actor)
    _period_check(report_type, period)
    sent, refused = [], []
    for enterprise in enterprises:
        try:
            sent.append(reminder_send(actor=actor, enterprise=enterprise, report_type=report_type, period=period))
        except (PermissionDenied, ReminderRefused) as exc:
            refused.append((enterprise, getattr(exc, "message", None) or str(exc)))
    return SelectedReminders(sent=sent, refused=refused)


@dataclass(frozen=True)
class RunPreview:
    """What 一键催报 would send, shown before anything is sent."""

    report_type: ReportType
    period: datetime.date
    total: int  # the non-reporters the run would take
    without_mobile: int  # of them, those with no number (no SMS, recorded as such)
    example: Enterprise  # the first of them, whose SMS `text` is
    text: str  # exactly as the run will send it to `example`


def reminder_run_preview(*, actor, report_type: ReportType, period: datetime.date) -> RunPreview:
    """一键催报's confirmation: the count of recipients and the SMS as it will be sent, with the first
    non-reporter filled in. Sends nothing; refused as `reminder_run_start` would be."""
    scope = _reminder_scope(actor)
    _period_check(report_type, period)
    enterprises = list(non_reporters(scope=scope, report_type=report_type, period=period))
    if not enterprises:
        raise ReminderRefused(_("No enterprise in your region is missing the report of %(period)s.") % {
            "period": f"{period:%Y-%m}"})
    example = enterprises[0]
    return RunPreview(report_type=report_type, period=period, total=len(enterprises),
                      without_mobile=sum(1 for e in enterprises if not enterprise_reminder_mobile(e)), example=example,
                      text=reminder_text(enterprise=example, report_type=report_type, period=period))


def reminder_run_start(*, actor, report_type: ReportType, period: datetime.date) -> ReminderRun:
    """一键催报: queue a run that reminds every non-reporter of `period` in the actor's region."""
    scope = _reminder_scope(actor)
    _period_check(report_type, period)
    with transaction.atomic():
        busy = ReminderRun.objects.select_for_update().filter(
            created_by=actor, report_type=report_type, period=period, status__in=(TaskStatus.QUEUED, TaskStatus.RUNNING))
        if busy.exists():
            raise ReminderRefused(_("A reminder to all non-reporters of %(period)s is already running.") % {
                "period": f"{period:%Y-%m}"})
        total = non_reporters(scope=scope, report_type=report_type, period=period).count()
        if not total:
            raise ReminderRefused(_("No enterprise in your region is missing the report of %(period)s.") % {
                "period": f"{period:%Y-%m}"})
        run = ReminderRun.objects.create(report_type=report_type, period=period, created_by=actor, total=total)
        from .tasks import reminder_run_task

        from ops.queue import row_fail, task_enqueue_on_commit

        task_enqueue_on_commit(reminder_run_task, run.pk, on_failure=row_fail(run, status=TaskStatus.FAILED))
    return run


def reminder_run_process(*, run: ReminderRun, progress_every: int = 10) -> ReminderRun:
    """Send the run's reminders, one enterprise per transaction, saving progress as it goes.

    The list is taken again now (an enterprise that reported since the run was queued is skipped);
    the actor's flag is checked again, so a flag removed meanwhile stops the run.
    """
    task_start(run)  # False as well when a message delivered again resumes a running run
    if run.status != TaskStatus.RUNNING:
        return run
    try:
        scope = _reminder_scope(run.created_by)
    except PermissionDenied as exc:
        task_fail(run, message=str(exc), fields=COUNTS)
        return run
    done = set(run.deliveries.values_list("enterprise_id", flat=True))
    enterprises = non_reporters(scope=scope, report_type=run.report_type, period=run.period).exclude(pk__in=done)
    run.total = len(done) + enterprises.count()
    for position, enterprise in enumerate(enterprises.iterator(chunk_size=200), start=1):
        with transaction.atomic():
            if _has_reported(enterprise, run.report_type, run.period):
                delivery = _enterprise_delivery(enterprise=enterprise, report_type=run.report_type, period=run.period,
                                                kind=ReminderKind.MANUAL, actor=run.created_by, run=run)
                delivery.outcome = DeliveryOutcome.SKIPPED
                delivery.save()
            else:
                delivery = _send(_enterprise_delivery(enterprise=enterprise, report_type=run.report_type,
                                                      period=run.period, kind=ReminderKind.MANUAL,
                                                      actor=run.created_by, run=run))
        _count(run, delivery.outcome)
        if position % progress_every == 0:
            task_advance(run, processed=run.processed, fields=COUNTS)
    task_finish(run, fields=COUNTS)
    return run


#: The run's own counters, saved with its progress.
COUNTS = ("sent", "failed", "skipped")


def _count(run: ReminderRun, outcome: str) -> None:
    run.processed += 1
    if outcome == DeliveryOutcome.SENT:
        run.sent += 1
    elif outcome == DeliveryOutcome.SKIPPED:
        run.skipped += 1
    else:
        run.failed += 1


def _automatic_periods(on: datetime.date):
    # Every type enterprises file directly; one filled through tasks only is due by its task, not by 当期.
    for report_type in report_types_filed():
        period = period_current(report_type, on)
        yield report_type, period, period_due(report_type, period)


def reminders_due_soon_send(*, on: datetime.date | None = None) -> int:
    """到期前自动催报: N days (or fewer) before the due date, remind each non-reporter once.

    Runs daily from Celery beat; a rerun, or a run on the next day of the window, sends nothing new
    to an enterprise already reminded for that period. Returns the number of SMS sent.
    """
    on = on or local_today()
    sent = 0
    for report_type, period, due in _automatic_periods(on):
        if not 0 <= (due - on).days <= days_before_due():
            continue
        already = ReminderDelivery.objects.filter(report_type=report_type, period=period, kind=ReminderKind.DUE_SOON)
        enterprises = non_reporters(scope=None, report_type=report_type, period=period).exclude(
            pk__in=already.values("enterprise_id"))
        for enterprise in enterprises.iterator(chunk_size=200):
            delivery = _enterprise_delivery(enterprise=enterprise, report_type=report_type, period=period,
                                            kind=ReminderKind.DUE_SOON)
            try:
                with transaction.atomic():
                    delivery.save()  # claims (enterprise, period, kind) before anything is sent
                    _send(delivery)
            except IntegrityError:
                continue  # another worker claimed it
            sent += delivery.outcome == DeliveryOutcome.SENT
    return sent


def reminders_overdue_escalate(*, on: datetime.date | None = None) -> int:
    """逾期通知: after the due date, tell each non-reporter's direct reviewer how many of its enterprises
    are late, by one SMS per reviewer; each enterprise is counted in one notice only. Returns the
    number of SMS sent."""
    on = on or local_today()
    sent = 0
    for report_type, period, due in _automatic_periods(on):
        if on <= due:
            continue
        already = ReminderDelivery.objects.filter(report_type=report_type, period=period, kind=ReminderKind.ESCALATION)
        late = non_reporters(scope=None, report_type=report_type, period=period).exclude(
            pk__in=already.values("enterprise_id"))
        by_reviewer: dict[int, tuple[AdministratorProfile, list]] = {}
        for enterprise in late:
            reviewer = enterprise.direct_reviewer or direct_reviewer_for(enterprise.region)
            if reviewer is None:
                continue
            by_reviewer.setdefault(reviewer.pk, (reviewer, []))[1].append(enterprise)
        for reviewer, enterprises in by_reviewer.values():
            sent += _escalate(reviewer=reviewer, enterprises=enterprises, report_type=report_type, period=period)
    return sent


def _escalate(*, reviewer, enterprises, report_type, period) -> int:
    mobile = reviewer.user.mobile or ""
    text = escalation_text(reviewer=reviewer, report_type=report_type, period=period, count=len(enterprises))
    try:
        with transaction.atomic():
            rows = ReminderDelivery.objects.bulk_create([
                ReminderDelivery(report_type=report_type, period=period, enterprise=enterprise,
                                 kind=ReminderKind.ESCALATION, recipient=reviewer, mobile=mobile, text=text,
                                 outcome=DeliveryOutcome.NO_MOBILE)
                for enterprise in enterprises])
            first = _send(rows[0])
            ReminderDelivery.objects.filter(pk__in=[r.pk for r in rows[1:]]).update(
                outcome=first.outcome, sms=first.sms, detail=first.detail)
    except IntegrityError:
        return 0  # another worker notified this reviewer about some of them; the next run retries the rest
    return int(first.outcome == DeliveryOutcome.SENT)
