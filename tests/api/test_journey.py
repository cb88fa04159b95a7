"""The API end to end: draft → validate → submit → receive (county, city, province, national) → approved,
with tokens of each scope, forbidden cross-region access and idempotent submit."""
import pytest

pytestmark = pytest.mark.django_db


def _path(report_type, enterprise, period, tail=""):
    return f"/reports/{report_type.key}/{enterprise.pk}/{period:%Y-%m}{tail}"


def test_draft_validate_submit_receive_to_approved(filler_api, make_api, admins, reports, report_type, enterprise, period):
    path = _path(report_type, enterprise, period)
    answers = reports.answers(enterprise, period)

    # The enterprise sees its report type and the period, not filled yet.
    types = filler_api.get("/report-types").json()
    assert [t["key"] for t in types] == [report_type.key] and types[0]["version"] >= 1
    periods = filler_api.get(f"/report-types/{report_type.key}/periods?enterprise_id={enterprise.pk}").json()
    assert periods[0]["period"] == f"{period:%Y-%m}" and periods[0]["status"] == "not_filled"
    assert periods[0]["status_label"] == "未填报"

    # Definition and its JSON Schema.
    definition = filler_api.get(f"/definitions/{report_type.definition.key}").json()
    assert definition["answers_schema"]["type"] == "object" and "ind" in definition["answers_schema"]["properties"]

    # Draft (编辑), then validate: no violation.
    saved = filler_api.put(path, {"answers": answers})
    assert saved.status_code == 200, saved.content
    assert saved.json()["report"]["status"] == "editing" and saved.json()["validation"]["can_submit"] is True
    checked = filler_api.post(path + "/validate")
    assert checked.status_code == 200 and checked.json() == {"ok": True, "can_submit": True, "anomalous": False, "issues": []}

    # Submit, twice with the same key: one submission, one event, the same body.
    reports.answer_questionnaire(enterprise, period)
    first = filler_api.post(path + "/submit", headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "pending" and first.json()["holder"] == "sme_haishu"
    assert first.json()["status_label"] == "待审核【sme_haishu】" and first.json()["level_label"] == "已上报至县级"
    again = filler_api.post(path + "/submit", headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.json() == first.json()
    submission_id = first.json()["id"]

    # Up the tree: county → city → province → national (approved).
    for login, next_holder in (("sme_haishu", "sme_ningbo"), ("sme_ningbo", "sme_zhejiang"),
                               ("sme_zhejiang", "sme_admin"), ("sme_admin", None)):
        admin_api = make_api(admins[login])
        listed = admin_api.get("/submissions?status=pending").json()
        assert [row["id"] for row in listed["items"]] == [submission_id]
        received = admin_api.post(f"/submissions/{submission_id}/receive")
        assert received.status_code == 200, received.content
        assert received.json()["holder"] == next_holder
    assert received.json()["status"] == "approved" and received.json()["approved_at"]

    # The audit trail, seen by the enterprise: one submit, four receives.
    events = filler_api.get(path + "/events").json()
    assert [e["action"] for e in events] == ["workflow.submit"] + ["workflow.receive"] * 4
    assert events[0]["actor"] == "com_demo01" and events[0]["action_label"] == "上报"
    assert filler_api.get(path).json()["status_label"] == "审核通过"


def test_return_and_resubmit(filler_api, make_api, admins, reports, report_type, enterprise, period):
    path = _path(report_type, enterprise, period)
    submission = reports.submitted(enterprise, period)
    county = make_api(admins["sme_haishu"])
    refused = county.post(f"/submissions/{submission.pk}/return", {"reason": ""})
    assert refused.status_code == 422
    returned = county.post(f"/submissions/{submission.pk}/return", {"reason": "营业收入有误"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert filler_api.get(path).json()["return_reason"] == "营业收入有误"
    # Receiving a returned report is a conflict.
    assert county.post(f"/submissions/{submission.pk}/receive").json()["code"] == "conflict"
    saved = filler_api.put(path, {"answers": reports.answers(enterprise, period)})
    assert saved.status_code == 200 and saved.json()["report"]["status"] == "returned"
    resubmitted = filler_api.post(path + "/submit", headers={"Idempotency-Key": "again"})
    assert resubmitted.json()["status"] == "pending"


def test_scopes(filler_api, make_api, admins, other_province, reports, report_type, enterprise, period):
    """County and city see their region; another province and another enterprise see nothing (404)."""
    from accounts.models import User

    submission = reports.submitted(enterprise, period)
    other = make_api(User.objects.get(username="com_demo03"))  # 杭州西湖: another enterprise
    jiangsu = make_api(other_province)
    city = make_api(admins["sme_ningbo"])
    county = make_api(admins["sme_haishu"])
    path = _path(report_type, enterprise, period)

    for api in (other, jiangsu):
        for url in (path, path + "/events", f"/submissions/{submission.pk}", f"/submissions/{submission.pk}/events"):
            response = api.get(url)
            assert response.status_code == 404, (url, response.content)
            assert response.json()["code"] == "not_found"
        assert api.post(f"/submissions/{submission.pk}/receive").status_code in (403, 404)
        assert api.put(path, {"answers": {}}).status_code == 404
    # The same answer for an id that does not exist at all: nothing leaks.
    assert jiangsu.get("/submissions/999999").json() == jiangsu.get(f"/submissions/{submission.pk}").json()
    assert jiangsu.get("/submissions").json()["count"] == 0
    assert jiangsu.post(f"/submissions/{submission.pk}/receive").status_code == 404

    # The city sees the report but does not hold it: the workflow refuses (403), nothing moves.
    assert city.get("/submissions").json()["count"] == 1
    held = city.post(f"/submissions/{submission.pk}/receive")
    assert held.status_code == 403 and held.json()["code"] == "forbidden"
    # An administrator cannot fill an enterprise's report.
    assert county.put(path, {"answers": reports.answers(enterprise, period)}).status_code == 403
    # An enterprise is no reviewer.
    assert filler_api.get("/submissions").status_code == 403
    assert filler_api.post(f"/submissions/{submission.pk}/receive").status_code == 403
    submission.refresh_from_db()
    assert submission.holder.user.username == "sme_haishu"
    # Region filter inside the scope.
    assert city.get("/submissions?region=330203").json()["count"] == 1
    assert city.get("/submissions?region=330205").json()["count"] == 0


def test_token_narrowed_to_an_enterprise(make_api, filler, enterprise, report_type, period):
    """A token made for one enterprise reaches only that one."""
    me = make_api(filler, enterprise=enterprise).get("/me").json()
    assert me["kind"] == "enterprise" and [e["id"] for e in me["enterprises"]] == [enterprise.pk]


def test_me_for_an_administrator(make_api, admins):
    me = make_api(admins["sme_ningbo"]).get("/me").json()
    assert me["kind"] == "administrator" and me["region"]["code"] == "330200" and me["enterprises"] == []
    assert me["can_review"] is True
