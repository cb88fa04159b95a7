from django.db import models
from django.utils.translation import pgettext_lazy


class ExportStatus(models.TextChoices):
    """An export job is a task model (STYLE.md "Long work is a task model")."""

    QUEUED = "queued", pgettext_lazy("export", "Queued")  # 排队中
    RUNNING = "running", pgettext_lazy("export", "Running")  # 导出中
    DONE = "done", pgettext_lazy("export", "Done")  # 已完成
    FAILED = "failed", pgettext_lazy("export", "Failed")  # 失败


#: Rows written between two progress updates of a running job.
PROGRESS_EVERY = 2000

#: An export of more rows than this runs as a background job (setting EXPORT_SYNC_MAX_ROWS).
SYNC_MAX_ROWS_DEFAULT = 5000
