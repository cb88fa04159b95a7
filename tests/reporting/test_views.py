"""The enterprise's report pages over HTTP: home, history, the wizard, questionnaires, submit, detail."""
import re

import pytest
from django.urls import reverse

from reporting.models import Submission
from reporting.enums import SubmissionStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def management(response):
    return re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode()).groups()


def flat(prefix, value, out):
    for key, inner in value.items():
        out[f"{prefix}__{key}"] = inner
    return out


def step_data(answers, step):
    """Form data of one wizard step from a complete answers dict."""
    if step == "basic":
        keys = ["name", "credit_code", "legal_representative", "industry", "region", "registration_type", "holding_type",
                "size", "is_listed", "address", "postcode", "contact", "phone", "provincial_specialized",
                "national_little_giant", "revenue_last_year", "profit_last_year", "employees_last_year",
                "rd_staff_last_year", "rd_funds_last_year"]
        return {k: (str(answers[k]).lower() if isinstance(answers[k], bool) else answers[k]) for k in keys if k in answers}
    if step == "indicators":
        data = {}
        for row, cells in answers["ind"].items():
            for col, value in cells.items():
                data[f"ind__{row}__{col}"] = value
        return data
    data = {"products-TOTAL_FORMS": len(answers["products"])}
    for i, row in enumerate(answers["products"]):
        for key, value in row.items():
            data[f"products-{i}-{key}"] = value
    return data


def walk_wizard(web, url, answers):
    response = web.get(url)
    assert response.status_code == 200
    for step in ("basic", "indicators", "product_step"):
        name, current = management(response)
        assert current == step
        response = web.post(url, {name: step, **step_data(answers, step), "wizard_action": "next"})
        if step != "product_step":
            assert response.status_code == 200, response
    return response


def test_anonymous_sees_the_landing_page_and_admins_go_to_the_back_office(client, admins):
    assert "accounts/login" in client.get("/").content.decode() or client.get("/").status_code == 200
    client.force_login(admins["sme_ningbo"])
    assert client.get("/").url == "/admin/"


def test_home_shows_the_last_three_periods(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -2))
    reports.submitted(enterprise, month_add(period, -1))
    body = web.get("/").content.decode()
    rows = re.findall(r'<tr data-period="([0-9-]+)">', body)
    assert rows == [f"{month_add(period, -i):%Y-%m}" for i in range(3)]
    assert "未填报" in body and "审核通过" in body and "待审核【海曙区经济和信息化局】" in body and "sme_haishu" not in body
    for label in ("当期报送", "上报导入", "历史报送"):
        assert label in body


def test_history_filters_by_year_and_status(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))
    response = web.get(reverse("reporting:history"), {"year_from": period.year - 1, "year_to": period.year, "status": "approved"})
    assert re.findall(r'<tr data-period="([0-9-]+)">', response.content.decode()) == [f"{month_add(period, -1):%Y-%m}"]
    response = web.get(reverse("reporting:history"), {"status": "not_filled"})
    periods = re.findall(r'<tr data-period="([0-9-]+)">', response.content.decode())
    assert f"{month_add(period, -1):%Y-%m}" not in periods and f"{period:%Y-%m}" in periods
    response = web.get(reverse("reporting:history"), {"year_from": period.year, "year_to": period.year - 1})
    assert "结束年份早于开始年份" in response.content.decode()


def test_wizard_then_questionnaire_then_submit(web, reports, enterprise, period, monthly_setup):
    key = f"{period:%Y-%m}"
    url = reverse("reporting:fill", args=["sme_monthly", key])
    response = walk_wizard(web, url, reports.answers(enterprise, period))
    assert response.status_code == 302 and response.url == reverse("reporting:submit", args=["sme_monthly", key])
    submission = Submission.objects.get()
    assert submission.status == S.EDITING and submission.entry_method == "online"
    page = web.get(response.url).content.decode()
    assert "中小企业经济月度调查问卷" in page and "未填报" in page and "进入答题" in page
    assert re.search(r'<button type="submit" class="btn" disabled>', page)
    # submitting before the questionnaire is refused with a message naming it
    response = web.post(reverse("reporting:submit", args=["sme_monthly", key]), follow=True)
    assert "中小企业经济月度调查问卷" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == S.EDITING
    # answer the questionnaire through its wizard
    questionnaire = monthly_setup[1]
    q_url = reverse("survey_builder:answer", args=[questionnaire.pk, key]) + "?next=" + reverse("reporting:submit", args=["sme_monthly", key])
    response = web.get(q_url)
    name, step = management(response)
    from formdefs.selectors import version_current

    fields = [f["id"] for f in version_current(key="sme_business_climate").document["steps"][0]["sections"][0]["fields"]]
    data = {name: step, "wizard_action": "next"}
    for s in version_current(key="sme_business_climate").document["steps"]:
        for section in s["sections"]:
            for field in section["fields"]:
                if field["type"] == "choice":
                    data[field["id"]] = field["options"][0]["value"]
    assert fields
    response = web.post(q_url, data)
    while response.status_code == 200:  # a multi-step questionnaire
        name, step = management(response)
        data[name] = step
        response = web.post(q_url, data)
    assert response.url == reverse("reporting:submit", args=["sme_monthly", key])
    page = web.get(response.url).content.decode()
    assert not re.search(r'<button type="submit" class="btn" disabled>', page)
    response = web.post(reverse("reporting:submit", args=["sme_monthly", key]))
    assert response.url == reverse("reporting:history") + "?type=sme_monthly"  # back to the type just submitted
    submission.refresh_from_db()
    assert submission.status == S.PENDING and submission.holder.user.username == "sme_haishu"
    assert "待审核【海曙区经济和信息化局】" in web.get(reverse("reporting:history")).content.decode()


def test_wizard_is_closed_for_pending_reports_and_others(web, reports, enterprise, period, client, demo_core):
    from accounts.models import User

    submission = reports.submitted(enterprise, period)
    url = reverse("reporting:fill", args=["sme_monthly", f"{period:%Y-%m}"])
    assert web.get(url)["Location"] == reverse("reporting:detail", args=[submission.pk])  # opens it, no dead end
    assert web.post(url, {}).status_code == 403  # a step posted from a stale page is still refused
    from reporting.periods import month_add

    assert web.get(reverse("reporting:fill", args=["sme_monthly", f"{month_add(period, 1):%Y-%m}"])).status_code == 403
    client.force_login(User.objects.get(username="com_demo06") if User.objects.filter(username="com_demo06").exists()
                       else User.objects.create_user(username="someone", mobile="13811112222", password="x"))
    assert client.get(url).status_code == 403


def test_detail_shows_tables_checks_note_and_trail(web, reports, enterprise, period):
    from reporting.periods import month_add

    reports.approved(enterprise, month_add(period, -1))
    submission = reports.submitted(enterprise, period, answers=reports.answers(enterprise, period, anomaly=True))
    Submission.objects.filter(pk=submission.pk).update(explanation="本月回款集中")
    body = web.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    for text in ("营业收入", "本年1-本月", "示范产品", "营业收入：本年1-本月不应小于上月本年1-本月", "本月回款集中",
                 "数据异常", "rp-flag", "待审核【海曙区经济和信息化局】", "上报"):
        assert text in body, text
    assert "撤销" in body  # withdraw offered while nobody acted
    assert "sme_haishu" not in body  # the trail names the reviewing office, never an administrator's login


def test_withdraw_over_http(web, reports, enterprise, period):
    submission = reports.submitted(enterprise, period)
    response = web.post(reverse("reporting:withdraw", args=[submission.pk]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.EDITING


def test_other_enterprises_reports_are_not_found(client, reports, period, demo_core):
    from accounts.models import User

    other = User.objects.get(username="com_demo02").filled_enterprises.get()
    submission = reports.submitted(other, period)
    client.force_login(User.objects.get(username="com_demo01"))
    for name in ("reporting:detail", "reporting:print", "reporting:export"):
        assert client.get(reverse(name, args=[submission.pk])).status_code == 404
    assert client.post(reverse("reporting:withdraw", args=[submission.pk])).status_code == 404
    submission.refresh_from_db()
    assert submission.status == S.PENDING


def test_print_view_is_landscape(web, reports, enterprise, period):
    submission = reports.submitted(enterprise, period)
    body = web.get(reverse("reporting:print", args=[submission.pk])).content.decode()
    assert "reporting/print.css" in body and "营业收入" in body
    # The page style lives in a static file (no inline <style> under the CSP).
    from django.contrib.staticfiles import finders

    assert "size: A4 landscape" in open(finders.find("reporting/print.css"), encoding="utf-8").read()


def test_withdraw_from_the_history_returns_to_it_but_not_elsewhere(web, reports, enterprise, period):
    submission = reports.submitted(enterprise, period)
    response = web.post(reverse("reporting:withdraw", args=[submission.pk]), {"next": "/reports/?status=editing"})
    assert response.url == "/reports/?status=editing"
    submission = reports.submitted(enterprise, period)
    response = web.post(reverse("reporting:withdraw", args=[submission.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("reporting:detail", args=[submission.pk])


def test_the_trail_names_offices_not_administrators_logins(web, reports, enterprise, period):
    """Issue 21 §3: an enterprise reads who received and who returned its report as offices."""
    from workflow.services import submission_receive, submission_return

    submission = reports.submitted(enterprise, period)
    submission = submission_receive(submission=submission, actor=submission.holder.user)  # 海曙区 → 宁波市
    submission = submission_return(submission=submission, actor=submission.holder.user, reason="请核实营业收入")
    body = web.get(reverse("reporting:detail", args=[submission.pk])).content.decode()
    trail = body[body.index("审核记录"):]
    assert "海曙区经济和信息化局" in trail and "宁波市经济和信息化局" in trail
    assert "sme_haishu" not in body and "sme_ningbo" not in body


def test_current_period_already_submitted_opens_its_report_not_a_refusal(web, reports, enterprise, period):
    """No dead end (issue 21 §3): 当期报送 of a report under review opens the report and says why."""
    submission = reports.submitted(enterprise, period)
    response = web.get(reverse("reporting:current"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("reporting:detail", args=[submission.pk])
    body = response.content.decode()
    assert f"{period.year}年{period.month:02d}月的中小企业生产经营运行监测月报已是“待审核”状态，不能再修改，已为您打开该报表。" in body
    # a report still being edited opens the form as before
    submission.status = "returned"
    submission.save(update_fields=["status"])
    assert web.get(reverse("reporting:current"), follow=True).redirect_chain[-1][0].endswith("/fill/")
