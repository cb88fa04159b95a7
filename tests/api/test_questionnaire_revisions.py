"""Questionnaire answers through the API refuse stale writes with 409 and the current revision (issue 22 §3),
as reports do; two first PUTs of an unanswered month at once never end in a 500."""
import random

import pytest
from django.test import Client

from formdefs.selectors import version_current
from reporting.demo import questionnaire_answers
from survey_builder.models import QuestionnaireResponse
from tests.reporting.race import needs_server_database, race

from .conftest import Api

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"


@pytest.fixture
def builtin(monthly_setup):
    return monthly_setup[1]


@pytest.fixture
def query(enterprise, period):
    return f"?enterprise_id={enterprise.pk}&period={period:%Y-%m}"


@pytest.fixture
def answers(builtin):
    """Two different complete answer sets of the monthly questionnaire."""
    version = version_current(key=builtin.definition.key)
    first, second = questionnaire_answers(version, random.Random(1)), questionnaire_answers(version, random.Random(2))
    assert first != second
    return first, second


def test_get_and_put_return_the_revision(filler_api, builtin, query, answers):
    listed = filler_api.get("/questionnaires" + query).json()
    assert [row["revision"] for row in listed if row["id"] == builtin.pk] == [0]
    assert filler_api.get(f"/questionnaires/{builtin.pk}" + query).json()["revision"] == 0
    path = f"/questionnaires/{builtin.pk}/answers" + query
    created = filler_api.put(path, {"answers": answers[0]})
    assert created.status_code == 200, created.content
    assert created.json()["response"]["revision"] == 1
    assert filler_api.put(path, {"answers": answers[1]}).json()["response"]["revision"] == 2  # no revision: stored over
    assert filler_api.get(path).json()["revision"] == 2
    assert filler_api.get(f"/questionnaires/{builtin.pk}" + query).json()["revision"] == 2


def test_two_puts_with_the_same_revision_the_second_is_409_with_the_current_revision(filler_api, reports, enterprise, period,
                                                                                     builtin, query, answers):
    path = f"/questionnaires/{builtin.pk}/answers" + query
    assert filler_api.put(path, {"answers": answers[0], "revision": 0}).status_code == 200
    read = filler_api.get(path).json()["revision"]

    first = filler_api.put(path, {"answers": answers[1], "revision": read})
    assert first.status_code == 200 and first.json()["response"]["revision"] == read + 1
    second = filler_api.put(path, {"answers": answers[0], "revision": read})
    assert second.status_code == 409, second.content
    body = second.json()
    assert body["code"] == "stale" and body["revision"] == read + 1 and STALE in body["message"]

    stored = QuestionnaireResponse.objects.get()
    assert (stored.revision, stored.answers) == (read + 1, first.json()["response"]["answers"])
    retried = filler_api.put(path, {"answers": answers[0], "revision": body["revision"]})
    assert retried.status_code == 200 and retried.json()["response"]["revision"] == read + 2

    # A closed month stays a conflict, whatever the revision: the report was submitted (待审核).
    reports.submitted(enterprise, period)
    closed = filler_api.put(path, {"answers": answers[1], "revision": filler_api.get(path).json()["revision"]})
    assert closed.status_code == 409 and closed.json()["code"] == "conflict"


def test_revision_zero_means_the_client_expects_no_answers(filler_api, reports, enterprise, period, builtin, query, answers):
    reports.answer_questionnaire(enterprise, period)  # e.g. the clerk answered in the portal meanwhile
    refused = filler_api.put(f"/questionnaires/{builtin.pk}/answers" + query, {"answers": answers[1], "revision": 0},
                             headers={"Accept-Language": "en"})
    assert refused.status_code == 409 and refused.json()["code"] == "stale" and refused.json()["revision"] == 1
    assert "another window" in refused.json()["message"]
    assert QuestionnaireResponse.objects.get().revision == 1


def test_a_stale_revision_is_refused_before_the_answers_are_checked(filler_api, builtin, query):
    refused = filler_api.put(f"/questionnaires/{builtin.pk}/answers" + query, {"answers": {}, "revision": 3})
    assert refused.status_code == 409 and refused.json()["code"] == "stale" and refused.json()["revision"] == 0
    assert not QuestionnaireResponse.objects.exists()


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_first_puts_at_once_make_one_response_and_no_500(make_api, filler, builtin, query, answers):
    secret_api = make_api(filler)
    path = f"/questionnaires/{builtin.pk}/answers" + query
    secret_api.get("/questionnaires" + query)  # the token's last use is written now, so neither racer waits on it

    def put():
        return Api(Client(raise_request_exception=False), secret_api.secret).put(path, {"answers": answers[0], "revision": 0})

    winner, loser = race(put, put)
    assert winner.status_code == 200, winner.content
    assert loser.status_code == 409 and loser.json()["code"] == "stale" and loser.json()["revision"] == 1, loser.content
    assert QuestionnaireResponse.objects.get().revision == 1
