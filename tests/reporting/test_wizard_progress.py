"""The report wizard never loses edits (issue 22 §1) and its buttons and messages say what happened (§2).

Every valid step reaches the report on 下一步 / 上一步 / a tab / 保存, so 上报 on step 4 submits what the
enterprise last saw; a step left with errors keeps its typed values in the draft and step 4 refuses to
submit the older copy, with a link back to that step.
"""
import copy
import re

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import Submission
from tests.reporting.test_views import management, step_data
from reporting.enums import SubmissionStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


@pytest.fixture
def returned(reports, enterprise, period, admins):
    """A report with 营业收入 (本年本月) = 1000, submitted and returned by the county (sme_haishu)."""
    from workflow.services import submission_return

    answers = reports.answers(enterprise, period)
    answers["ind"]["revenue"]["month"] = 1000.0
    submission = reports.submitted(enterprise, period, answers=answers)
    submission = submission_return(submission=submission, actor=admins["sme_haishu"], reason="营业收入有误，请核实。")
    assert submission.status == S.RETURNED
    return submission


def urls(period):
    key = f"{period:%Y-%m}"
    return reverse("reporting:fill", args=["sme_monthly", key]), reverse("reporting:submit", args=["sme_monthly", key])


def post_step(web, url, response, answers, **extra):
    """POST the step the page shows, with its values taken from `answers`."""
    name, step = management(response)
    return web.post(url, {name: step, **step_data(answers, step), **extra})


def revenue(answers, value):
    answers = copy.deepcopy(answers)
    answers["ind"]["revenue"]["month"] = value
    return answers


def since_return_and_rest(html):
    """(the 「退回后的修改」 section, the rest of the reviewer's page)."""
    since = re.search(r'<section class="wf-card wf-since".*?</section>', html, flags=re.S)
    assert since, "the resubmitted report lists its changes since the return"
    return since.group(0), html.replace(since.group(0), "")


def reviewer_sees(client, admin, submission):
    """The county reviewer's month view of the report (the back office)."""
    client.force_login(admin)
    return client.get(reverse("workflow_review:month", args=[submission.enterprise_id, f"{submission.period:%Y-%m}"]),
                      follow=True).content.decode()


def test_journey_return_correct_leave_submit_the_reviewer_sees_the_correction(web, returned, period, admins):
    fill, submit = urls(period)
    answers = revenue(returned.answers, 1111.0)
    response = web.get(fill)
    response = post_step(web, fill, response, answers, wizard_action="next")  # 基本信息 → 经济指标
    assert management(response)[1] == "indicators"
    response = post_step(web, fill, response, answers, wizard_action="next")  # 营业收入 1111, 下一步
    assert management(response)[1] == "product_step"
    # Leave the wizard, open step 4 and press 上报.
    assert web.get(submit).status_code == 200
    response = web.post(submit, follow=True)
    assert "上报成功" in response.content.decode()
    returned.refresh_from_db()
    assert returned.status == S.PENDING
    assert returned.answers["ind"]["revenue"]["month"] == 1111.0
    assert returned.facts.filter(field="ind", row="revenue", column="month").get().value == 1111
    html = reviewer_sees(Client(), admins["sme_haishu"], returned)
    since, grid = since_return_and_rest(html)
    assert "1111" in grid and ">1000<" not in grid  # the report shows the corrected figure, not the returned one
    assert re.search(r"营业收入 · 本年本月: <del>1000(\.00?)?</del> → <ins>1111(\.00?)?</ins>", since)  # and what changed


@pytest.mark.parametrize("how", ["save", "previous", "tab"])
def test_save_previous_and_tabs_put_a_valid_step_into_the_report(web, returned, period, how):
    fill, _submit = urls(period)
    answers = revenue(returned.answers, 1234.0)
    response = post_step(web, fill, web.get(fill), answers, wizard_action="next")
    extra = {"save": {"wizard_action": "save"}, "previous": {"wizard_goto_step": "basic"},
             "tab": {"wizard_goto_step": "basic"}}[how]
    response = post_step(web, fill, response, answers, **extra)
    assert response.status_code == 200
    returned.refresh_from_db()
    assert returned.answers["ind"]["revenue"]["month"] == 1234.0 and returned.status == S.RETURNED
    # The wizard draft is kept: the same values after logout, in another browser.
    other = Client()
    other.force_login(returned.filler)
    page = other.get(fill + "?step=indicators")
    assert management(page)[1] == "indicators"
    assert re.search(r'name="ind__revenue__month"[^>]*value="1234(\.0)?"', page.content.decode())


def test_a_tab_left_with_errors_keeps_the_draft_and_step_4_refuses_the_older_copy(web, returned, period):
    fill, submit = urls(period)
    response = post_step(web, fill, web.get(fill), returned.answers, wizard_action="next")
    answers = revenue(returned.answers, -5)  # 营业收入 must not be negative: a blocking error
    response = post_step(web, fill, response, answers, wizard_goto_step="basic")
    assert management(response)[1] == "basic"
    returned.refresh_from_db()
    assert returned.answers["ind"]["revenue"]["month"] == 1000.0
    page = web.get(submit).content.decode()
    assert "经济指标" in page and f"{fill}?step=indicators" in page
    assert re.search(r'<button type="submit" class="btn" disabled>', page)
    response = web.post(submit, follow=True)
    body = response.content.decode()
    assert "上报成功" not in body and "经济指标" in body
    returned.refresh_from_db()
    assert returned.status == S.RETURNED
    # The link back opens the step with what was typed, and its errors.
    page = web.get(fill + "?step=indicators").content.decode()
    assert re.search(r'name="ind__revenue__month"[^>]*value="-5"', page) and 'data-fd-unsaved="1"' in page
    # Corrected and saved, step 4 submits the correction.
    response = post_step(web, fill, web.get(fill + "?step=indicators"), revenue(answers, 1111.0), wizard_action="save")
    assert 'data-fd-unsaved="1"' not in response.content.decode()
    response = web.post(submit)
    assert response.url == reverse("reporting:history") + "?type=sme_monthly"
    returned.refresh_from_db()
    assert returned.status == S.PENDING and returned.answers["ind"]["revenue"]["month"] == 1111.0


def test_first_save_creates_the_editing_report_and_the_step_bar_shows_questionnaires(web, reports, enterprise, period):
    fill, submit = urls(period)
    response = web.get(fill)
    html = response.content.decode()
    tab = re.search(r'<button[^>]*name="wizard_goto_page"[^>]*>([^<]*)</button>', html)
    assert tab and "4. 调查问卷" in tab.group(1) and "disabled" in tab.group(0)  # no report yet
    answers = reports.answers(enterprise, period)
    response = post_step(web, fill, response, answers, wizard_action="next")
    submission = Submission.objects.get()
    assert submission.status == S.EDITING and submission.answers["name"] == answers["name"]
    html = response.content.decode()
    tab = re.search(r'<button[^>]*name="wizard_goto_page"[^>]*>([^<]*)</button>', html)
    assert "disabled" not in tab.group(0)
    # The 调查问卷 tab saves the step and opens step 4.
    response = post_step(web, fill, response, revenue(answers, 1500.0), wizard_goto_page="0")
    assert response.status_code == 302 and response.url == submit
    submission.refresh_from_db()
    assert submission.answers["ind"]["revenue"]["month"] == 1500.0


def test_the_last_step_says_next_and_done_does_not_claim_a_submission(web, reports, enterprise, period):
    fill, submit = urls(period)
    answers = reports.answers(enterprise, period)
    response = web.get(fill)
    for _step in ("basic", "indicators"):
        response = post_step(web, fill, response, answers, wizard_action="next")
    html = response.content.decode()
    assert management(response)[1] == "product_step"
    buttons = re.findall(r'<button type="submit" name="wizard_action" value="next"[^>]*>([^<]*)</button>', html)
    assert buttons == ["下一步"]
    response = post_step(web, fill, response, answers, wizard_action="next")
    assert response.url == submit
    page = web.get(submit).content.decode()
    assert "已保存。请完成调查问卷并上报。" in page and "已上报" not in page
    assert Submission.objects.get().status == S.EDITING


def test_a_new_name_kept_by_a_step_freezes_at_submit_instead_of_half_way(web, reports, enterprise, period):
    """The information change is recorded when the wizard ends (or at 上报), not on 基本信息's 下一步:
    the report must not freeze while its other steps are still being filled."""
    from reporting.models import InformationChange

    fill, submit = urls(period)
    answers = reports.answers(enterprise, period)
    answers["name"] = "宁波海曙示范机械股份有限公司"
    response = post_step(web, fill, web.get(fill), answers, wizard_action="next")
    assert management(response)[1] == "indicators"
    submission = Submission.objects.get()
    assert submission.status == S.EDITING and submission.answers["name"] == "宁波海曙示范机械股份有限公司"
    post_step(web, fill, response, answers, wizard_action="next")
    reports.answer_questionnaire(enterprise, period)
    # Left before the last step's 下一步: 上报 records the change and freezes instead of submitting.
    body = web.post(submit, follow=True).content.decode()
    assert "报表已冻结" in body and "上报成功" not in body
    submission.refresh_from_db()
    assert submission.status == S.FROZEN
    change = InformationChange.objects.get()
    assert change.after["name"] == "宁波海曙示范机械股份有限公司"


def test_a_questionnaire_answered_from_step_4_says_saved_not_submitted(web, reports, enterprise, period, monthly_setup):
    fill, submit = urls(period)
    answers = reports.answers(enterprise, period)
    response = web.get(fill)
    for _step in ("basic", "indicators", "product_step"):
        response = post_step(web, fill, response, answers, wizard_action="next")
    questionnaire = monthly_setup[1]
    url = reverse("survey_builder:answer", args=[questionnaire.pk, f"{period:%Y-%m}"]) + "?next=" + submit
    response = web.get(url)
    name, step = management(response)
    data = {name: step, "wizard_action": "next"}
    for s in questionnaire.definition.versions.get(status="published").document["steps"]:
        for section in s["sections"]:
            for field in section["fields"]:
                if field["type"] == "choice":
                    data[field["id"]] = field["options"][0]["value"]
    response = web.post(url, data)
    while response.status_code == 200:
        data[management(response)[0]] = management(response)[1]
        response = web.post(url, data)
    body = web.get(response.url).content.decode()
    assert f"问卷“{questionnaire.title}”的答案已保存。" in body and "已上报" not in body
    assert Submission.objects.get().status == S.EDITING
