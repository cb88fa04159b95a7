"""Health, readiness, metrics and request-id logging (issue #10, observability)."""
import json
import logging

import pytest

from config.logging import JsonFormatter, RequestIdFilter, request_id_new
from tests.reporting.conftest import admins, enterprise, filler, monthly_setup, period, report_type, reports  # noqa


def test_healthz_and_readyz_answer_when_everything_is_up(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "migrations": "ok", "static": "ok", "cache": "ok",
                               "broker": "eager"}


def test_readyz_reports_a_failing_cache_but_stays_ready(client, db, settings):
    # A cache server nobody listens on: reported, but the portal works without it (see deploy/README.md).
    settings.CACHES = {"default": {"BACKEND": "ops.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["cache"].startswith("error")


def test_readyz_is_503_while_migrations_are_pending(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("reporting", "9999_future")])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() | {"status": "not ready", "migrations": "pending: 1"} == response.json()


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client, db):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    # Header injection or absurd ids are replaced, not echoed.
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nSet-Cookie: x")["X-Request-ID"] != "bad id\r\nSet-Cookie: x"


def test_log_lines_are_json_with_the_request_id():
    from config.logging import request_id_var

    record = logging.LogRecord("reporting", logging.WARNING, __file__, 1, "submission %s refused", (7,), None)
    record.enterprise = "com_demo01"
    token = request_id_var.set(request_id_new("abcd1234efgh"))
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "abcd1234efgh"
    assert entry["message"] == "submission 7 refused"
    assert entry["level"] == "WARNING" and entry["logger"] == "reporting"
    assert entry["enterprise"] == "com_demo01"


def test_metrics_expose_latency_and_submissions_by_status(client, reports, enterprise, period):
    from reporting.enums import SubmissionStatus

    reports.submitted(enterprise, period)
    client.get("/healthz")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    lines = {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines() if line.startswith("sme_submissions{")}
    assert lines == {f'sme_submissions{{status="{status}"}}': float(status == SubmissionStatus.PENDING)
                     for status in SubmissionStatus.values}
    assert "sme_celery_queue_length 0.0" in text


@pytest.mark.parametrize("address", ["10.1.2.3", "203.0.113.9"])
def test_metrics_are_hidden_from_other_addresses(client, db, address):
    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 404
