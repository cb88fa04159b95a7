"""退回通知: the enterprise's fillers are told by SMS when a report is returned (issue 21 §3).

`submission_returned_notify` is called by the return transitions inside their transaction: the SMS
is queued only once that transaction commits (a refused or rolled-back return sends nothing), as a
Celery task that reads the return's ReviewEvent, so the text carries the reason as it was given.
"""
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.services import sms_send
from reporting.enums import Frequency
from reporting.models import Submission
from reporting.periods import period_label

from .enums import Action
from .models import ReviewEvent

logger = logging.getLogger(__name__)

#: How much of the reason the SMS quotes (the rest is on the report's page).
REASON_CHARS = 20


def _period(submission: Submission) -> str:
    """2026年5月 for a monthly report, as the reminders write it; reporting's label otherwise."""
    period: datetime.date = submission.period
    if submission.report_type.frequency == Frequency.MONTHLY:
        return f"{period.year}年{period.month}月"
    with translation.override("zh-hans"):
        return period_label(submission.report_type.frequency, period)


def reason_excerpt(reason: str, limit: int = REASON_CHARS) -> str:
    """The reason's first `limit` characters on one line, with … when cut."""
    text = " ".join((reason or "").split())
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _task_path(submission: Submission) -> str | None:
    """The 上报 page of the task this report belongs to (a report filled through tasks only): the report
    type's task of that period, an open one first. Read through the reverse relation, since filing sits
    above workflow."""
    tasks = list(submission.report_type.filing_tasks.filter(period=submission.period).values_list("pk", "status"))
    task = next((pk for pk, status in tasks if status == "open"), tasks[0][0] if tasks else None)
    return reverse("filing:submit", args=[task]) if task else None


def returned_report_url(submission: Submission) -> str:
    """Where the SMS links: the report's detail page (the reason, the violated checks, 修改), or for a
    report filled through tasks only its task's 上报 page; absolute, on WAGTAILADMIN_BASE_URL (the
    platform's public address, portal and back office alike)."""
    path = (_task_path(submission) if submission.report_type.by_task_only else None) or reverse(
        "reporting:detail", args=[submission.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def returned_sms_text(*, submission: Submission, reason: str) -> str:
    """The SMS (always Chinese, like the reminders: the recipients are Chinese enterprises)."""
    from reminders.services import SMS_SIGNATURE

    return (f"{SMS_SIGNATURE}{submission.enterprise.name}：贵单位{_period(submission)}的{submission.report_type.title}"
            f"已被退回，原因：{reason_excerpt(reason)}。请登录平台修改后重新上报：{returned_report_url(submission)}")


def returned_sms_mobiles(submission: Submission) -> list[str]:
    """The enterprise's filling users with a mobile: who filled this report and the enterprise's 填报人;
    when neither has one, the enterprise's own mobile, else its registrant's (as the reminders do)."""
    from reminders.selectors import enterprise_reminder_mobile

    enterprise = submission.enterprise
    mobiles = []
    for user in (submission.filler, enterprise.filler):
        mobile = getattr(user, "mobile", "") or ""
        if mobile and mobile not in mobiles:
            mobiles.append(mobile)
    if not mobiles and (fallback := enterprise_reminder_mobile(enterprise)):
        mobiles.append(fallback)
    return mobiles


def submission_returned_sms_send(*, event: ReviewEvent) -> int:
    """Send the return's SMS to each filler (the task's work); returns how many were sent."""
    submission = (Submission.objects.select_related("report_type", "enterprise__filler", "enterprise__user", "filler")
                  .get(pk=event.submission_id))
    text = returned_sms_text(submission=submission, reason=event.reason)
    mobiles = returned_sms_mobiles(submission)
    for mobile in mobiles:
        sms_send(mobile=mobile, text=text)
    if not mobiles:
        logger.info("return of submission %s: no filler mobile to tell", submission.pk)
    return len(mobiles)


def submission_returned_notify(submission: Submission, action: str = Action.RETURN) -> Submission:
    """Queue the SMS of the return just recorded on `submission`, once the transaction commits.

    Called inside the return's transaction, after its ReviewEvent was written. `robust`: a queue or
    gateway failure after the commit is logged and does not turn a return that was made into an error
    (nor stop a bulk return halfway)."""
    from ops.queue import task_enqueue

    from .tasks import submission_returned_sms_task

    event = ReviewEvent.objects.filter(submission=submission, action=action).only("pk").latest("created_at", "pk")
    transaction.on_commit(lambda: task_enqueue(submission_returned_sms_task, event.pk), robust=True)
    return submission
