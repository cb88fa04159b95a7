from django.core.management.base import BaseCommand

from regions.services import refdata_load


class Command(BaseCommand):
    help = "Load (idempotently) regions, industries, registration/holding types and the SME size standard."

    def handle(self, *args, **options):
        counts = refdata_load()
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
