"""python manage.py gen_synthetic --enterprises N --months M: bulk synthetic data for load tests."""
import os
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create N synthetic approved enterprises with M months of consistent reports and facts (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=1000)
        parser.add_argument("--months", type=int, default=13)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="Processes filling batches side by side (PostgreSQL; default: one per CPU).")

    def handle(self, *args, enterprises, months, seed, batch, workers, **options):
        from analytics.synthetic import generate

        started = time.monotonic()
        counts = generate(enterprises=enterprises, months=months, seed=seed, batch=batch, workers=workers,
                          log=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(
            f"{counts['enterprises']} enterprises, {counts['submissions']} reports, {counts['facts']} facts "
            f"in {time.monotonic() - started:.1f} s"))
