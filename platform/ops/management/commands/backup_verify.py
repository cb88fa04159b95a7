import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_archive_verify, backup_live_verify, stored_files_problems


class Command(BaseCommand):
    help = ("Check a backup. ARCHIVE: every file its manifest lists is in it, with its size and sha256. "
            "ARCHIVE --live: the live database and files are the archive's (after a restore). "
            "--live alone: every file a row refers to exists. MANIFEST.json (from backup_manifest): as ARCHIVE --live.")

    def add_arguments(self, parser):
        parser.add_argument("archive", nargs="?", help="an archive from manage.py backup, or a manifest .json")
        parser.add_argument("--live", action="store_true", help="check the live database and files")

    def handle(self, *args, archive=None, live=False, **options):
        if archive is None and not live:
            raise CommandError("name an ARCHIVE, or give --live")
        try:
            if archive is None:
                problems, summary = stored_files_problems(), "every stored file is present"
            elif archive.endswith(".json"):
                with open(archive, encoding="utf-8") as handle:
                    manifest = json.load(handle)
                problems, summary = backup_live_verify(manifest=manifest), self._summary(manifest)
            else:
                manifest, problems = backup_archive_verify(archive=Path(archive))
                summary = self._summary(manifest)
                if live:
                    problems += backup_live_verify(manifest=manifest)
        except (BackupError, OSError, ValueError) as exc:
            raise CommandError(f"verification FAILED: {exc}") from exc
        what = "restore" if live or (archive or "").endswith(".json") else "backup"
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(f"{what} verification FAILED: {len(problems)} difference(s), first: {problems[0]}")
        self.stdout.write(f"{what} verification PASSED: {summary}")

    @staticmethod
    def _summary(manifest: dict) -> str:
        parts = [", ".join(f"{name}={value['count']}" for name, value in manifest.get("tables", {}).items())]
        if manifest.get("roots"):
            parts.append("files " + ", ".join(f"{name}={root['count']}" for name, root in manifest["roots"].items()))
        if manifest.get("media"):
            parts.append(f"media files={manifest['media']['count']}")
        return "; ".join(parts)
