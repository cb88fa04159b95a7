import json

from django.core.management.base import BaseCommand, CommandError

from ops.backup import backup_manifest_build, backup_manifest_compare


class Command(BaseCommand):
    help = "Compare the restored database and media with a manifest written at backup time."

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="the manifest file written by backup_manifest")

    def handle(self, *args, manifest, **options):
        with open(manifest, encoding="utf-8") as handle:
            expected = json.load(handle)
        actual = backup_manifest_build(media="media" in expected)
        problems = backup_manifest_compare(expected=expected, actual=actual)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"restore verification FAILED: {len(problems)} difference(s)")
        counts = ", ".join(f"{name}={value['count']}" for name, value in actual["tables"].items())
        media = actual.get("media")
        self.stdout.write(f"restore verification PASSED: {counts}" + (f", media files={media['count']}" if media else ""))
