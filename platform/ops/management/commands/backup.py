from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup_create


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.1f} kB"


class Command(BaseCommand):
    help = ("Back up the database, the media files, the document library and the exports into one archive "
            "DIR/sme-backup-<local time>.tar.gz with a manifest of checksums.")

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="directory to write the archive into (created if missing)")

    def handle(self, *args, out, **options):
        try:
            archive, manifest = backup_create(out_dir=Path(out))
        except BackupError as exc:
            raise CommandError(f"backup FAILED: {exc}") from exc
        database = manifest["database"]
        roots = ", ".join(f"{name} {root['count']} file(s) ({_size(root['bytes'])})"
                          for name, root in manifest["roots"].items())
        self.stdout.write(f"backup written to {archive}")
        self.stdout.write(f"  created at {manifest['created_at']}; "
                          f"database {database['vendor']} ({_size(database['size'])}); {roots}")
