"""Stale writes through the API are refused with 409 and the current revision (issue 22 §3); two first
PUTs of an empty period at once never end in a 500."""
import pytest
from django.test import Client

from reporting.models import Submission
from tests.reporting.race import needs_server_database, race

from .conftest import Api

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"


@pytest.fixture
def path(report_type, enterprise, period):
    return f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"


def test_get_and_put_return_the_revision(filler_api, reports, enterprise, period, path):
    answers = reports.answers(enterprise, period)
    created = filler_api.put(path, {"answers": answers})
    assert created.status_code == 200 and created.json()["report"]["revision"] == 1
    assert filler_api.put(path, {"answers": answers}).json()["report"]["revision"] == 2  # no revision: saved over
    assert filler_api.get(path).json()["revision"] == 2


def test_two_puts_with_the_same_revision_the_second_is_409_with_the_current_revision(filler_api, reports, enterprise, period, path):
    answers = reports.answers(enterprise, period)
    assert filler_api.put(path, {"answers": answers, "revision": 0}).status_code == 200
    read = filler_api.get(path).json()["revision"]

    first = filler_api.put(path, {"answers": {**answers, "address": "第一个系统路1号"}, "revision": read})
    assert first.status_code == 200 and first.json()["report"]["revision"] == read + 1
    second = filler_api.put(path, {"answers": {**answers, "address": "第二个系统路2号"}, "revision": read})
    assert second.status_code == 409, second.content
    body = second.json()
    assert body["code"] == "stale" and body["revision"] == read + 1 and STALE in body["message"]

    saved = Submission.objects.get()
    assert (saved.revision, saved.answers["address"]) == (read + 1, "第一个系统路1号")
    retried = filler_api.put(path, {"answers": {**answers, "address": "第二个系统路2号"}, "revision": body["revision"]})
    assert retried.status_code == 200 and retried.json()["report"]["answers"]["address"] == "第二个系统路2号"


def test_revision_zero_means_the_client_expects_no_report(filler_api, reports, enterprise, period, path):
    reports.save(enterprise, period)  # e.g. the clerk finished the wizard meanwhile
    refused = filler_api.put(path, {"answers": reports.answers(enterprise, period), "revision": 0})
    assert refused.status_code == 409 and refused.json()["revision"] == 1
    assert Submission.objects.get().revision == 1


def test_a_stale_revision_is_refused_before_the_answers_are_checked(filler_api, reports, enterprise, period, path):
    reports.save(enterprise, period)
    refused = filler_api.put(path, {"answers": {}, "revision": 5}, headers={"Accept-Language": "en"})
    assert refused.status_code == 409 and refused.json()["code"] == "stale" and refused.json()["revision"] == 1
    assert "another window" in refused.json()["message"]


def test_a_submitted_report_is_still_a_conflict_not_stale(filler_api, reports, enterprise, period, path):
    reports.submitted(enterprise, period)
    refused = filler_api.put(path, {"answers": reports.answers(enterprise, period), "revision": 1})
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"


@needs_server_database
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("revision", [None, 0])
def test_two_first_puts_at_once_make_one_report_and_no_500(make_api, filler, reports, enterprise, period, path, revision):
    secret_api = make_api(filler)
    secret_api.get(path)  # the token's last use is written now, so neither racer waits on the token's row
    answers = reports.answers(enterprise, period)
    body = {"answers": answers} if revision is None else {"answers": answers, "revision": revision}

    def put():
        return Api(Client(raise_request_exception=False), secret_api.secret).put(path, body)

    winner, loser = race(put, put)
    assert winner.status_code == 200, winner.content
    assert loser.status_code == (200 if revision is None else 409), loser.content
    assert Submission.objects.count() == 1
    saved = Submission.objects.get()
    if revision is None:
        assert loser.json()["report"]["revision"] == saved.revision == 2
    else:
        assert loser.json()["code"] == "stale" and loser.json()["revision"] == saved.revision == 1
