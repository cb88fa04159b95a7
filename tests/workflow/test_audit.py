"""操作日志: the review events of my region, filtered, over HTTP."""
import re

import pytest
from django.urls import reverse

from workflow.enums import Action
from workflow.services import submission_receive, submission_return

pytestmark = pytest.mark.django_db

AUDIT = reverse("workflow_review:audit")


@pytest.fixture
def history(reports, enterprise, period, admins):
    """com_demo01 (宁波海曙): submitted, received by sme_haishu, returned by sme_ningbo;
    com_demo03 (杭州西湖): submitted."""
    from enterprises.models import Enterprise

    first = reports.submitted(enterprise, period)
    submission_receive(submission=first, actor=admins["sme_haishu"])
    submission_return(submission=first, actor=admins["sme_ningbo"], reason="营业收入与上月差异过大")
    other = reports.submitted(Enterprise.objects.get(filler__username="com_demo03"), period)
    return {"first": first, "other": other}


def events(response):
    return [int(pk) for pk in re.findall(r'<tr data-event="(\d+)"', response.content.decode())]


def test_city_sees_its_events_newest_first_and_not_another_citys(client, admins, history):
    from workflow.models import ReviewEvent

    client.force_login(admins["sme_ningbo"])
    response = client.get(AUDIT)
    assert response.status_code == 200
    mine = list(ReviewEvent.objects.filter(submission=history["first"]).order_by("-created_at", "-pk")
                .values_list("pk", flat=True))
    assert events(response) == mine and len(mine) == 3
    html = response.content.decode()
    assert "营业收入与上月差异过大" in html and "退回" in html
    client.force_login(admins["sme_zhejiang"])
    assert len(events(client.get(AUDIT))) == 4  # the province sees 杭州's submit too


@pytest.mark.parametrize("params, expected_actions", [
    ({"action": Action.RETURN}, [Action.RETURN]),
    ({"actor": "sme_haishu"}, [Action.RECEIVE]),
    ({"q": "不存在的企业"}, []),
])
def test_filters(client, admins, history, params, expected_actions):
    from workflow.models import ReviewEvent

    client.force_login(admins["sme_admin"])
    shown = events(client.get(AUDIT, params))
    assert list(ReviewEvent.objects.filter(pk__in=shown).values_list("action", flat=True)) == expected_actions


def test_enterprise_query_and_dates(client, admins, history):
    client.force_login(admins["sme_admin"])
    name = history["other"].enterprise.name
    assert len(events(client.get(AUDIT, {"q": name}))) == 1
    assert events(client.get(AUDIT, {"date_from": "2000-01-01", "date_to": "2000-01-31"})) == []


def test_a_bad_date_is_named_and_the_list_is_not_filtered_by_it(client, admins, history):
    client.force_login(admins["sme_admin"])
    response = client.get(AUDIT, {"date_from": "2026-13-45"})
    assert response.status_code == 200
    assert "起始日期：请按“年-月-日”格式填写日期" in response.content.decode()
    assert len(events(response)) == 4


def test_enterprise_users_and_anonymous_cannot_read_the_log(client, filler, history):
    assert client.get(AUDIT).status_code == 302  # to the login
    client.force_login(filler)
    assert client.get(AUDIT).status_code in (302, 403)
