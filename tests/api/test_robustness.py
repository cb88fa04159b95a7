"""Bad input gets a 4xx with a clear message in the caller's language and changes nothing."""
import json

import pytest

from api.auth import MAX_BODY_BYTES
from reporting.models import Submission
from workflow.models import ReviewEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(report_type, enterprise, period):
    return f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"


def test_without_token_or_with_a_wrong_one(client, filler_api, path):
    from tests.api.conftest import Api

    for secret in (None, "smep_wrong", "x" * 500):
        response = Api(client, secret).get("/report-types")
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert "令牌" in response.json()["message"]
    assert client.get("/api/v1/report-types", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_revoked_token_stops_at_once(filler_api, filler):
    from api.services import token_revoke

    assert filler_api.get("/me").status_code == 200
    token_revoke(token=filler_api.token, actor=filler)
    assert filler_api.get("/me").status_code == 401


def test_inactive_user_token_stops(filler_api, filler):
    filler.is_active = False
    filler.save(update_fields=["is_active"])
    assert filler_api.get("/me").status_code == 401


def test_last_used_is_recorded(filler_api):
    filler_api.token.refresh_from_db()
    assert filler_api.token.last_used_at is None
    filler_api.get("/me")
    filler_api.token.refresh_from_db()
    assert filler_api.token.last_used_at is not None


def test_nul_bytes_are_refused(filler_api, reports, enterprise, period, path):
    answers = reports.answers(enterprise, period)
    answers["address"] = "示范路\x001号"
    response = filler_api.put(path, {"answers": answers})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "answers"]
    assert "NUL" in response.json()["message"]
    response = filler_api.put(path, {"answers": reports.answers(enterprise, period), "explanation": "a\x00b"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == ["body", "explanation"]
    response = filler_api.get("/submissions?enterprise=a%00b")
    assert response.status_code in (403, 422)
    assert filler_api.get("/report-types/a%00b/periods?enterprise_id=1").status_code == 422
    assert not Submission.objects.exists()


def test_invalid_json_nan_and_lone_surrogates(filler_api, path):
    response = filler_api.put(path, raw="{not json")
    assert response.status_code == 400 and response.json()["message"] == "请求内容不是有效的 JSON。"
    response = filler_api.put(path, raw='{"answers": {"x": NaN}}')
    assert response.status_code == 400 and "NaN" in response.json()["message"]
    response = filler_api.put(path, raw='{"answers": {"x": "\\ud800"}}')
    assert response.status_code == 422
    response = filler_api.put(path, raw='{"answers": {"x": 1e400}}')
    assert response.status_code == 422
    assert not Submission.objects.exists()


def test_huge_payload_is_413(filler_api, path):
    body = json.dumps({"answers": {"address": "x" * (MAX_BODY_BYTES + 10)}})
    response = filler_api.put(path, raw=body)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert "1024 KB" in response.json()["message"]


def test_wrong_types_name_the_field(filler_api, reports, enterprise, period, path):
    response = filler_api.put(path, {"answers": []})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"loc": ["body", "answers"], "message": "请发送一个 JSON 对象。", "type": "dict_type"}]
    response = filler_api.put(path, {})
    assert response.json()["errors"][0]["message"] == "此项为必填项。"
    # Wrong types inside the answers: the form's own JSON Schema says which field.
    answers = reports.answers(enterprise, period)
    answers["ind"]["revenue"]["month"] = "lots"
    answers["employees_last_year"] = -5
    response = filler_api.put(path, {"answers": answers})
    assert response.status_code == 422 and response.json()["code"] == "refused"
    fields = {f for issue in response.json()["issues"] for f in issue["fields"]}
    assert {"ind.revenue.month", "employees_last_year"} <= fields
    assert all(issue["severity"] == "error" for issue in response.json()["issues"])
    assert not Submission.objects.exists()
    # Path and query types.
    assert filler_api.get(f"/reports/nope/{enterprise.pk}/2026-13").status_code == 422
    assert filler_api.get(f"/reports/nope/abc/{period:%Y-%m}").json()["errors"][0]["loc"] == ["path", "enterprise_id"]
    assert filler_api.get(f"/reports/{'k' * 10}/{enterprise.pk}/{period:%Y-%m}").status_code == 404


def test_messages_follow_accept_language(make_api, filler, path):
    english = make_api(filler, language="en")
    response = english.put(path, {"answers": []})
    assert response.json()["errors"][0]["message"] == "Send a JSON object."
    assert english.get("/submissions").json()["message"] == (
        "Only administrators with the report review permission can do this.")


def test_rate_limit_per_token(settings, make_api, filler):
    settings.API_RATE_LIMIT = "3/min"
    first, second = make_api(filler), make_api(filler)
    assert [first.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    limited = first.get("/me")
    assert limited.status_code == 429 and limited.json()["code"] == "throttled" and int(limited["Retry-After"]) >= 1
    assert second.get("/me").status_code == 200  # per token, not per user or address


def test_blocking_errors_and_severe_warnings(filler_api, reports, enterprise, period, path):
    """Validate returns every violation with severity and fields; a draft with blocking errors is not saved."""
    answers = reports.answers(enterprise, period)
    del answers["ind"]["revenue"]["month"]
    checked = filler_api.post(path + "/validate", {"answers": answers})
    assert checked.status_code == 200
    body = checked.json()
    assert body["ok"] is False and body["can_submit"] is False
    assert any(i["severity"] == "error" and "ind.revenue.month" in i["fields"] for i in body["issues"])
    assert filler_api.put(path, {"answers": answers}).status_code == 422
    assert filler_api.post(path + "/validate").json()["code"] == "conflict"  # nothing saved
    assert filler_api.post(path + "/submit", headers={"Idempotency-Key": "x"}).status_code == 409
    assert not ReviewEvent.objects.exists()


def test_submit_needs_an_idempotency_key(filler_api, reports, enterprise, period, path):
    reports.save(enterprise, period)
    response = filler_api.post(path + "/submit")
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][0] == "header"
    # A key used for another operation is refused.
    reports.answer_questionnaire(enterprise, period)
    assert filler_api.post(path + "/submit", headers={"Idempotency-Key": "same"}).status_code == 200
    other = filler_api.post(path.replace(f"{period:%Y-%m}", "2001-01") + "/submit", headers={"Idempotency-Key": "same"})
    assert other.status_code == 422
    assert ReviewEvent.objects.count() == 1


def test_withdraw_then_resubmit(filler_api, reports, enterprise, period, path):
    reports.submitted(enterprise, period)
    withdrawn = filler_api.post(path + "/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "editing"
    assert filler_api.post(path + "/withdraw").status_code == 409
    assert filler_api.post(path + "/submit", headers={"Idempotency-Key": "r"}).json()["status"] == "pending"


def test_refused_submit_then_retry_with_the_same_key(filler_api, reports, enterprise, period, path):
    """A refused submit is not remembered: fix the problem and retry with the same key."""
    reports.save(enterprise, period)
    refused = filler_api.post(path + "/submit", headers={"Idempotency-Key": "one"})
    assert refused.status_code == 422 and "问卷" in refused.json()["message"]
    reports.answer_questionnaire(enterprise, period)
    assert filler_api.post(path + "/submit", headers={"Idempotency-Key": "one"}).json()["status"] == "pending"
