"""Import background task: a thin wrapper that fetches the job and runs one chunk of it."""
from celery import shared_task
from django.conf import settings

from .models import ImportJob
from .services import chunk_rows, import_job_process


@shared_task
def import_job_task(job_id: int) -> str:
    """Import one chunk of rows, then queue the next chunk (no run holds a worker for the whole file)."""
    job = ImportJob.objects.select_related("report_type", "version", "created_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    # Eagerly (no broker) the next chunks run from the job page's progress poll, so that no single
    # request imports the whole file.
    if import_job_process(job=job, max_rows=chunk_rows()) and not settings.CELERY_TASK_ALWAYS_EAGER:
        import_job_task.delay(job_id)
    return job.status
