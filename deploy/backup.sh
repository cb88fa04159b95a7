#!/usr/bin/env bash
# Back up everything a restore needs into one archive, DEST_DIR/sme-backup-<local time>.tar.gz:
# the database (PostgreSQL: pg_dump -Fc; SQLite: its online backup API), the media files, the
# document library and the exports (settings.BACKUP_FILE_ROOTS), and a manifest with every file's
# sha256 (manage.py backup). Run from anywhere with the production environment loaded, e.g. nightly
# from a systemd timer or cron, then copy the archive off the machine:
#   set -a; . /etc/sme-platform/env; set +a; deploy/backup.sh /srv/backups
# Check an archive with: manage.py backup_verify ARCHIVE
set -euo pipefail
dest=$(realpath -m "${1:?usage: deploy/backup.sh DEST_DIR}")  # before the cd below
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
exec "$PY" manage.py backup --out "$dest"
