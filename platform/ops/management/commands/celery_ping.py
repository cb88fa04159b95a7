from django.core.management.base import BaseCommand, CommandError

from ops.tasks import ping


class Command(BaseCommand):
    help = "Send a task through the configured broker and wait for a worker's answer."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30)

    def handle(self, *args, timeout, **options):
        result = ping.delay()
        try:
            value = result.get(timeout=timeout)
        except Exception as exc:
            raise CommandError(f"no worker answered within {timeout}s: {exc!r}") from exc
        if value != "pong":
            raise CommandError(f"unexpected answer {value!r}")
        self.stdout.write("celery worker answered: pong")
