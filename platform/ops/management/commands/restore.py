from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore an archive written by manage.py backup: the database and every file root are replaced "
            "by the archive's, then verified against its manifest. Stop the web and worker processes first.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by manage.py backup")
        parser.add_argument("--yes", action="store_true",
                            help="replace a database or file roots that already hold data")
        parser.add_argument("--work-dir",
                            help="where to unpack the archive first (default: the system's temporary directory)")

    def handle(self, *args, archive, yes=False, work_dir=None, **options):
        try:
            result = backup_restore(archive=Path(archive), replace=yes, work_dir=Path(work_dir) if work_dir else None)
        except BackupError as exc:
            raise CommandError(f"restore FAILED: {exc}") from exc
        for note in result.notes:
            self.stdout.write(f"note: {note}")
        manifest = result.manifest
        counts = ", ".join(f"{name}={value['count']}" for name, value in manifest["tables"].items())
        files = ", ".join(f"{name}={root['count']}" for name, root in manifest["roots"].items())
        self.stdout.write(f"restored the backup of {manifest['created_at']} from {archive}")
        self.stdout.write(f"restore verification PASSED: {counts}; files {files}")
