"""Backups that restore everything: the database, media, the document library and the exports.

The round trips run on the suite's database: SQLite's online backup API on the in-memory test
database, or pg_dump / pg_restore on PostgreSQL (CI stage 2). Tests that write an archive are
transactional: a dump sees committed rows only.
"""
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ops.backup import backup_file_roots, backup_manifest_build, backup_manifest_compare, backup_roots_problems
from ops.backup.roots import storage_locations
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + "年度报告".encode() * 50
SCRIPT_ENV_DROP = ("DJANGO_MEDIA_ROOT", "DJANGO_PRIVATE_ROOT", "DJANGO_EXPORTS_ROOT", "DATABASE_REPLICA_URL")


@pytest.fixture
def roots(tmp_path, settings):
    """Every backup root in a temporary var directory, each with a file: {name: directory}."""
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    settings.CMS_PRIVATE_ROOT = var / "private"
    settings.EXPORTS_ROOT = var / "exports"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "notice.pdf").write_bytes(b"%PDF-1.4 notice")
    (settings.EXPORTS_ROOT / "2026" / "11").mkdir(parents=True)
    (settings.EXPORTS_ROOT / "2026" / "11" / "summary.xlsx").write_bytes(b"PK\x03\x04 export")
    return {"media": settings.MEDIA_ROOT, "library": settings.CMS_PRIVATE_ROOT, "exports": settings.EXPORTS_ROOT}


@pytest.fixture
def library_version(admins, roots):
    """A document uploaded to the organisation library through the real service; its only version."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cms import services
    from cms.enums import LibrarySpace

    actor = admins["sme_ningbo"]
    folder = services.library_root_ensure(actor=actor, space=LibrarySpace.ORGANISATION)
    document = services.file_upload(actor=actor, folder=folder, upload=SimpleUploadedFile("年报.pdf", PDF))
    version = document.versions.get()
    assert Path(version.blob.path).read_bytes() == PDF and str(roots["library"]) in version.blob.path
    return version


@pytest.fixture
def approved_report(reports, enterprise, period):
    return reports.approved(enterprise, period)


def backup(out: Path) -> Path:
    stdout = io.StringIO()
    call_command("backup", out=str(out), stdout=stdout)
    archives = list(out.glob("sme-backup-*.tar.gz"))
    assert len(archives) == 1 and f"backup written to {archives[0]}" in stdout.getvalue()
    return archives[0]


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


# ---------------------------------------------------------------- the roots


def test_every_storage_of_every_file_field_lies_under_a_backed_up_root():
    roots = backup_file_roots()
    assert set(roots) == {"media", "library", "exports"}
    locations = storage_locations()
    assert {"cms.LibraryFileVersion.blob", "exports.ExportJob.file", "wagtaildocs.Document.file",
            "imports.ImportJob.file"} <= locations.keys()
    for what, location in locations.items():
        assert location is not None, what
        assert any(Path(location).resolve() == root or root in Path(location).resolve().parents
                   for root in roots.values()), f"{what} stores files in {location}, outside {roots}"
    assert backup_roots_problems() == []


def test_backup_refuses_while_a_storage_is_left_out(settings, tmp_path):
    settings.BACKUP_FILE_ROOTS = {"media": "MEDIA_ROOT", "exports": "EXPORTS_ROOT"}
    assert any(p.startswith("cms.LibraryFileVersion.blob stores files in") for p in backup_roots_problems())
    with pytest.raises(CommandError, match=r"cms\.LibraryFileVersion\.blob stores files in"):
        call_command("backup", out=str(tmp_path / "backups"))
    assert not list((tmp_path / "backups").glob("*"))


# ---------------------------------------------------------------- the manifest


def test_manifest_counts_what_is_there(db, approved_report, library_version, roots):
    from reporting.models import IndicatorFact, Submission
    from workflow.models import ReviewEvent

    manifest = backup_manifest_build()
    assert manifest["tables"]["submissions"]["count"] == Submission.objects.count() == 1
    assert manifest["tables"]["facts"]["count"] == IndicatorFact.objects.count() > 0
    assert manifest["tables"]["review_events"]["count"] == ReviewEvent.objects.count() > 0
    assert manifest["tables"]["library_versions"]["count"] == 1
    assert manifest["roots"]["library"]["files"] == {
        library_version.blob.name: {"size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}}
    assert list(manifest["roots"]["media"]["files"]) == ["documents/notice.pdf"]
    assert list(manifest["roots"]["exports"]["files"]) == ["2026/11/summary.xlsx"]
    assert backup_manifest_compare(expected=manifest, actual=backup_manifest_build()) == []


def test_a_changed_fact_a_lost_event_and_a_changed_file_are_each_found(db, approved_report, roots):
    from decimal import Decimal

    from reporting.models import IndicatorFact
    from workflow.models import ReviewEvent

    manifest = backup_manifest_build()
    fact = IndicatorFact.objects.order_by("pk").first()
    fact.value = fact.value + Decimal("0.01")
    fact.save(update_fields=["value"])
    ReviewEvent.objects.order_by("-pk").first().delete()
    (roots["media"] / "documents" / "notice.pdf").write_bytes(b"%PDF-1.4 changed")
    (roots["exports"] / "2026" / "11" / "summary.xlsx").unlink()

    problems = backup_manifest_compare(expected=manifest, actual=backup_manifest_build())
    assert [p.split(":")[0] for p in problems] == [
        "facts", "review_events", "file media/documents/notice.pdf", "file exports/2026/11/summary.xlsx"]
    assert problems[-1].endswith(": missing")


def test_verify_command_fails_loudly_on_a_difference_from_a_manifest_file(db, approved_report, roots, tmp_path):
    path = tmp_path / "manifest.json"
    call_command("backup_manifest", output=str(path), verbosity=0)
    call_command("backup_verify", str(path), stdout=io.StringIO())  # the same data: passes
    manifest = json.loads(path.read_text())
    manifest["tables"]["submissions"]["count"] += 1
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="FAILED"):
        call_command("backup_verify", str(path), stderr=io.StringIO())


# ---------------------------------------------------------------- backup -> wipe -> restore -> verify


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_brings_back_the_library_file_the_rows_and_every_root(
        approved_report, library_version, roots, tmp_path):
    from cms.models import LibraryFile, LibraryFileVersion
    from reporting.models import Submission

    archive = backup(tmp_path / "backups")
    assert archive.stat().st_mode & 0o077 == 0  # password hashes and private documents: owner only
    manifest = manifest_of(archive)
    # 2026-11-18 10:00 in Shanghai (the suite's clock): local time with its offset, in the name too.
    assert manifest["created_at"].startswith("2026-11-18T10:") and manifest["created_at"].endswith("+08:00")
    assert archive.name.startswith("sme-backup-20261118-10")
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["cms"]
    assert manifest["roots"]["library"]["files"][library_version.blob.name]["sha256"] == hashlib.sha256(PDF).hexdigest()
    call_command("backup_verify", str(archive), stdout=io.StringIO())

    # The disaster: rows deleted, every root emptied.
    LibraryFile.objects.all().delete()
    Submission.objects.all().delete()
    for root in roots.values():
        shutil.rmtree(root)

    with pytest.raises(CommandError, match="--yes"):  # the database still holds users
        call_command("restore", str(archive))
    assert not LibraryFile.objects.exists() and not roots["library"].exists()

    stdout = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=stdout)
    assert "restore verification PASSED" in stdout.getvalue() and "library=1" in stdout.getvalue()

    version = LibraryFileVersion.objects.get(pk=library_version.pk)
    with version.blob.open("rb") as handle:
        assert handle.read() == PDF
    assert Submission.objects.get(pk=approved_report.pk).status == approved_report.status
    assert (roots["media"] / "documents" / "notice.pdf").read_bytes() == b"%PDF-1.4 notice"
    assert (roots["exports"] / "2026" / "11" / "summary.xlsx").read_bytes() == b"PK\x03\x04 export"
    call_command("backup_verify", str(archive), live=True, stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_verify_fails_naming_a_missing_file_and_a_restore_of_a_broken_archive_changes_nothing(
        library_version, roots, tmp_path):
    from cms.models import LibraryFileVersion

    archive = backup(tmp_path / "backups")
    call_command("backup_verify", str(archive), live=True, stdout=io.StringIO())
    name = library_version.blob.name

    # An archive that lost the library file: named, and a restore from it refused before any change.
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(broken, "w:gz") as target:
        for member in source:
            if member.name != f"files/library/{name}":
                target.addfile(member, source.extractfile(member) if member.isfile() else None)
    with pytest.raises(CommandError, match=f"files/library/{name}: missing from the archive"):
        call_command("backup_verify", str(broken), stderr=io.StringIO())
    (roots["media"] / "documents" / "later.pdf").write_bytes(b"%PDF-1.4 later")
    with pytest.raises(CommandError, match="nothing was restored"):
        call_command("restore", str(broken), yes=True)
    assert (roots["media"] / "documents" / "later.pdf").exists() and LibraryFileVersion.objects.count() == 1

    # A library file gone from the live installation: the live checks name it.
    Path(library_version.blob.path).unlink()
    with pytest.raises(CommandError, match=f"file library/{name}: missing"):
        call_command("backup_verify", str(archive), live=True, stderr=io.StringIO())
    with pytest.raises(CommandError, match=f"cms.LibraryFileVersion {library_version.pk}: its file {name} is missing"):
        call_command("backup_verify", live=True, stderr=io.StringIO())


# ---------------------------------------------------------------- the shell wrappers


@pytest.mark.django_db(transaction=True)
def test_the_scripts_back_up_and_restore_a_sqlite_installation(library_version, roots, tmp_path):
    """deploy/backup.sh and restore.sh in a separate process on the embedded default (SQLite file under
    DJANGO_VAR_DIR): no `manage.py shell` output in the way; the library file comes back byte for byte."""
    if connection.vendor != "sqlite":
        pytest.skip("the scripts' PostgreSQL round trip runs in .ci/run stage 3")
    var = roots["media"].parent
    database = var / "db.sqlite3"
    target = sqlite3.connect(database)
    connection.connection.backup(target)  # the test database, with the upload, as the installation's file
    target.close()
    env = {key: value for key, value in os.environ.items() if key not in SCRIPT_ENV_DROP}
    env.update(DJANGO_VAR_DIR=str(var), DATABASE_URL=f"sqlite:///{database}", PY=sys.executable)

    def run(*args):
        return subprocess.run(["bash", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True)

    made = run("deploy/backup.sh", str(tmp_path / "backups"))
    assert made.returncode == 0, made.stdout + made.stderr
    assert "imported automatically" not in made.stdout + made.stderr and "backup written to" in made.stdout
    (archive,) = (tmp_path / "backups").glob("sme-backup-*.tar.gz")

    shutil.rmtree(roots["library"])
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM cms_libraryfileversion")
    refused = run("deploy/restore.sh", str(archive))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    restored = run("deploy/restore.sh", str(archive), "--yes")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "restore verification PASSED" in restored.stdout

    assert (roots["library"] / library_version.blob.name).read_bytes() == PDF
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT sha256 FROM cms_libraryfileversion").fetchall() == [(hashlib.sha256(PDF).hexdigest(),)]
