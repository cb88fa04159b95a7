"""Backup manifests: counts and checksums of what must survive a backup and restore.

``backup_manifest`` writes one next to a database dump and a media archive; after a restore,
``backup_verify`` recomputes it on the restored data and compares. The checksums are computed in
Python over rows read in primary-key order, so they are the same on SQLite and PostgreSQL and do
not depend on how the database stores JSON or decimals.
"""
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

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
    digest = hashlib.sha256()
    count = size = 0
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            file_hash = hashlib.sha256(path.read_bytes()).hexdigest()
            digest.update(f"{path.relative_to(root).as_posix()}\x1f{file_hash}\x1e".encode())
            count += 1
            size += path.stat().st_size
    return {"count": count, "bytes": size, "sha256": digest.hexdigest()}


def backup_manifest_build(*, media: bool = True) -> dict:
    """Counts and checksums of submissions, facts, review events, enterprises, users and media files."""
    from accounts.models import User
    from enterprises.models import Enterprise
    from reporting.models import IndicatorFact, Submission
    from workflow.models import ReviewEvent

    tables = {
        "submissions": _table_digest(Submission.objects.all(), [
            "pk", "report_type_id", "enterprise_id", "period", "version_id", "answers", "status",
            "holder_id", "screening", "explanation", "return_reason", "submitted_at", "approved_at"]),
        "facts": _table_digest(IndicatorFact.objects.all(), [
            "submission_id", "period", "status", "field", "row", "column", "label", "value"]),
        "review_events": _table_digest(ReviewEvent.objects.all(), ["pk", "submission_id", "action", "created_at"]),
        "enterprises": _table_digest(Enterprise.objects.all(), ["pk", "name", "credit_code", "status"]),
        "users": _table_digest(User.objects.all(), ["pk", "username", "password", "is_active"]),
    }
    manifest = {"format": 1, "tables": tables}
    if media:
        manifest["media"] = _media_digest(Path(settings.MEDIA_ROOT))
    return manifest


def backup_manifest_compare(*, expected: dict, actual: dict) -> list[str]:
    """The differences, one line each; empty when the restore is faithful."""
    problems = []
    for name, want in expected.get("tables", {}).items():
        got = actual.get("tables", {}).get(name)
        if got != want:
            problems.append(f"{name}: expected {want}, found {got}")
    if "media" in expected and expected["media"] != actual.get("media"):
        problems.append(f"media: expected {expected['media']}, found {actual.get('media')}")
    return problems
