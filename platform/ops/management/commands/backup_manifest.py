import json

from django.core.management.base import BaseCommand

from ops.backup import backup_manifest_build


class Command(BaseCommand):
    help = ("Write the manifest of the live installation (JSON): migrations, counts and checksums of the main "
            "tables, and each stored file's size and sha256. manage.py backup writes one into every archive.")

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: stdout)")
        parser.add_argument("--no-files", "--no-media", action="store_true", dest="no_files",
                            help="leave the stored files out")

    def handle(self, *args, output=None, no_files=False, **options):
        text = json.dumps(backup_manifest_build(files=not no_files), indent=2, ensure_ascii=False, sort_keys=True)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stdout.write(f"manifest written to {output}")
        else:
            self.stdout.write(text)
