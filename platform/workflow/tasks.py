"""Workflow background tasks: thin wrappers that fetch a row and call a service."""
from celery import shared_task

from .models import ReviewEvent
from .notifications import submission_returned_sms_send


@shared_task
def submission_returned_sms_task(event_id: int) -> int:
    """退回通知: the SMS of one return (workflow.notifications)."""
    event = ReviewEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return submission_returned_sms_send(event=event)
