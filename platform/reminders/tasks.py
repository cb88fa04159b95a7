"""Reminder background tasks: thin wrappers that fetch a row and call a service."""
from celery import shared_task

from .models import ReminderRun
from .services import reminder_run_process, reminders_due_soon_send, reminders_overdue_escalate


@shared_task
def reminder_run_task(run_id: int) -> str:
    run = ReminderRun.objects.select_related("report_type", "created_by").filter(pk=run_id).first()
    if run is None:
        return "gone"
    return reminder_run_process(run=run).status


@shared_task
def reminders_due_soon() -> int:
    """Periodic (Celery beat, daily): 到期前自动催报."""
    return reminders_due_soon_send()


@shared_task
def reminders_overdue() -> int:
    """Periodic (Celery beat, daily): 逾期通知 to the direct reviewers."""
    return reminders_overdue_escalate()
