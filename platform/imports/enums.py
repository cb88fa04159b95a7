from django.db import models
from django.utils.translation import pgettext_lazy


class JobStatus(models.TextChoices):
    """An import job is a task model (STYLE.md "Long work is a task model")."""

    QUEUED = "queued", pgettext_lazy("import", "Queued")  # 排队中
    RUNNING = "running", pgettext_lazy("import", "Running")  # 导入中
    DONE = "done", pgettext_lazy("import", "Done")  # 已完成
    FAILED = "failed", pgettext_lazy("import", "Failed")  # 失败


class RowOutcome(models.TextChoices):
    IMPORTED = "imported", pgettext_lazy("import", "Imported")  # 已导入
    REFUSED = "refused", pgettext_lazy("import", "Not imported")  # 未导入
