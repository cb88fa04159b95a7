"""Export background task: a thin wrapper that fetches the job and runs it."""
from celery import shared_task

from .models import ExportJob
from .services import export_job_run


@shared_task
def export_job_task(job_id: int) -> str:
    job = ExportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        return "gone"
    return export_job_run(job=job).status
