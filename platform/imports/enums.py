from django.db import models
from django.utils.translation import pgettext_lazy

from ops.task_base import TaskStatus


#: The status of every task model (ops.task_base); the name this app used before it was shared.
JobStatus = TaskStatus


class RowOutcome(models.TextChoices):
    IMPORTED = "imported", pgettext_lazy("import", "Imported")  # 已导入
    REFUSED = "refused", pgettext_lazy("import", "Not imported")  # 未导入


class PrecheckOutcome(models.TextChoices):
    """What 预检 says a row would do (`imports.precheck`)."""

    NEW = "new", pgettext_lazy("import", "New")  # 新建
    OVERWRITE = "overwrite", pgettext_lazy("import", "Would overwrite")  # 将覆盖
    REFUSED = "refused", pgettext_lazy("import", "Not imported")  # 未导入
