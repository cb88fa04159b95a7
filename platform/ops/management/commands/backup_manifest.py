import json

from django.core.management.base import BaseCommand

from ops.backup import backup_manifest_build


class Command(BaseCommand):
    help = "Write the counts and checksums of submissions, facts, events, enterprises, users and media (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write (default: stdout)")
        parser.add_argument("--no-media", action="store_true", help="leave the media files out")

    def handle(self, *args, output=None, no_media=False, **options):
        text = json.dumps(backup_manifest_build(media=not no_media), indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stdout.write(f"manifest written to {output}")
        else:
            self.stdout.write(text)
