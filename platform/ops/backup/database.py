"""The database part of a backup: a consistent dump, and its restore.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the live database from Django's
connection inside a read transaction, so the copy and the manifest's checksums see one snapshot. A
restore copies the archived database back into the live one with the same API: it takes the
database's locks and handles its WAL, where replacing the file under running processes would not.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot, `pg_dump -Fc --snapshot` dumps
exactly that, and the manifest's checksums are computed in the same transaction. A restore is
`pg_restore --clean --if-exists` in one transaction. Connection settings come from DATABASES; the
password reaches the tools through PGPASSWORD in their environment, never a command line or output.
"""
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from .roots import BackupError

SQLITE_DUMP = "db.sqlite3"
POSTGRESQL_DUMP = "database.dump"
VENDORS = ("sqlite", "postgresql")


def _vendor() -> str:
    if connection.vendor not in VENDORS:
        raise BackupError(f"backups of {connection.vendor} databases are not supported (only SQLite and PostgreSQL)")
    return connection.vendor


@contextmanager
def database_snapshot() -> Iterator[Callable[[Path], Path]]:
    """Inside, the database reads as one snapshot; yields `dump(directory) -> file` that writes it."""
    vendor = _vendor()
    if connection.in_atomic_block:
        raise BackupError("a backup cannot run inside a transaction: the dump would not see its own snapshot")
    connection.ensure_connection()
    if vendor == "sqlite":
        # A deferred read transaction on the raw connection, not transaction.atomic(): Django's begins
        # IMMEDIATE here (settings), which would hold the write lock, keep writers waiting and make the
        # backup API itself report the database busy. The ORM's reads below run inside it.
        raw = connection.connection
        raw.execute("BEGIN DEFERRED")
        try:
            raw.execute("SELECT count(*) FROM sqlite_master").fetchall()  # the first read fixes the snapshot
            yield _sqlite_dump
        finally:
            raw.execute("ROLLBACK")
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            dump = partial(_pg_dump, snapshot=cursor.fetchone()[0])
        yield dump


def _sqlite_dump(directory: Path) -> Path:
    path = directory / SQLITE_DUMP
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
    return path


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed or not on PATH (Debian: apt-get install postgresql-client)")
    return path


def _pg_env() -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if params.get(key):
            env[variable] = str(params[key])
    options = params.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def _pg_run(args: list[str]) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed (exit code {result.returncode}): {result.stderr.strip()[-2000:]}")


def _pg_dump(directory: Path, *, snapshot: str) -> Path:
    path = directory / POSTGRESQL_DUMP
    _pg_run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={path}"])
    return path


def database_contents() -> dict[str, int]:
    """{what: rows} of the tables that show a database is in use; empty for a new or unmigrated one."""
    from accounts.models import User
    from cms.models import LibraryFile
    from enterprises.models import Enterprise
    from reporting.models import Submission

    tables = set(connection.introspection.table_names())
    counts = {}
    for label, model in (("users", User), ("enterprises", Enterprise), ("reports", Submission),
                         ("library documents", LibraryFile)):
        if model._meta.db_table in tables:
            count = model.objects.count()
            if count:
                counts[label] = count
    return counts


def database_restore(path: Path, *, vendor: str) -> None:
    """Replace the live database's contents with the dump at `path` (made on `vendor`)."""
    if vendor != _vendor():
        raise BackupError(f"the backup holds a {vendor} database; this installation uses {connection.vendor}")
    if connection.in_atomic_block:
        raise BackupError("a restore cannot run inside a transaction")
    if vendor == "sqlite":
        source = sqlite3.connect(path)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()  # hold no session of ours while pg_restore drops and recreates the tables
        _pg_run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                 "--exit-on-error", "--single-transaction", f"--dbname={connection.settings_dict['NAME']}", str(path)])
        connection.close()
    ContentType.objects.clear_cache()  # ids read before the restore
