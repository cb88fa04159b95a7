"""Queuing background tasks so that an unreachable broker fails visibly, never silently.

Every place that queues a Celery task goes through `task_enqueue` (or `task_enqueue_on_commit`).
With a broker (Redis) that cannot be reached, `apply_async` raises after kombu's short publish
retries; instead of a 500 after the commit (the row exists, the work never starts) or a task row
left "queued" forever, the caller's `on_failure(message)` runs: a task model marks its row failed
with the message (see `row_fail`), so the page that polls it shows why.

Without a broker (the embedded default) tasks run eagerly and their own errors propagate as usual.
"""
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def broker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the broker (or the Redis result backend) cannot be reached"."""
    from kombu.exceptions import OperationalError as KombuOperationalError

    errors: tuple[type[BaseException], ...] = (KombuOperationalError, ConnectionError, TimeoutError, OSError)
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors += (RedisConnectionError, RedisTimeoutError)
    except ImportError:  # redis is only needed with a Redis broker
        pass
    return errors


def queue_unavailable_message() -> str:
    return _("The background task could not be queued because the task queue is unavailable; "
             "nothing was done. Please try again later.")


def task_enqueue(task, *args, on_failure: Callable[[str], None] | None = None, countdown: float | None = None,
                 **kwargs) -> bool:
    """Queue `task(*args, **kwargs)`; True when queued (or run eagerly).

    When the broker is unreachable the error is logged and `on_failure(message)` is called with a
    message for the user; the exception does not propagate (the request that queued the task has
    already committed its row). Without `on_failure` the error is logged only: use that for work a
    periodic sweep also does (the state stays correct when checked later).
    """
    # ignore_result: a task model reports through its row. Without it, queuing also subscribes to the
    # Redis result backend, which fails with Redis down and then stays broken in this process.
    options = {"countdown": countdown, "ignore_result": True} if countdown else {"ignore_result": True}
    if task.app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, **options)
        return True
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except (*broker_errors(), RuntimeError) as exc:
        if isinstance(exc, RuntimeError) and not isinstance(exc.__cause__, broker_errors()):
            raise  # Celery's "retry limit exceeded" on the result store is a RuntimeError from a connection error
        logger.error("queue: could not queue %s%r: %s: %s", task.name, args, type(exc).__name__, exc,
                     extra={"task": task.name, "event": "queue.unavailable"})
        if on_failure is not None:
            on_failure(queue_unavailable_message())
        return False
    return True


def task_enqueue_on_commit(task, *args, on_failure: Callable[[str], None] | None = None,
                           countdown: float | None = None, **kwargs) -> None:
    """`task_enqueue` once the current transaction commits (the row the task reads exists by then)."""
    transaction.on_commit(lambda: task_enqueue(task, *args, on_failure=on_failure, countdown=countdown, **kwargs))


def row_fail(row, *, status: str) -> Callable[[str], None]:
    """An `on_failure` for a task model (a row with `status`, `message` and `finished_at`): mark it failed.

    Only a row still in the status it had when queued is changed (an update filtered on that
    status), so a task that started meanwhile is never overwritten.
    """
    model, queued = type(row), row.status

    def fail(message: str) -> None:
        fields = {"status": status, "message": message}
        if any(f.name == "finished_at" for f in model._meta.get_fields()):
            fields["finished_at"] = timezone.now()
        model.objects.filter(pk=row.pk, status=queued).update(**fields)
        for name, value in fields.items():
            setattr(row, name, value)

    return fail
