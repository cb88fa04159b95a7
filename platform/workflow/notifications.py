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
from .review_values import flagged_cells

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


def report_task(submission: Submission):
    """The filing task a report of a type filled through tasks only belongs to, or None. A report does not
    name its task: it is the task of the report's type and period that covers the enterprise (its region
    subtree and industry prefix) and whose issuing level is where the report's review ends (`final_level`,
    set from the task when it was submitted); an open task first. Read through the reverse relation,
    since filing sits above workflow."""
    enterprise = submission.enterprise
    code, full = enterprise.region_code, enterprise.industry.full_code
    tasks = submission.report_type.filing_tasks.filter(
        period=submission.period, region_prefix__in=[code[:2], code[:4], code],
        industry_prefix__in=["", *(full[:n] for n in range(1, len(full) + 1))])
    if submission.final_level is not None:
        tasks = tasks.filter(issuing_region__level=submission.final_level)
    found = list(tasks.order_by("pk"))
    return next((t for t in found if t.status == "open"), found[0] if found else None)


def _task_path(submission: Submission) -> str | None:
    """The 上报 page of the report's own task (a report filled through tasks only)."""
    task = report_task(submission)
    return reverse("filing:submit", args=[task.pk]) if task else None


def flagged_cell_path(submission: Submission, cell) -> str:
    """Where a flagged cell is corrected: the report wizard's step holding it, at its input; for a report
    filled through tasks only, its task's wizard (or the report's flagged-cell list without a task)."""
    if submission.report_type.by_task_only:
        task = report_task(submission)
        if task is None:
            return reverse("reporting:detail", args=[submission.pk]) + "#flagged"
        base = reverse("filing:fill", args=[task.pk])
    else:
        base = reverse("reporting:fill", args=[submission.report_type.key, submission.period_key])
    return f"{base}?step={cell.step}#{cell.anchor}"


def returned_report_url(submission: Submission, flagged: list | None = None) -> str:
    """Where the SMS links, absolute on WAGTAILADMIN_BASE_URL (the platform's public address, portal and
    back office alike): with flagged cells, the wizard step of the first one, at its input (a report filled
    through tasks only: the report's flagged-cell list); without, the report's detail page (the reason,
    the violated checks, 修改), or for a report filled through tasks only its own task's 上报 page."""
    if flagged:
        path = (reverse("reporting:detail", args=[submission.pk]) + "#flagged" if submission.report_type.by_task_only
                else flagged_cell_path(submission, flagged[0]))
    else:
        path = (_task_path(submission) if submission.report_type.by_task_only else None) or reverse(
            "reporting:detail", args=[submission.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def returned_sms_text(*, submission: Submission, reason: str, flagged: list | None = None) -> str:
    """The SMS (always Chinese, like the reminders: the recipients are Chinese enterprises)."""
    from reminders.services import SMS_SIGNATURE

    return (f"{SMS_SIGNATURE}{submission.enterprise.name}：贵单位{_period(submission)}的{submission.report_type.title}"
            f"已被退回，原因：{reason_excerpt(reason)}。请登录平台修改后重新上报：{returned_report_url(submission, flagged)}")


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
    flagged = flagged_cells(submission, event.flagged_fields)
    text = returned_sms_text(submission=submission, reason=event.reason, flagged=flagged)
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
