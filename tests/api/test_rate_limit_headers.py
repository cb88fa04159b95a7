"""The per-token rate limit (issue 18 §5): API_RATE_LIMIT is read from the environment, every answer
tells the client its quota (RateLimit-Limit / -Remaining / -Reset, IETF draft), 429 says when to retry."""
import runpy

import pytest

pytestmark = pytest.mark.django_db


def test_answers_carry_the_quota_and_the_429_says_when_to_retry(filler_api, settings):
    settings.API_RATE_LIMIT = "3/min"
    answers = [filler_api.get("/me") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Limit"] for a in answers] == ["3", "3", "3"]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert all(1 <= int(a["RateLimit-Reset"]) <= 60 for a in answers)

    limited = filler_api.get("/me")
    assert limited.status_code == 429 and limited.json()["code"] == "throttled"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["RateLimit-Remaining"] == "0" and limited["RateLimit-Limit"] == "3"


def test_errors_of_a_counted_request_carry_the_quota_too(filler_api, settings):
    settings.API_RATE_LIMIT = "10/h"
    missing = filler_api.get("/reports/no_such_type/0/1999-01")
    assert missing.status_code >= 400 and missing["RateLimit-Remaining"] == "9"
    assert 3500 <= int(missing["RateLimit-Reset"]) <= 3600


def test_unauthenticated_requests_have_no_quota_headers(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "RateLimit-Limit" not in response


def _settings_with(monkeypatch, value):
    import config.settings

    monkeypatch.setenv("API_RATE_LIMIT", value)
    return runpy.run_path(config.settings.__file__)


def test_the_limit_is_read_from_the_environment(monkeypatch):
    assert _settings_with(monkeypatch, "7/h")["API_RATE_LIMIT"] == "7/h"
    with pytest.raises(RuntimeError, match="API_RATE_LIMIT"):
        _settings_with(monkeypatch, "lots")
