#!/usr/bin/env bash
# Back up the database (pg_dump custom format), the media files and a manifest of counts and
# checksums into one dated directory. Run from the application directory with the production
# environment loaded (DATABASE_URL, DJANGO_MEDIA_ROOT), e.g. nightly from a systemd timer or cron:
#   set -a; . /etc/sme-platform/env; set +a; deploy/backup.sh /srv/backups
# Writes are consistent: pg_dump takes one snapshot; the manifest is computed first, and the
# verification after a restore allows rows added after it only if you restore a later dump.
set -euo pipefail
cd "$(dirname "$0")/.."
dest_root=${1:?usage: deploy/backup.sh DEST_DIR}
stamp=$(date +%Y%m%d-%H%M%S)
dest="$dest_root/sme-$stamp"
mkdir -p "$dest"
PY=${PY:-.venv/bin/python}
media_root=$($PY manage.py shell -c "from django.conf import settings; print(settings.MEDIA_ROOT)")
# Dump first, then the manifest from the same data: pg_dump's snapshot and the manifest agree when
# nothing is written in between (take backups in a quiet hour, or restore-verify on a replica).
pg_dump --format=custom --no-owner --file="$dest/database.dump" "$DATABASE_URL"
tar -C "$media_root" -czf "$dest/media.tar.gz" .
$PY manage.py backup_manifest --output "$dest/manifest.json" -v0
echo "backup written to $dest"
