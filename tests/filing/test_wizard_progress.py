"""A task's report (填报任务) keeps every valid step as the wizard goes (issue 22 §1) and refuses stale
writes (§3), as the monthly report does (tests/reporting/test_wizard_progress.py).

Every valid step reaches the task's report on 下一步 / 上一步 / a tab / 保存, so 上报 submits what the
enterprise last saw; a page older than another window's save is refused with
「该报表已在其他窗口或设备上修改，请刷新后再改」, keeping what was typed.
"""
import copy
import re

import pytest
from django.test import Client
from django.urls import reverse

from filing import services as svc
from formdefs.models import WizardDraft
from reporting.models import Submission
from tests.reporting.race import needs_server_database, race
from tests.reporting.test_wizard_progress import since_return_and_rest
from reporting.enums import SubmissionStatus as S

from .conftest import software_answers

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"
FINANCE = ("main_revenue", "profit", "rd_expense", "employees", "staff_master", "staff_bachelor", "staff_other")


def management(response):
    return re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode()).groups()


def tokens(response) -> dict:
    """The revision tokens of a wizard page, as its form posts them."""
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">',
                           response.content.decode()))


def step_data(answers, step) -> dict:
    """Form data of one step of the software report from a complete answers dict."""
    if step in ("sw_revenue_step", "sw_export_step"):
        grid = "rev" if step == "sw_revenue_step" else "exp"
        return {f"{grid}__{row}__{col}": value for row, cells in answers[grid].items() for col, value in cells.items()}
    return {key: answers[key] for key in FINANCE}


def post_step(client, url, page, answers, *, action="next", **extra):
    """POST the step the page shows, with its values taken from `answers` and the page's tokens."""
    name, step = management(page)
    data = {name: step, **step_data(answers, step), **tokens(page), **extra}
    if action:
        data["wizard_action"] = action
    return client.post(url, data)


def outsourcing(answers, value):
    """软件外包服务出口 (本月) changed: a value on the middle step (出口)."""
    answers = copy.deepcopy(answers)
    answers["exp"]["outsourcing"]["month"] = value
    return answers


def tab(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def task(task_factory):
    return task_factory()


@pytest.fixture
def returned(task, soft, admins):
    """The task's report with 软件外包服务出口 (本月) = 25, submitted and returned by the county (sme_haishu)."""
    from workflow.services import submission_return

    svc.filing_report_save(task=task, enterprise=soft, answers=software_answers(), actor=soft.filler)
    submission = svc.filing_report_submit(task=task, enterprise=soft, actor=soft.filler)
    submission = submission_return(submission=submission, actor=admins["sme_haishu"], reason="软件外包出口有误，请核实。")
    assert submission.status == S.RETURNED and submission.answers["exp"]["outsourcing"]["month"] == 25.0
    return submission


def urls(task):
    return reverse("filing:fill", args=[task.pk]), reverse("filing:submit", args=[task.pk])


def test_journey_return_correct_the_middle_step_leave_submit_the_reviewer_sees_it(task, soft, returned, admins):
    fill, submit = urls(task)
    web = tab(soft.filler)
    answers = outsourcing(returned.answers, 26.0)
    page = web.get(fill)
    assert tokens(page)["fd_base_revision"] == str(returned.revision)
    page = post_step(web, fill, page, answers)  # 软件业务收入 → 出口
    assert management(page)[1] == "sw_export_step"
    page = post_step(web, fill, page, answers)  # 外包出口 26, 下一步
    assert management(page)[1] == "sw_finance_step"
    returned.refresh_from_db()
    assert returned.answers["exp"]["outsourcing"]["month"] == 26.0 and returned.status == S.RETURNED
    # Leave the wizard, open the submit page and press 上报.
    assert web.get(submit).status_code == 200
    response = web.post(submit, follow=True)
    assert "上报成功" in response.content.decode()
    returned.refresh_from_db()
    assert returned.status == S.PENDING and returned.answers["exp"]["outsourcing"]["month"] == 26.0
    assert returned.facts.filter(field="exp", row="outsourcing", column="month").get().value == 26
    reviewer = tab(admins["sme_haishu"])
    html = reviewer.get(reverse("workflow_review:submission", args=[returned.pk]), follow=True).content.decode()
    since, grid = since_return_and_rest(html)
    assert re.search(r">\s*26(\.00?)?\s*<", grid) and not re.search(r">\s*25(\.00?)?\s*<", grid)
    assert re.search(r"<del>25(\.00?)?</del> → <ins>26(\.00?)?</ins>", since)  # what changed since the return


def test_a_draft_task_report_is_created_by_the_first_step_and_kept_by_save_and_tabs(task, soft):
    fill, submit = urls(task)
    web = tab(soft.filler)
    answers = software_answers()
    page = web.get(fill)
    assert tokens(page) == {"fd_revision": "0", "fd_base_revision": "0"}
    page = post_step(web, fill, page, answers)
    submission = Submission.objects.get()
    assert submission.status == S.EDITING and submission.answers["rev"]["services"]["month"] == 200.0
    page = post_step(web, fill, page, outsourcing(answers, 30.0), action="save")
    assert "已保存" in page.content.decode()
    submission.refresh_from_db()
    assert submission.answers["exp"]["outsourcing"]["month"] == 30.0
    page = post_step(web, fill, page, outsourcing(answers, 31.0), action=None, wizard_goto_step="sw_revenue_step")
    assert management(page)[1] == "sw_revenue_step"
    submission.refresh_from_db()
    assert submission.answers["exp"]["outsourcing"]["month"] == 31.0 and submission.status == S.EDITING
    # The last step's 下一步 saves and leads to 上报; the filler's own draft went with it.
    page = post_step(web, fill, web.get(fill + "?step=sw_finance_step"), answers)
    assert page.status_code == 302 and page.url == submit
    assert not WizardDraft.objects.exists()
    assert web.post(submit).status_code == 302
    submission.refresh_from_db()
    assert submission.status == S.PENDING and submission.answers["exp"]["outsourcing"]["month"] == 31.0


def test_two_windows_on_one_step_the_second_save_is_refused_and_keeps_its_input(task, soft, returned):
    fill, _submit = urls(task)
    web_a, web_b = tab(soft.filler), tab(soft.filler)
    page_a = post_step(web_a, fill, web_a.get(fill), returned.answers)
    assert management(page_a)[1] == "sw_export_step"
    page_b = web_b.get(fill)  # resumes the draft on 出口
    assert management(page_b)[1] == "sw_export_step"

    saved = post_step(web_a, fill, page_a, outsourcing(returned.answers, 41.0), action="save")
    assert saved.status_code == 200 and STALE not in saved.content.decode()
    refused = post_step(web_b, fill, page_b, outsourcing(returned.answers, 42.0), action="save")
    body = refused.content.decode()
    assert refused.status_code == 200 and STALE in body
    assert re.search(r'name="exp__outsourcing__month"[^>]*value="42(\.0)?"', body)  # still there to copy
    returned.refresh_from_db()
    assert returned.answers["exp"]["outsourcing"]["month"] == 41.0
    draft = WizardDraft.objects.get(user=soft.filler)
    assert draft.data["extra_data"]["answers"]["sw_export_step"]["exp"]["outsourcing"]["month"] == 41.0
    # Reloaded, the page shows the other window's save and saves over it.
    page_b = web_b.get(fill)
    assert re.search(r'name="exp__outsourcing__month"[^>]*value="41(\.0)?"', page_b.content.decode())
    resaved = post_step(web_b, fill, page_b, outsourcing(returned.answers, 42.0), action="save")
    assert STALE not in resaved.content.decode()
    returned.refresh_from_db()
    assert returned.answers["exp"]["outsourcing"]["month"] == 42.0


def test_a_page_loaded_before_the_report_was_saved_elsewhere_is_refused(task, soft, returned):
    """No draft in between: the report itself moved on (another device's wizard, or the service)."""
    fill, _submit = urls(task)
    web = tab(soft.filler)
    page = web.get(fill)
    svc.filing_report_save(task=task, enterprise=soft, answers=outsourcing(returned.answers, 50.0), actor=soft.filler)
    refused = post_step(web, fill, page, outsourcing(returned.answers, 60.0))
    assert STALE in refused.content.decode() and management(refused)[1] == "sw_revenue_step"
    returned.refresh_from_db()
    assert returned.answers["exp"]["outsourcing"]["month"] == 50.0


def test_the_service_refuses_a_stale_expected_revision_and_changes_nothing(task, soft, returned):
    revision = returned.revision
    svc.filing_report_save(task=task, enterprise=soft, answers=outsourcing(returned.answers, 50.0), actor=soft.filler,
                           expected_revision=revision)
    with pytest.raises(svc.FilingStale) as refused:
        svc.filing_report_save(task=task, enterprise=soft, answers=outsourcing(returned.answers, 60.0),
                               actor=soft.filler, expected_revision=revision)
    assert refused.value.revision == revision + 1 and STALE in refused.value.messages[0]
    returned.refresh_from_db()
    assert returned.revision == revision + 1 and returned.answers["exp"]["outsourcing"]["month"] == 50.0


def test_a_step_left_with_errors_keeps_the_draft_and_the_submit_page_refuses_the_older_copy(task, soft, returned):
    fill, submit = urls(task)
    web = tab(soft.filler)
    page = post_step(web, fill, web.get(fill), returned.answers)
    typed = outsourcing(returned.answers, "12a")  # not a number: the step is refused
    page = post_step(web, fill, page, typed, action=None, wizard_goto_step="sw_revenue_step")
    assert management(page)[1] == "sw_revenue_step"
    returned.refresh_from_db()
    assert returned.answers["exp"]["outsourcing"]["month"] == 25.0
    html = web.get(submit).content.decode()
    assert 'data-testid="unsaved-steps"' in html and f"{fill}?step=sw_export_step" in html
    assert re.search(r'data-testid="submit-report"[^>]*disabled', html)
    body = web.post(submit, follow=True).content.decode()
    assert "未上报：请先修改并保存" in body and "上报成功" not in body
    returned.refresh_from_db()
    assert returned.status == S.RETURNED
    # Corrected and saved, the submit page submits the correction.
    page = web.get(fill + "?step=sw_export_step")
    assert re.search(r'name="exp__outsourcing__month"[^>]*value="12a"', page.content.decode())
    post_step(web, fill, page, outsourcing(returned.answers, 27.0), action="save")
    assert web.post(submit).url == reverse("filing:tasks")
    returned.refresh_from_db()
    assert returned.status == S.PENDING and returned.answers["exp"]["outsourcing"]["month"] == 27.0
    assert not WizardDraft.objects.exists()  # gone with 上报: a return would not bring it back


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_a_task_report_at_once_make_one_report_never_a_500(task, soft):
    """PostgreSQL: two windows' first 下一步 (expected revision 0) on a task without a report: the loser of the
    unique insert meets the winner's report and is refused as stale, not with an IntegrityError."""
    def first_save(value):
        return lambda: svc.filing_report_save(task=task, enterprise=soft, answers=outsourcing(software_answers(), value),
                                              actor=soft.filler, expected_revision=0, wizard_progress=True)

    winner, loser = race(first_save(26.0), first_save(27.0))
    assert isinstance(winner, Submission), winner
    assert isinstance(loser, svc.FilingStale) and loser.revision == 1, loser
    saved = Submission.objects.get()
    assert (saved.revision, saved.answers["exp"]["outsourcing"]["month"]) == (1, 26.0)
