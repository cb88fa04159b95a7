#!/usr/bin/env bash
# Restore an archive written by deploy/backup.sh: the database named by DATABASE_URL and every file
# root are replaced by the archive's, then checked against its manifest (manage.py restore; it
# refuses to replace a database or files that hold data unless --yes is given). Stop the web and
# worker processes first.
#   set -a; . /etc/sme-platform/env; set +a; deploy/restore.sh /srv/backups/sme-backup-20261122-020000.tar.gz --yes
set -euo pipefail
archive=$(realpath -m "${1:?usage: deploy/restore.sh ARCHIVE [--yes]}")  # before the cd below
shift
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
exec "$PY" manage.py restore "$archive" "$@"
