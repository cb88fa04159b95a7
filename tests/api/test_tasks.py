"""填报任务 through the API: list, save, severe warnings explained one by one at submit, cancel, resubmit,
and the county's receive — the same services as the portal's task pages."""
import pytest

from tests.filing.conftest import period, soft, software_type, task_factory  # noqa: F401
from tests.filing.test_services import SEVERE_ANSWERS
from tests.filing.test_software_definition import software_answers

pytestmark = pytest.mark.django_db


def test_task_journey(make_api, admins, soft, task_factory):
    task = task_factory("sme_zhejiang")
    api = make_api(soft.filler)
    query = f"?enterprise_id={soft.pk}"

    listed = api.get("/tasks" + query).json()
    assert [t["id"] for t in listed] == [task.pk]
    assert listed[0]["status"] == "not_filled" and listed[0]["status_label"] == "未填报" and listed[0]["can_fill"]
    assert api.get(f"/tasks{query}&status=pending").json() == []
    assert api.get(f"/tasks{query}&name=nothing-like-it").json() == []

    # A draft with two severe warnings: saved, and listed with their rule codes.
    saved = api.put(f"/tasks/{task.pk}/report{query}", {"answers": software_answers(**SEVERE_ANSWERS)})
    assert saved.status_code == 200, saved.content
    severe = {i["code"] for i in saved.json()["validation"]["issues"] if i["severity"] == "severe"}
    assert len(severe) == 2 and saved.json()["validation"]["can_submit"] is False

    # Submit without explanations: refused (422) listing the unexplained ones; nothing moves.
    refused = api.post(f"/tasks/{task.pk}/report/submit{query}", headers={"Idempotency-Key": "t1"})
    assert refused.status_code == 422 and {i["code"] for i in refused.json()["issues"]} == severe
    # With an explanation each: 已上报至县级.
    body = {"explanations": {code: "本月有大额一次性收入" for code in severe}}
    submitted = api.post(f"/tasks/{task.pk}/report/submit{query}", body, headers={"Idempotency-Key": "t1"})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "pending" and "本月有大额一次性收入" in submitted.json()["explanation"]
    assert api.get(f"/tasks/{task.pk}{query}").json()["status_label"] == "已上报至县级"

    # 取消上报, then resubmit.
    cancelled = api.post(f"/tasks/{task.pk}/report/cancel{query}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "editing"
    again = api.post(f"/tasks/{task.pk}/report/submit{query}", body, headers={"Idempotency-Key": "t2"})
    assert again.json()["status"] == "pending"

    # The county receives through the review endpoints: 已上报至市级; cancelling is no longer possible.
    county = make_api(admins["sme_haishu"])
    assert county.post(f"/submissions/{again.json()['id']}/receive").json()["holder"] == "sme_ningbo"
    assert api.get(f"/tasks/{task.pk}{query}").json()["status_label"] == "已上报至市级"
    assert api.post(f"/tasks/{task.pk}/report/cancel{query}").status_code == 409
    events = api.get(f"/tasks/{task.pk}/report/events{query}").json()
    assert [e["action"] for e in events] == ["workflow.submit", "workflow.withdraw", "workflow.submit", "workflow.receive"]


def test_tasks_out_of_reach(make_api, admins, soft, task_factory, demo_core):
    """A task of another region, another enterprise's tasks, a closed task: 404 / refused."""
    from accounts.models import User
    from filing.services import filing_task_close

    task = task_factory("sme_zhejiang")
    other = make_api(User.objects.get(username="com_demo01"))  # not a software enterprise
    assert other.get(f"/tasks?enterprise_id={soft.pk}").status_code == 404
    own = other.token.user.filled_enterprises.get()
    assert other.get(f"/tasks/{task.pk}?enterprise_id={own.pk}").status_code == 404
    api = make_api(soft.filler)
    filing_task_close(task=task, actor=admins["sme_zhejiang"])
    closed = api.put(f"/tasks/{task.pk}/report?enterprise_id={soft.pk}", {"answers": software_answers()})
    assert closed.status_code == 422 and closed.json()["code"] == "refused"


def test_task_report_puts_carry_the_revision_and_a_stale_one_is_409(make_api, soft, task_factory):
    """Two clients read the same task report; the second PUT with the old revision is refused (409 stale,
    with the current revision) and the stored answers stay the first's."""
    task = task_factory("sme_zhejiang")
    api = make_api(soft.filler)
    url = f"/tasks/{task.pk}/report?enterprise_id={soft.pk}"

    first = api.put(url, {"answers": software_answers(), "revision": 0})
    assert first.status_code == 200, first.content
    revision = first.json()["report"]["revision"]
    assert api.get(url).json()["revision"] == revision

    fresh = api.put(url, {"answers": software_answers(**SEVERE_ANSWERS), "revision": revision})
    assert fresh.status_code == 200, fresh.content
    stale = api.put(url, {"answers": software_answers(), "revision": revision})
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert body["code"] == "stale" and body["revision"] == fresh.json()["report"]["revision"]
    assert api.get(url).json()["answers"] == fresh.json()["report"]["answers"]
    # Without a revision the client is not checked (as for reports).
    assert api.put(url, {"answers": software_answers()}).status_code == 200
