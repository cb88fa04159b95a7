"""The generic wizard when a step is left (issue 22): a step left with errors stays in the draft marked
unsaved, the browser's `check` action says whether a step would be kept, and the last button and the
message after it say what happened (上报 only where `submit` hands the answers over)."""
import re

import pytest
from django.urls import reverse

from accounts.models import User
from formdefs.models import WizardDraft
from tests.formdefs.test_views import basic_data, grid_data, management

pytestmark = pytest.mark.django_db

DEMO = reverse("formdefs:demo", args=["sme_monthly_report"]) + "?period=2026-01"


@pytest.fixture
def client_demo(client, demo, published):
    client.force_login(User.objects.get(username="com_demo01"))
    return client


def to_indicators(client):
    name, _step = management(client.get(DEMO))
    response = client.post(DEMO, {name: "basic", **basic_data(), "wizard_action": "next"})
    assert management(response)[1] == "indicators"
    return name


def draft_extra():
    return WizardDraft.objects.get().data["extra_data"]


def test_the_check_action_says_whether_the_step_would_be_kept_and_stores_nothing(client_demo):
    name = to_indicators(client_demo)
    before = WizardDraft.objects.get().data
    bad = {**grid_data(), "ind__revenue__month": "-5"}
    assert client_demo.post(DEMO, {name: "indicators", **bad, "wizard_action": "check"}).json() == {"valid": False}
    assert client_demo.post(DEMO, {name: "indicators", **grid_data(), "wizard_action": "check"}).json() == {"valid": True}
    assert WizardDraft.objects.get().data == before


def test_a_tab_left_with_errors_keeps_the_typed_values_marked_unsaved_until_saved(client_demo, published):
    from formdefs.selectors import wizard_draft_unsaved_steps

    name = to_indicators(client_demo)
    bad = {**grid_data(), "ind__revenue__month": "-5"}
    response = client_demo.post(DEMO, {name: "indicators", **bad, "wizard_goto_step": "basic"})
    assert management(response)[1] == "basic"
    assert draft_extra()["unsaved"] == ["indicators"]
    user = User.objects.get(username="com_demo01")
    draft = WizardDraft.objects.get()
    assert wizard_draft_unsaved_steps(user=user, key=draft.key, version=published["sme_monthly_report"]) == [
        {"id": "indicators", "title": "经济指标"}]
    # Opened again (here by ?step=), the step shows what was typed, with its error, and the page knows.
    html = client_demo.get(DEMO + "&step=indicators").content.decode()
    assert re.search(r'name="ind__revenue__month" value="-5"', html) and 'data-fd-unsaved="1"' in html
    # 保存 with the error corrected: no longer unsaved.
    response = client_demo.post(DEMO, {name: "indicators", **grid_data(), "wizard_action": "save"})
    assert 'data-fd-unsaved=""' in response.content.decode()
    assert draft_extra()["unsaved"] == []
    assert wizard_draft_unsaved_steps(user=user, key=draft.key, version=published["sme_monthly_report"]) == []


def test_a_valid_step_left_by_a_tab_is_kept_unmarked_and_an_owner_that_submits_still_says_so(client_demo):
    name = to_indicators(client_demo)
    response = client_demo.post(DEMO, {name: "indicators", **grid_data(), "wizard_goto_step": "basic"})
    assert management(response)[1] == "basic" and 'data-fd-unsaved=""' in response.content.decode()
    extra = draft_extra()
    assert extra.get("unsaved", []) == []
    assert extra["answers"]["indicators"]["ind"]["revenue"]["month"] == 100.0
    # This owner's `submit` hands the answers over: its last step says 上报, and the message 已上报.
    response = client_demo.post(DEMO, {name: "basic", **basic_data(), "wizard_action": "next"})
    response = client_demo.post(DEMO, {name: "indicators", **grid_data(), "wizard_action": "next"})
    assert management(response)[1] == "product_step"
    html = response.content.decode()
    assert re.findall(r'name="wizard_action" value="next"[^>]*>([^<]*)<', html) == ["上报"]
    assert "wizard_goto_page" not in html  # no later pages for this owner
    response = client_demo.post(DEMO, {name: "product_step", "wizard_action": "next"}, follow=True)
    assert "已上报。" in response.content.decode()


def test_the_preview_does_not_claim_a_submission(client, demo, published):
    client.force_login(User.objects.get(username="sme_admin"))
    version = published["sme_business_climate"]
    url = reverse("formdefs:preview", args=[version.pk])
    response = client.get(url)
    name, step = management(response)
    data = {name: step, "wizard_action": "next"}
    for s in version.document["steps"]:
        for section in s["sections"]:
            for field in section["fields"]:
                if field["type"] == "choice":
                    data[field["id"]] = field["options"][0]["value"]
    response = client.post(url, data, follow=True)
    body = response.content.decode()
    assert "预览结束，未上报任何数据。" in body and "已上报" not in body
