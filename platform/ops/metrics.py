"""Platform metrics for Prometheus, read at scrape time.

Request latency and counts come from django-prometheus' middleware; this collector adds what only
the database and the broker know: submissions by status and the length of the Celery queue.
"""
import logging

from django.conf import settings
from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)


def celery_queue_length() -> int | None:
    """Messages waiting in the default Celery queue; None when there is no broker to ask (eager mode)."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return 0
    from amqp.exceptions import ChannelError
    from config.celery import app

    try:
        with app.connection_for_read() as connection:
            with connection.channel() as channel:
                try:
                    _, count, _ = channel.queue_declare(queue=app.conf.task_default_queue, passive=True)
                except ChannelError as exc:
                    if getattr(exc, "reply_code", None) == 404 or "NOT_FOUND" in str(exc):  # nothing queued yet
                        return 0
                    raise
                return int(count)
    except Exception:  # the broker is down or the queue does not exist yet
        logger.warning("metrics: could not read the Celery queue length", exc_info=True)
        return None


class PlatformCollector:
    """Gauges: ``sme_submissions{status=...}`` and ``sme_celery_queue_length``."""

    def collect(self):
        from reporting.models import Submission
        from reporting.enums import SubmissionStatus

        submissions = GaugeMetricFamily("sme_submissions", "Submissions by review status.", labels=["status"])
        counts = dict(Submission.objects.order_by().values_list("status").annotate(n=Count("pk")))
        for status in SubmissionStatus.values:
            submissions.add_metric([status], counts.get(status, 0))
        yield submissions

        length = celery_queue_length()
        queue = GaugeMetricFamily("sme_celery_queue_length", "Tasks waiting in the Celery queue (-1: broker unreachable).")
        queue.add_metric([], -1 if length is None else length)
        yield queue
