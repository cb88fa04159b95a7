"""Backups that restore everything: the database, the uploaded media, the document library and the exports.

`manage.py backup --out DIR` writes one archive with a manifest of checksums (archive.py);
`manage.py restore ARCHIVE` puts it back and verifies it; `manage.py backup_verify` checks an archive
(ARCHIVE), the live installation against one (ARCHIVE --live), or that every stored file a row refers
to exists (--live). The directories backed up are settings.BACKUP_FILE_ROOTS (roots.py); the
database part is database.py; the manifest and its comparison are manifest.py.
"""
from .archive import (RestoreResult, backup_archive_verify, backup_create, backup_live_verify, backup_restore,
                      stored_files_problems)
from .manifest import backup_manifest_build, backup_manifest_compare
from .roots import BackupError, backup_file_roots, backup_roots_problems

__all__ = [
    "BackupError", "RestoreResult", "backup_archive_verify", "backup_create", "backup_file_roots",
    "backup_live_verify", "backup_manifest_build", "backup_manifest_compare", "backup_restore",
    "backup_roots_problems", "stored_files_problems",
]
