"""Demo data: the administrator chain Zhejiang → Ningbo → Haishu and a few approved enterprises.

Idempotent: running it again changes nothing. Any app may add demo data of its own with a
`demo.py` module defining `seed_demo() -> list[str]`; it runs after the accounts.
"""
from django.core.management import call_command
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo administrators and enterprises (idempotent)."

    def handle(self, *args, **options):
        call_command("load_refdata", verbosity=0, stdout=self.stdout)
        created = seed_demo()
        for line in created:
            self.stdout.write(line)
        self.stdout.write(f"demo password for every demo login: {DEMO_PASSWORD}")
