"""The task model every long piece of work shares (STYLE.md "Long work is a task model").

An import, a reminder run and an export are each a row with a status, a progress count and a
message, moved by a Celery task through the same four states. `BackgroundTask` holds those fields
and the progress logic; `task_start`, `task_advance`, `task_finish` and `task_fail` are the only
writes of its status, each saving just the fields it changes, so a task, a poll and a queue failure
can touch the same row without overwriting each other's counts.

A subclass keeps its own fields and may redeclare a shared one to change its label (`total` is
"rows" for an import, "enterprises" for a reminder run) or its column (`db_column`), never its meaning.
"""
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from statemachine import StateTable


class TaskStatus(models.TextChoices):
    """Where a background task stands; the values are the ones the three task tables already hold."""

    QUEUED = "queued", pgettext_lazy("task", "Queued")  # 排队中
    RUNNING = "running", pgettext_lazy("task", "Running")  # 进行中
    DONE = "done", pgettext_lazy("task", "Done")  # 已完成
    FAILED = "failed", pgettext_lazy("task", "Failed")  # 失败


#: The allowed transitions: status -> the statuses it may move to. A task fails before it starts
#: when it cannot run at all (the queue is down, the actor lost the permission).
TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.QUEUED: frozenset({TaskStatus.RUNNING, TaskStatus.FAILED}),
    TaskStatus.RUNNING: frozenset({TaskStatus.DONE, TaskStatus.FAILED}),
    TaskStatus.DONE: frozenset(),
    TaskStatus.FAILED: frozenset(),
}

#: The table as the shared helper reads it (statemachine.StateTable); a refused move is not an
#: error here (a task message delivered twice), so `_transition` asks `allows` and returns False.
TASKS = StateTable.of_statuses(TRANSITIONS, refuse=lambda to, current: ValueError(f"{current} → {to}"))

FINISHED = (TaskStatus.DONE, TaskStatus.FAILED)


class BackgroundTask(models.Model):
    """A row that a Celery task works through; the page that shows it polls `percent` and `message`.

    `processed` counts the units handled so far out of `total` (0 while unknown). `message` says
    why a task failed, or anything the user should know about a finished one.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED,
                              db_index=True)
    total = models.PositiveIntegerField(_("total"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        """0–100 for the progress bar; 100 only once done, so a bar never looks finished early."""
        if self.status == TaskStatus.DONE:
            return 100
        return min(99, self.processed * 100 // self.total) if self.total else 0


def _transition(task: BackgroundTask, to: str, changes: dict, fields: Iterable[str] = ()) -> bool:
    """Move `task` to `to` if the table allows it from the row's current status, saving `changes`
    (set on the instance first) and the instance's `fields`. False, and nothing saved, otherwise."""
    with transaction.atomic():
        current = type(task).objects.select_for_update().filter(pk=task.pk).values_list("status", flat=True).first()
        if current is None or not TASKS.allows(to, current):
            if current is not None:
                task.status = current
            return False
        for name, value in {"status": to, **changes}.items():
            setattr(task, name, value)
        task.save(update_fields=list(dict.fromkeys(["status", *changes, *fields])))
    return True


def task_start(task: BackgroundTask, *, total: int | None = None) -> bool:
    """QUEUED → RUNNING, with the total when it is known now.

    False when the task already started or finished (a task message delivered twice): the caller
    then leaves it to the run that started it.
    """
    changes = {"started_at": timezone.now()}
    if total is not None:
        changes["total"] = total
    return _transition(task, TaskStatus.RUNNING, changes)


def task_advance(task: BackgroundTask, *, processed: int, total: int | None = None, fields: Iterable[str] = ()) -> None:
    """Record progress: `processed` units done (the total grows to match, never shrinks below it).

    `fields` names the subclass's own counters, already set on the instance, saved with it.
    The status is not touched, so a poll that reads the row meanwhile sees it still running.
    """
    task.processed = processed
    task.total = max(task.total if total is None else total, processed)
    task.save(update_fields=list(dict.fromkeys(["processed", "total", *fields])))


def task_finish(task: BackgroundTask, *, message: str = "", fields: Iterable[str] = ()) -> bool:
    """RUNNING → DONE: every unit is processed, so the total becomes what was processed."""
    return _transition(task, TaskStatus.DONE, {"message": message, "finished_at": timezone.now(),
                                                "total": task.processed, "processed": task.processed}, fields)


def task_fail(task: BackgroundTask, *, message: str, fields: Iterable[str] = ()) -> bool:
    """QUEUED or RUNNING → FAILED with the reason; the progress made so far is kept and shown."""
    return _transition(task, TaskStatus.FAILED, {"message": message, "finished_at": timezone.now(),
                                                  "total": max(task.total, task.processed),
                                                  "processed": task.processed}, fields)
