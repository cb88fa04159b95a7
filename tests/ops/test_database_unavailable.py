"""PostgreSQL gone during a save: a clear 503 in Chinese, nothing half-written, the draft kept.

The outage is injected at the database edge with `connection.execute_wrapper` (every statement, or
the first write of the facts, raises OperationalError as psycopg does when the server restarts).
"""
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from formdefs.models import WizardDraft
from ops.middleware import DatabaseUnavailableMiddleware
from reporting.models import IndicatorFact, Submission
from tests.reporting.test_views import management, step_data

pytestmark = pytest.mark.django_db


class Outage:
    """execute_wrapper: raise for every statement matching `when` (all of them by default)."""

    def __init__(self, when=lambda sql: True, error=OperationalError):
        self.when, self.error, self.hits = when, error, 0

    def __call__(self, execute, sql, params, many, context):
        if self.when(sql):
            self.hits += 1
            raise self.error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def test_a_save_that_loses_the_database_answers_503_and_keeps_the_saved_report_and_draft(web, reports, enterprise, period):
    saved = reports.save(enterprise, period)  # the report saved earlier (编辑)
    changed = reports.answers(enterprise, period)
    changed["ind"]["revenue"]["month"] = changed["ind"]["revenue"]["month"] + 1000
    url = reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])
    response = web.get(url)
    for step in ("basic", "indicators"):
        name, current = management(response)
        response = web.post(url, {name: current, **step_data(changed, current), "wizard_action": "next"})
        assert response.status_code == 200
    draft = WizardDraft.objects.get(user=enterprise.filler)
    name, current = management(response)
    assert current == "product_step"
    # Each valid step was saved to the report as the filler went (issue 22 §1).
    saved.refresh_from_db()
    assert saved.answers["ind"]["revenue"]["month"] == changed["ind"]["revenue"]["month"]
    facts_before = sorted(IndicatorFact.objects.filter(submission=saved).values_list("field", "row", "column", "value"))

    # The last step saves the report; the database goes away while its facts are written.
    outage = Outage(when=lambda sql: sql.lstrip().upper().startswith("INSERT") and "indicatorfact" in sql.lower())
    with connection.execute_wrapper(outage):
        response = web.post(url, {name: current, **step_data(changed, current), "wizard_action": "next"})
    assert outage.hits == 1
    assert response.status_code == 503 and response["Retry-After"] == "30"
    page = response.content.decode()
    assert "数据库暂时不可用" in page and "您刚才的修改没有保存，请稍后重试" in page
    assert "之前保存的内容" in page
    # Nothing half-written: the submission and its facts are those saved before.
    saved.refresh_from_db()
    assert saved.answers["ind"]["revenue"]["month"] == changed["ind"]["revenue"]["month"]
    assert sorted(IndicatorFact.objects.filter(submission=saved).values_list("field", "row", "column", "value")) == facts_before
    assert Submission.objects.count() == 1 and saved.status == "editing"
    # The wizard's draft (the steps saved before) is still there, unchanged.
    assert WizardDraft.objects.get(pk=draft.pk).data == draft.data
    # Once the database is back the same post goes through.
    response = web.post(url, {name: current, **step_data(changed, current), "wizard_action": "next"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.answers["ind"]["revenue"]["month"] == changed["ind"]["revenue"]["month"]


def test_a_read_without_database_answers_503_without_claiming_a_lost_change(web):
    with connection.execute_wrapper(Outage()):
        response = web.get(reverse("reporting:history"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "数据库暂时不可用" in page and "请稍后重试" in page and "没有保存" not in page


def test_api_and_json_clients_get_json(web):
    with connection.execute_wrapper(Outage(error=InterfaceError)):
        response = web.get(reverse("reporting:history"), HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert "数据库暂时不可用" in response.json()["detail"]


def test_other_errors_are_left_to_django():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = RequestFactory().post("/")
    assert middleware.process_exception(request, ValueError("bug")) is None
    assert middleware.process_exception(request, OperationalError("gone")).status_code == 503
