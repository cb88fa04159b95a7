"""The wizard over HTTP: steps, save, next with warnings, back, tabs, drafts, final submit, preview."""
import re

import pytest
from django.urls import reverse

from formdefs.models import FormAnswer, WizardDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_demo(client, demo, published):
    from accounts.models import User

    client.force_login(User.objects.get(username="com_demo01"))
    return client


def step_post(client, url, step, data, action="next"):
    payload = {"csrfmiddlewaretoken": "x", "formdefs_demo_wizard-current_step": step}
    payload = {k: v for k, v in payload.items() if k != "csrfmiddlewaretoken"}
    payload.update(data)
    if action:
        payload["wizard_action"] = action
    return client.post(url, payload)


def management(response):
    match = re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode())
    return match.group(1), match.group(2)


def basic_data():
    return {
        "name": "宁波海曙示范机械有限公司", "credit_code": "91330203MA2AAAAA1X", "legal_representative": "张三",
        "industry": "C3435", "region": "330203", "registration_type": "173", "holding_type": "3", "size": "small",
        "is_listed": "false", "address": "示范路1号", "postcode": "315000", "contact": "李四", "phone": "0574-88888888",
        "provincial_specialized": "false", "national_little_giant": "true", "revenue_last_year": "5200",
        "profit_last_year": "300", "employees_last_year": "180", "rd_staff_last_year": "18", "rd_funds_last_year": "260",
    }


def grid_data(month=1, quarter=False):
    rows = ["revenue", "cost", "receivables", "profit", "employees", "gross_output", "electricity"]
    data = {}
    for row in rows:
        for col, value in (("month", "100"), ("ytd", "100"), ("ly_month", "90"), ("ly_ytd", "90")):
            data[f"ind__{row}__{col}"] = value
    return data


def test_wizard_walks_all_steps_and_submits(client_demo):
    url = reverse("formdefs:demo", args=["sme_monthly_report"]) + "?period=2026-01"
    response = client_demo.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "基本信息" in body and "经济指标" in body and "产品产销存" in body
    assert 'value="宁波海曙示范机械有限公司"' in body  # prefilled from the enterprise
    name, step = management(response)
    assert step == "basic"
    response = client_demo.post(url, {name: "basic", **basic_data(), "wizard_action": "next"})
    assert response.status_code == 200, response.content.decode()[:2000]
    name, step = management(response)
    assert step == "indicators", re.findall(r'class="error"[^>]*>([^<]+)', response.content.decode())
    data = grid_data()
    data["ind__gross_output__ytd"] = "150"  # January: 本月 must equal 1-本月 -> warning
    response = client_demo.post(url, {name: "indicators", **data, "wizard_action": "next"})
    name, step = management(response)
    assert step == "product_step"
    assert "1月份本年本月应等于本年1-本月" in response.content.decode()
    # the draft is in the database
    assert WizardDraft.objects.count() == 1
    response = client_demo.post(url, {name: "product_step", "wizard_action": "next"})
    assert response.status_code == 302
    answer = FormAnswer.objects.get()
    assert answer.is_anomalous
    assert answer.answers["ind"]["gross_output"]["ytd"] == 150.0
    assert answer.answers["rd_staff_share"] == 10.0
    assert WizardDraft.objects.count() == 0
