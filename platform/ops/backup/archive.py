"""One archive per backup: `sme-backup-<local time>.tar.gz` holding

    database/db.sqlite3 or database/database.dump   the database (see ops.backup.database)
    files/<root>/<path>                             every file of every backup root (media, library, exports)
    manifest.json                                   what it holds: times, migrations, tables, each file's size and sha256

The database is dumped first and the files copied after it, so a document uploaded meanwhile can
only leave an unreferenced file, never a row without its file. Each file is hashed as it is written
into the archive, so the manifest describes exactly the bytes archived. The archive is written under
a temporary name, readable by its owner only (it holds password hashes and private documents), and
renamed when complete.
"""
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from .database import database_contents, database_restore, database_snapshot
from .manifest import (FORMAT, backup_manifest_build, backup_manifest_compare, manifest_head, manifest_migrations,
                       manifest_roots, manifest_tables)
from .roots import (BackupError, backup_file_roots, backup_roots_problems, field_storage, file_entry, root_entries,
                    root_files, stored_file_fields)

MANIFEST = "manifest.json"
SUFFIX = ".tar.gz"


class _HashingReader:
    """A file read through by tarfile, hashing the bytes it hands over."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    info = tar.gettarinfo(str(path), arcname)
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": reader.size, "sha256": reader.digest.hexdigest()}


def _archive_name(out_dir: Path) -> Path:
    stem = f"sme-backup-{timezone.localtime():%Y%m%d-%H%M%S}"
    path, n = out_dir / f"{stem}{SUFFIX}", 2
    while path.exists():
        path, n = out_dir / f"{stem}-{n}{SUFFIX}", n + 1
    return path


def backup_create(*, out_dir: Path) -> tuple[Path, dict]:
    """备份: write the database, every backup root and the manifest into one archive in `out_dir`."""
    problems = backup_roots_problems()
    if problems:
        raise BackupError("the backup would leave files out:\n" + "\n".join(problems))
    roots = backup_file_roots()
    out_dir = Path(out_dir).resolve()
    for name, root in roots.items():
        if out_dir == root or root in out_dir.parents:
            raise BackupError(f"--out {out_dir} is inside the backup root {name} ({root}); choose a directory outside it")
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = _archive_name(out_dir)
    partial = archive.with_name(archive.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".sme-backup-", dir=out_dir) as work:
        with database_snapshot() as dump:
            database_file = dump(Path(work))
            manifest = {**manifest_head(), "migrations": manifest_migrations(), "tables": manifest_tables()}
        try:
            with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw, \
                    tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                arcname = f"database/{database_file.name}"
                manifest["database"].update(file=arcname, **_add_file(tar, database_file, arcname))
                files = {name: {relative: _add_file(tar, path, f"files/{name}/{relative}")
                                for relative, path in root_files(root)} for name, root in roots.items()}
                manifest["roots"] = manifest_roots(files)
                data = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, BytesIO(data))
            partial.rename(archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive, manifest


def _expected_members(manifest: dict) -> dict[str, dict]:
    """{archive member: {"size", "sha256"}} that the manifest says the archive holds."""
    expected = {}
    database = manifest.get("database", {})
    if database.get("file"):
        expected[database["file"]] = {"size": database["size"], "sha256": database["sha256"]}
    for name, root in manifest.get("roots", {}).items():
        for relative, entry in root["files"].items():
            expected[f"files/{name}/{relative}"] = entry
    return expected


def _member_problems(expected: dict[str, dict], found: dict[str, dict]) -> list[str]:
    problems = []
    for member, entry in sorted(expected.items()):
        got = found.get(member)
        if got is None:
            problems.append(f"{member}: missing from the archive")
        elif got != entry:
            problems.append(f"{member}: changed in the archive ({got['size']} bytes; the manifest says {entry['size']})"
                            if got["size"] != entry["size"] else f"{member}: changed in the archive (sha256 differs)")
    problems.extend(f"{member}: in the archive but not in its manifest" for member in sorted(found.keys() - expected.keys()))
    return problems


def _check_format(manifest: dict | None, archive: Path) -> dict:
    if manifest is None:
        raise BackupError(f"{archive}: {MANIFEST} is missing; this is not a backup made by manage.py backup")
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: manifest format {manifest.get('format')!r} is not {FORMAT}")
    return manifest


def backup_archive_verify(*, archive: Path) -> tuple[dict, list[str]]:
    """(manifest, problems): every file the manifest lists is in the archive with its size and sha256."""
    manifest, found = None, {}
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            for member in tar:
                if not member.isfile():
                    continue
                handle = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = json.loads(handle.read())
                    continue
                digest = hashlib.file_digest(handle, "sha256")
                found[member.name] = {"size": member.size, "sha256": digest.hexdigest()}
    except (OSError, tarfile.TarError, EOFError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive}: cannot be read as a backup archive ({exc})") from exc
    manifest = _check_format(manifest, archive)
    return manifest, _member_problems(_expected_members(manifest), found)


def stored_files_problems() -> list[str]:
    """Every file a row refers to (FileFields) exists; library versions still have their recorded sha256."""
    from cms.models import LibraryFileVersion

    problems = []
    for model, file_field in stored_file_fields():
        storage = field_storage(file_field)
        column = file_field.attname
        rows = model._default_manager.exclude(**{column: ""}).exclude(**{f"{column}__isnull": True})
        for pk, name in rows.order_by("pk").values_list("pk", column).iterator(chunk_size=2000):
            if not storage.exists(name):
                problems.append(f"{model._meta.label} {pk}: its file {name} is missing ({storage.location})")
    for version in LibraryFileVersion.objects.order_by("pk").only("pk", "blob", "sha256").iterator(chunk_size=2000):
        path = Path(version.blob.path)
        if path.is_file() and file_entry(path)["sha256"] != version.sha256:
            problems.append(f"{LibraryFileVersion._meta.label} {version.pk}: its file {version.blob.name} has changed "
                            "(its sha256 is not the one recorded at upload)")
    return problems


def backup_live_verify(*, manifest: dict) -> list[str]:
    """The live database and files against a manifest, then every stored file's presence; one line per difference."""
    return backup_manifest_compare(expected=manifest, actual=backup_manifest_build()) + stored_files_problems()


@dataclass
class RestoreResult:
    manifest: dict
    notes: list[str] = field(default_factory=list)


def _empty_directory(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def backup_restore(*, archive: Path, replace: bool = False, work_dir: Path | None = None) -> RestoreResult:
    """恢复: replace the database and every backup root with the archive's, then verify them.

    Refuses, changing nothing, when the archive does not verify, when it is of another database
    vendor, or when the database or the roots hold data and `replace` is not given.
    """
    archive = Path(archive).resolve()
    problems = backup_roots_problems()
    if problems:
        raise BackupError("the restore would leave files out:\n" + "\n".join(problems))
    roots = backup_file_roots()
    if not replace:
        contents = database_contents()
        for name, root in roots.items():
            if count := sum(1 for _ in root_files(root)):
                contents[f"files in {name}"] = count
        if contents:
            raise BackupError("this installation holds data (" + ", ".join(f"{k}: {v}" for k, v in contents.items())
                              + "); a restore replaces all of it. Run again with --yes to replace it")
    with tempfile.TemporaryDirectory(prefix="sme-restore-", dir=work_dir) as work:
        staging = Path(work)
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                tar.extractall(staging, filter="data")
        except (OSError, tarfile.TarError, EOFError) as exc:
            raise BackupError(f"{archive}: cannot be read as a backup archive ({exc})") from exc
        manifest_path = staging / MANIFEST
        try:
            manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.is_file() else None
        except ValueError as exc:
            raise BackupError(f"{archive}: {MANIFEST} cannot be read ({exc})") from exc
        manifest = _check_format(manifest, archive)
        found = {member: entry for member, entry in root_entries(staging).items() if member != MANIFEST}
        problems = _member_problems(_expected_members(manifest), found)
        if problems:
            raise BackupError(f"{archive} does not match its manifest; nothing was restored:\n" + "\n".join(problems))
        missing = sorted(manifest["roots"].keys() - roots.keys())
        if missing:
            raise BackupError(f"the backup has files for {', '.join(missing)}, "
                              "which settings.BACKUP_FILE_ROOTS does not name; nothing was restored")

        database_restore(staging / manifest["database"]["file"], vendor=manifest["database"]["vendor"])
        for name, root in roots.items():
            _empty_directory(root)
            source = staging / "files" / name
            if source.is_dir():
                for child in source.iterdir():
                    shutil.move(str(child), str(root / child.name))

    result = RestoreResult(manifest=manifest)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        result.notes.append(f"the code has {len(pending)} migration(s) the backup predates: run manage.py migrate")
    problems = backup_live_verify(manifest=manifest)
    if problems:
        raise BackupError("restore verification FAILED:\n" + "\n".join(problems))
    return result
