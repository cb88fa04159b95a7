"""Backup manifests: what must survive a backup and a restore, with counts and checksums.

A manifest records when the backup was made (Asia/Shanghai time with its offset, for people), the
database vendor and its applied migrations, row counts and checksums of the tables that matter
(submissions, facts, review events, enterprises, users, library versions), and every stored file of
every backup root with its size and SHA-256. The table checksums are computed in Python over rows read
in primary-key order, so they are the same on SQLite and PostgreSQL and do not depend on how the
database stores JSON or decimals.
"""
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .roots import BackupError, backup_file_roots, root_entries

FORMAT = 2
CHUNK = 5000


def _canonical(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return "" if value is None else str(value)


def _table_digest(queryset, fields: list[str]) -> dict:
    digest = hashlib.sha256()
    count = 0
    for row in queryset.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK):
        digest.update("\x1f".join(_canonical(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return {"count": count, "sha256": digest.hexdigest()}


def _media_digest(root: Path) -> dict:
    """The single digest of MEDIA_ROOT that format-1 manifests (before the archive) recorded."""
    digest = hashlib.sha256()
    count = size = 0
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.update(f"{path.relative_to(root).as_posix()}\x1f{file_hash}\x1e".encode())
            count += 1
            size += path.stat().st_size
    return {"count": count, "bytes": size, "sha256": digest.hexdigest()}


def manifest_tables() -> dict:
    """Counts and checksums of the tables a faithful restore must bring back unchanged."""
    from accounts.models import User
    from cms.models import LibraryFileVersion
    from enterprises.models import Enterprise
    from reporting.models import IndicatorFact, Submission
    from workflow.models import ReviewEvent

    existing = set(connection.introspection.table_names())
    for model in (User, LibraryFileVersion, Enterprise, IndicatorFact, Submission, ReviewEvent):
        if model._meta.db_table not in existing:
            raise BackupError(f"the database has no table {model._meta.db_table}: run manage.py migrate first")
    return {
        "submissions": _table_digest(Submission.objects.all(), [
            "pk", "report_type_id", "enterprise_id", "period", "version_id", "answers", "status",
            "holder_id", "screening", "explanation", "return_reason", "submitted_at", "approved_at"]),
        "facts": _table_digest(IndicatorFact.objects.all(), [
            "submission_id", "period", "status", "field", "row", "column", "label", "value"]),
        "review_events": _table_digest(ReviewEvent.objects.all(), ["pk", "submission_id", "action", "created_at"]),
        "enterprises": _table_digest(Enterprise.objects.all(), ["pk", "name", "credit_code", "status"]),
        "users": _table_digest(User.objects.all(), ["pk", "username", "password", "is_active"]),
        "library_versions": _table_digest(LibraryFileVersion.objects.all(), ["pk", "file_id", "number", "blob", "sha256"]),
    }


def manifest_migrations() -> dict[str, list[str]]:
    """{app label: names of its applied migrations}, as the django_migrations table says."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def manifest_roots(entries: dict[str, dict[str, dict]]) -> dict:
    """The manifest's "roots" part from {root name: {relative path: {"size", "sha256"}}}."""
    roots = backup_file_roots()
    return {
        name: {"path": str(roots[name]), "count": len(files), "bytes": sum(f["size"] for f in files.values()),
               "files": dict(sorted(files.items()))}
        for name, files in entries.items()
    }


def manifest_head() -> dict:
    return {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "time_zone": settings.TIME_ZONE,
        "database": {"vendor": connection.vendor},
    }


def backup_manifest_build(*, files: bool = True) -> dict:
    """The manifest of the live database and, with `files`, of every backup root's files now."""
    manifest = {**manifest_head(), "migrations": manifest_migrations(), "tables": manifest_tables()}
    if files:
        manifest["roots"] = manifest_roots({name: root_entries(root) for name, root in backup_file_roots().items()})
    return manifest


def _file_problems(name: str, want: dict, got: dict) -> list[str]:
    problems = []
    for relative, entry in want.items():
        found = got.get(relative)
        if found is None:
            problems.append(f"file {name}/{relative}: missing")
        elif found != entry:
            problems.append(f"file {name}/{relative}: changed ({found['size']} bytes, sha256 {found['sha256'][:12]}…; "
                            f"the backup has {entry['size']} bytes, sha256 {entry['sha256'][:12]}…)")
    problems.extend(f"file {name}/{relative}: not in the backup" for relative in got.keys() - want.keys())
    return sorted(problems)


def _migration_problems(want: dict, got: dict) -> list[str]:
    want_set = {(app, name) for app, names in want.items() for name in names}
    got_set = {(app, name) for app, names in got.items() for name in names}
    problems = []
    if want_set - got_set:
        problems.append("migrations: applied in the backup, not in the database: "
                        + ", ".join(f"{a}.{n}" for a, n in sorted(want_set - got_set)))
    if got_set - want_set:
        problems.append("migrations: applied in the database, not in the backup: "
                        + ", ".join(f"{a}.{n}" for a, n in sorted(got_set - want_set)))
    return problems


def backup_manifest_compare(*, expected: dict, actual: dict) -> list[str]:
    """The differences between a manifest and the live one, one line each; empty when the restore is faithful."""
    problems = []
    for name, want in expected.get("tables", {}).items():
        got = actual.get("tables", {}).get(name)
        if got != want:
            problems.append(f"{name}: expected {want}, found {got}")
    if "migrations" in expected:
        problems += _migration_problems(expected["migrations"], actual.get("migrations", {}))
    for name, root in expected.get("roots", {}).items():
        live = actual.get("roots", {}).get(name)
        if live is None:
            problems.append(f"files {name}: the backup has this root, settings.BACKUP_FILE_ROOTS has not")
            continue
        problems += _file_problems(name, root["files"], live["files"])
    if "media" in expected:  # format 1
        media = _media_digest(Path(settings.MEDIA_ROOT))
        if expected["media"] != media:
            problems.append(f"media: expected {expected['media']}, found {media}")
    return problems
