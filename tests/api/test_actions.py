"""The API's `actions`: what the token's user may do with a report now, from the same selector as the
review page's buttons and the portal's 撤销 (workflow.actions.available_actions), at each step."""
import pytest

from workflow.actions import available_actions

pytestmark = pytest.mark.django_db


def _path(report_type, enterprise, period):
    return f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}"


def test_actions_follow_the_report_through_review(filler_api, make_api, admins, reports, report_type, enterprise, period):
    path = _path(report_type, enterprise, period)
    saved = filler_api.put(path, {"answers": reports.answers(enterprise, period)}).json()["report"]
    assert saved["status"] == "editing" and saved["actions"] == ["submit"]
    reports.answer_questionnaire(enterprise, period)
    submitted = filler_api.post(path + "/submit", headers={"Idempotency-Key": "k-1"}).json()
    assert submitted["actions"] == ["withdraw"]  # no reviewer has acted yet
    county, city = make_api(admins["sme_haishu"]), make_api(admins["sme_ningbo"])
    at_county = county.get(f"/submissions/{submitted['id']}").json()
    assert {"receive", "return"} <= set(at_county["actions"]) and "withdraw" not in at_county["actions"]
    # The city may return it before anyone received it, but only the holder receives.
    at_city = city.get(f"/submissions/{submitted['id']}").json()
    assert "return" in at_city["actions"] and "receive" not in at_city["actions"]

    received = county.post(f"/submissions/{submitted['id']}/receive", headers={"Idempotency-Key": "r-1"}).json()
    assert received["holder"] == "sme_ningbo" and "receive" not in received["actions"]
    assert filler_api.get(path).json()["actions"] == []  # a reviewer acted: no more 撤销
    now_city = city.get(f"/submissions/{submitted['id']}").json()
    assert {"receive", "return"} <= set(now_city["actions"])
    returned = city.post(f"/submissions/{submitted['id']}/return", {"reason": "营业收入偏高，请核实"},
                         headers={"Idempotency-Key": "t-1"}).json()
    assert returned["status"] == "returned" and returned["actions"] == []
    assert filler_api.get(path).json()["actions"] == ["submit"]


def test_actions_equal_the_selector_for_every_user(filler_api, make_api, admins, reports, report_type, enterprise, period):
    """One rule: for each user the API lists exactly what the web pages would offer."""
    from reporting.models import Submission

    path = _path(report_type, enterprise, period)
    filler_api.put(path, {"answers": reports.answers(enterprise, period)})
    reports.answer_questionnaire(enterprise, period)
    pk = filler_api.post(path + "/submit", headers={"Idempotency-Key": "k-1"}).json()["id"]
    submission = Submission.objects.get(pk=pk)
    for login in ("sme_haishu", "sme_ningbo", "sme_zhejiang", "sme_admin"):
        listed = make_api(admins[login]).get(f"/submissions/{pk}").json()["actions"]
        expected = sorted(a.name.lower() for a in available_actions(submission, admins[login]))
        assert listed == expected, login


def test_a_return_flags_cells_an_unknown_cell_is_a_400_naming_it(make_api, admins, reports, enterprise, period):
    """`flagged_fields` on 退回: checked by the workflow service, stored on the event, shown on the report."""
    submission = reports.submitted(enterprise, period)
    county = make_api(admins["sme_haishu"])
    url = f"/submissions/{submission.pk}/return"
    refused = county.post(url, {"reason": "请核实", "flagged_fields": ["ind.revenue.month", "ind.nosuch.month"]})
    assert refused.status_code == 400, refused.content
    body = refused.json()
    assert body["code"] == "bad_request" and body["message"] == "以下单元格不在本报表中，不能标记：ind.nosuch.month。"
    assert body["errors"][0]["loc"] == ["body", "flagged_fields"]
    assert county.get(f"/submissions/{submission.pk}").json()["status"] == "pending"  # nothing changed

    returned = county.post(url, {"reason": "营业收入请核实", "flagged_fields": ["ind.revenue.month"]}).json()
    assert returned["status"] == "returned" and returned["flagged_fields"] == ["ind.revenue.month"]
    assert county.get(f"/submissions/{submission.pk}").json()["flagged_fields"] == ["ind.revenue.month"]
    events = county.get(f"/submissions/{submission.pk}/events").json()
    assert events[-1]["action"] == "workflow.return" and events[-1]["flagged_fields"] == ["ind.revenue.month"]
