#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the database named by DATABASE_URL (which must be
# an empty database) and the media directory, then verify counts and checksums against its manifest.
#   set -a; . /etc/sme-platform/env; set +a; deploy/restore.sh /srv/backups/sme-20261122-020000
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: deploy/restore.sh BACKUP_DIR}
PY=${PY:-.venv/bin/python}
media_root=$($PY manage.py shell -c "from django.conf import settings; print(settings.MEDIA_ROOT)")
pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$media_root"
tar -C "$media_root" -xzf "$src/media.tar.gz"
$PY manage.py migrate --check >/dev/null || echo "note: the code has migrations the backup predates; run manage.py migrate"
$PY manage.py backup_verify "$src/manifest.json"
