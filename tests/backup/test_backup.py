"""Backup manifests and a real pg_dump / pg_restore round trip (on PostgreSQL)."""
import json
import os
import shutil
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ops.backup import backup_manifest_build, backup_manifest_compare
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "notice.pdf").write_bytes(b"%PDF-1.4 notice")
    return settings.MEDIA_ROOT


@pytest.fixture
def approved_report(reports, enterprise, period):
    return reports.approved(enterprise, period)


def test_manifest_counts_what_is_there(db, approved_report, media):
    from reporting.models import IndicatorFact, Submission
    from workflow.models import ReviewEvent

    manifest = backup_manifest_build()
    assert manifest["tables"]["submissions"]["count"] == Submission.objects.count() == 1
    assert manifest["tables"]["facts"]["count"] == IndicatorFact.objects.count() > 0
    assert manifest["tables"]["review_events"]["count"] == ReviewEvent.objects.count() > 0
    assert manifest["media"]["count"] == 1
    assert backup_manifest_compare(expected=manifest, actual=backup_manifest_build()) == []


def test_a_changed_fact_a_lost_event_and_a_changed_file_are_each_found(db, approved_report, media):
    from reporting.models import IndicatorFact
    from workflow.models import ReviewEvent

    manifest = backup_manifest_build()
    fact = IndicatorFact.objects.order_by("pk").first()
    fact.value = fact.value + Decimal("0.01")
    fact.save(update_fields=["value"])
    ReviewEvent.objects.order_by("-pk").first().delete()
    (media / "documents" / "notice.pdf").write_bytes(b"%PDF-1.4 changed")

    problems = backup_manifest_compare(expected=manifest, actual=backup_manifest_build())
    assert [p.split(":")[0] for p in problems] == ["facts", "review_events", "media"]


def test_verify_command_fails_loudly_on_a_difference(db, approved_report, media, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "manifest.json"
    call_command("backup_manifest", output=str(path), verbosity=0)
    call_command("backup_verify", str(path))  # the same data: passes
    manifest = json.loads(path.read_text())
    manifest["tables"]["submissions"]["count"] += 1
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="FAILED"):
        call_command("backup_verify", str(path))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump / pg_restore")
def test_pg_dump_and_restore_round_trip_verifies(approved_report, media, tmp_path):
    """The documented procedure on real PostgreSQL: dump, restore into an empty database, verify."""
    if connection.vendor != "postgresql":
        pytest.skip("the round trip runs on PostgreSQL (CI stage 2)")
    params = connection.settings_dict
    manifest = tmp_path / "manifest.json"
    call_command("backup_manifest", output=str(manifest), verbosity=0)
    env = {**os.environ, "PGHOST": params["HOST"] or "localhost", "PGPORT": str(params["PORT"] or 5432),
           "PGUSER": params["USER"] or "postgres", "PGPASSWORD": params["PASSWORD"] or ""}
    dump = tmp_path / "database.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", params["NAME"]], env=env, check=True)
    target = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)], env=env, check=True)
        url = f"postgres://{env['PGUSER']}:{env['PGPASSWORD']}@{env['PGHOST']}:{env['PGPORT']}/{target}"
        result = subprocess.run(
            [sys.executable, "manage.py", "backup_verify", str(manifest)],
            cwd=settings.BASE_DIR, env={**env, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(media)},
            capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "restore verification PASSED" in result.stdout
        assert "submissions=1" in result.stdout
    finally:
        subprocess.run(["dropdb", "--force", target], env=env, check=False)
