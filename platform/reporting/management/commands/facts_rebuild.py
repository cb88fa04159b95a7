from django.core.management.base import BaseCommand

from reporting.models import ReportType
from reporting.services import facts_rebuild


class Command(BaseCommand):
    help = "Rebuild the facts table from the submissions' JSON answers."

    def add_arguments(self, parser):
        parser.add_argument("--report-type", help="only this report type (key)")

    def handle(self, *args, report_type=None, **options):
        kind = ReportType.objects.get(key=report_type) if report_type else None
        count = facts_rebuild(report_type=kind)
        self.stdout.write(f"{count} facts written")
