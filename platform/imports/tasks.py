"""Import background task: a thin wrapper that fetches the job and runs one chunk of it."""
from celery import shared_task
from django.conf import settings

from ops.queue import row_fail, task_enqueue
from ops.task_base import TaskStatus

from .models import ImportJob
from .services import chunk_rows, import_files_held_purge, import_job_process


# acks_late + reject_on_worker_lost: a worker killed in the middle of a chunk leaves the message
# unacknowledged, so it is delivered again and the chunk resumes after the last row recorded (each
# row is saved, submitted and recorded in one transaction: a killed row is rolled back, never half-applied).
@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_task(job_id: int) -> str:
    """Import one chunk of rows, then queue the next chunk (no run holds a worker for the whole file)."""
    job = ImportJob.objects.select_related("report_type", "version", "created_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    # Eagerly (no broker) the next chunks run from the job page's progress poll, so that no single
    # request imports the whole file.
    if import_job_process(job=job, max_rows=chunk_rows()) and not settings.CELERY_TASK_ALWAYS_EAGER:
        task_enqueue(import_job_task, job_id, on_failure=row_fail(job, status=TaskStatus.FAILED))
    return job.status


@shared_task
def import_files_held_purge_task() -> int:
    """Daily: delete uploads held for a confirmation that never came (the importer left the page)."""
    return import_files_held_purge()
