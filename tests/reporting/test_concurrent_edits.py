"""Stale writes are refused, not silently lost; first saves are race-safe (issue 22 §3).

Two tabs (two clients logged in as the same filler) on one wizard draft: the tab whose page is older
than the other's save is refused with 「该报表已在其他窗口或设备上修改，请刷新后再改」 and gets its
typed input back to copy. `report_save(expected_revision=...)` refuses a stale write of the report;
two first saves of an empty period at once never end in an IntegrityError.
"""
import re

import pytest
from django.test import Client
from django.urls import reverse

from formdefs.models import WizardDraft
from reporting.models import Submission
from reporting.services import ReportStale, report_save

from .race import needs_server_database, race
from .test_views import management, step_data

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"


def tokens(response) -> dict:
    """The revision tokens of a wizard page, as its form posts them."""
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">', response.content.decode()))


def open_tab(user, url):
    tab = Client()
    tab.force_login(user)
    page = tab.get(url)
    assert page.status_code == 200
    return tab, page


def post_step(tab, url, page, answers, action="save", **extra):
    name, step = management(page)
    data = {name: step, **step_data(answers, step), **tokens(page), **extra}
    if action:
        data["wizard_action"] = action
    return tab.post(url, data)


def draft_answers(user, step):
    return WizardDraft.objects.get(user=user).data["extra_data"]["answers"][step]


@pytest.fixture
def url(report_type, period):
    return reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])


def test_two_tabs_editing_one_draft_the_second_save_is_refused_and_keeps_its_input(filler, reports, enterprise, period, url):
    answers = reports.answers(enterprise, period)
    tab_a, page_a = open_tab(filler, url)
    tab_b, page_b = open_tab(filler, url)
    assert tokens(page_a) == tokens(page_b) == {"fd_revision": "0", "fd_base_revision": "0"}

    saved = post_step(tab_a, url, page_a, {**answers, "address": "一号窗口路1号"})
    assert saved.status_code == 200 and STALE not in saved.content.decode()
    assert tokens(saved)["fd_revision"] == "1"  # the page now carries the draft it just saved

    refused = post_step(tab_b, url, page_b, {**answers, "address": "二号窗口路2号"})
    body = refused.content.decode()
    assert refused.status_code == 200 and STALE in body
    assert 'value="二号窗口路2号"' in body  # tab B's input is still on the page to copy
    assert management(refused)[1] == "basic"
    draft = WizardDraft.objects.get(user=filler)
    assert draft.revision == 1 and draft_answers(filler, "basic")["address"] == "一号窗口路1号"

    # Pressing 保存 again on the refused page is refused again: only a reload shows tab A's edits.
    again = post_step(tab_b, url, refused, {**answers, "address": "二号窗口路2号"})
    assert STALE in again.content.decode() and WizardDraft.objects.get(user=filler).revision == 1
    reloaded = tab_b.get(url)
    assert 'value="一号窗口路1号"' in reloaded.content.decode() and tokens(reloaded)["fd_revision"] == "1"
    resaved = post_step(tab_b, url, reloaded, {**answers, "address": "二号窗口路2号"})
    assert STALE not in resaved.content.decode()
    assert draft_answers(filler, "basic")["address"] == "二号窗口路2号" and WizardDraft.objects.get(user=filler).revision == 2


@pytest.mark.parametrize("action", ["next", "previous"])
def test_next_and_previous_from_a_stale_page_are_refused_too(filler, reports, enterprise, period, url, action):
    answers = reports.answers(enterprise, period)
    tab_a, page_a = open_tab(filler, url)
    on_step_two = post_step(tab_a, url, page_a, answers, action="next")
    assert management(on_step_two)[1] == "indicators"
    tab_b, page_b = open_tab(filler, url)  # resumes the draft on 经济指标
    assert management(page_b)[1] == "indicators"
    assert post_step(tab_a, url, on_step_two, answers).status_code == 200  # tab A saves the step: revision 2

    edited = {**answers, "ind": {**answers["ind"], "revenue": {**answers["ind"]["revenue"], "month": 4321}}}
    if action == "next":
        refused = post_step(tab_b, url, page_b, edited, action="next")
    else:
        refused = post_step(tab_b, url, page_b, edited, action=None, wizard_goto_step="basic")
    body = refused.content.decode()
    assert STALE in body and management(refused)[1] == "indicators" and 'value="4321"' in body
    draft = WizardDraft.objects.get(user=filler)
    assert draft.revision == 2 and draft.data["step"] == "indicators"
    assert draft_answers(filler, "indicators")["ind"]["revenue"]["month"] != 4321


def test_a_page_loaded_before_the_report_was_saved_elsewhere_is_refused(filler, reports, enterprise, period, url):
    """No draft is involved: the report itself moved on (another device finished the wizard, or the API)."""
    answers = reports.answers(enterprise, period)
    tab, page = open_tab(filler, url)
    reports.save(enterprise, period, answers={**answers, "address": "接口路9号"})
    refused = post_step(tab, url, page, {**answers, "address": "旧页面路3号"})
    assert STALE in refused.content.decode() and 'value="旧页面路3号"' in refused.content.decode()
    assert not WizardDraft.objects.exists()
    assert tokens(tab.get(url))["fd_base_revision"] == "1"


def test_clients_without_tokens_are_not_checked(filler, reports, enterprise, period, url):
    """Pages rendered before this change (no hidden tokens) keep working: last write wins, as before."""
    answers = reports.answers(enterprise, period)
    tab, page = open_tab(filler, url)
    name, step = management(page)
    response = tab.post(url, {name: step, **step_data(answers, step), "wizard_action": "save"})
    assert STALE not in response.content.decode() and WizardDraft.objects.get(user=filler).revision == 1


def test_the_final_submit_checks_the_report_revision_on_the_locked_row(filler, reports, report_type, enterprise, period):
    """The wizard's done(): the owner passes the page's revision to report_save, which refuses a stale one."""
    from formdefs.services import FormStale, wizard_finish
    from reporting.owners import ReportOwner

    answers = reports.answers(enterprise, period)
    owner = ReportOwner(user=filler, enterprise=enterprise, report_type=report_type, period=period)
    assert owner.revision() == 0
    owner.expected_revision = 0
    reports.save(enterprise, period, answers={**answers, "address": "接口路9号"})  # saved after the page was loaded
    with pytest.raises(FormStale) as refused:
        wizard_finish(owner=owner, answers={**answers, "address": "旧页面路3号"}, actor=filler)
    assert refused.value.revision == 1
    assert Submission.objects.get().answers["address"] == "接口路9号"


# -- report_save --------------------------------------------------------------------------------

def test_every_save_adds_one_to_the_revision(reports, enterprise, period):
    assert reports.save(enterprise, period).revision == 1
    assert reports.save(enterprise, period).revision == 2
    assert Submission.objects.get().revision == 2


def test_a_stale_expected_revision_is_refused_and_changes_nothing(reports, enterprise, period):
    answers = reports.answers(enterprise, period)
    reports.save(enterprise, period, answers={**answers, "address": "第一版"})
    reports.save(enterprise, period, answers={**answers, "address": "第二版"})
    with pytest.raises(ReportStale) as refused:
        reports.save(enterprise, period, answers={**answers, "address": "旧版"}, expected_revision=1)
    assert refused.value.revision == 2
    assert "该报表已在其他窗口或设备上修改" in refused.value.messages[0]
    saved = Submission.objects.get()
    assert (saved.revision, saved.answers["address"]) == (2, "第二版")
    assert reports.save(enterprise, period, answers=answers, expected_revision=2).revision == 3


def test_expected_revision_zero_means_no_report_yet(reports, enterprise, period):
    assert reports.save(enterprise, period, expected_revision=0).revision == 1
    with pytest.raises(ReportStale) as refused:
        reports.save(enterprise, period, expected_revision=0)
    assert refused.value.revision == 1 and Submission.objects.get().revision == 1


def test_a_stale_first_save_leaves_no_report_behind(reports, enterprise, period):
    with pytest.raises(ReportStale) as refused:
        reports.save(enterprise, period, expected_revision=3)
    assert refused.value.revision == 0 and not Submission.objects.exists()


# -- two first saves at once (PostgreSQL) -------------------------------------------------------

@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_saves_make_one_report_without_integrity_error(report_type, enterprise, period, reports):
    answers = reports.answers(enterprise, period)

    def save(address, **kwargs):
        return lambda: report_save(report_type=report_type, enterprise=enterprise, period=period,
                                   answers={**answers, "address": address}, actor=enterprise.filler, **kwargs)

    winner, loser = race(save("先到路1号"), save("后到路2号"))
    assert isinstance(winner, Submission) and isinstance(loser, Submission), (winner, loser)
    saved = Submission.objects.get()
    assert (saved.revision, saved.answers["address"]) == (2, "后到路2号")  # no token: a normal save over the first

    Submission.objects.all().delete()
    winner, loser = race(save("先到路1号", expected_revision=0), save("后到路2号", expected_revision=0))
    assert isinstance(winner, Submission), winner
    assert isinstance(loser, ReportStale) and loser.revision == 1, loser  # it expected no report: refused, not a 500
    saved = Submission.objects.get()
    assert (saved.revision, saved.answers["address"]) == (1, "先到路1号")
