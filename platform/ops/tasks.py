from celery import shared_task


@shared_task(name="ops.ping")
def ping() -> str:
    """A round trip through the broker and a worker (deployment and CI checks)."""
    return "pong"
