"""Reporting background tasks: thin wrappers that fetch a row and call a service."""
from celery import shared_task

from .models import InformationChange
from .services import information_change_check, information_changes_settle


@shared_task
def information_change_check_task(change_id: int) -> str:
    change = InformationChange.objects.filter(pk=change_id).first()
    if change is None:
        return "gone"
    return information_change_check(change=change).status


@shared_task
def information_changes_sweep() -> int:
    """Periodic (Celery beat): check every information change that is due."""
    return information_changes_settle()
