"""Choices of task-based reporting (填报任务)."""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class TaskLevel(models.TextChoices):
    """Who issues a task: a province (省级) or a city (市级)."""

    PROVINCIAL = "provincial", pgettext_lazy("filing task level", "Provincial")  # 省级
    MUNICIPAL = "municipal", pgettext_lazy("filing task level", "Municipal")  # 市级


#: The region level that issues a task of each level (regions.enums.RegionLevel values).
LEVEL_REGION = {TaskLevel.PROVINCIAL: 1, TaskLevel.MUNICIPAL: 2}


class TaskStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("filing task status", "Draft")  # 草稿
    OPEN = "open", pgettext_lazy("filing task status", "Open")  # 填报中
    CLOSED = "closed", pgettext_lazy("filing task status", "Closed")  # 已结束


class TaskAction(models.TextChoices):
    """Administrator actions on a task; the table below says from which statuses each may start."""

    OPEN = "filing.task_open", _("Open the task")
    CLOSE = "filing.task_close", _("Close the task")


TASK_TRANSITIONS = {
    TaskAction.OPEN: (frozenset({TaskStatus.DRAFT, TaskStatus.CLOSED}), TaskStatus.OPEN),
    TaskAction.CLOSE: (frozenset({TaskStatus.OPEN}), TaskStatus.CLOSED),
}


class ApplicationStatus(models.TextChoices):
    """填报任务申请: an enterprise's application for a task."""

    PENDING = "pending", pgettext_lazy("filing application", "Waiting for review")  # 待审核
    ACCEPTED = "accepted", pgettext_lazy("filing application", "Accepted")  # 已通过
    REJECTED = "rejected", pgettext_lazy("filing application", "Rejected")  # 未通过


#: Shown for a task the enterprise has not applied for (never stored).
NOT_APPLIED_LABEL = pgettext_lazy("filing application", "Not applied")  # 未申请
