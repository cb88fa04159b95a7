"""Export reads: a user's own jobs only (a job's file is offered to its creator alone)."""
from django.db.models import QuerySet

from .models import ExportJob


def export_jobs_for(user) -> QuerySet[ExportJob]:
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by=user)


def export_job_get(*, user, pk: int) -> ExportJob:
    """The user's own job (ExportJob.DoesNotExist for anyone else's)."""
    return export_jobs_for(user).get(pk=pk)
