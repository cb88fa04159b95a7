"""The wizard's partial save is one unit (issue 22 §1, §3).

A valid step post writes twice: the owner's answers (`progress_save` → `FormOwner.save_progress`, for a
report `report_save(wizard_progress=True)`) and then the wizard draft, which formtools writes after the
view (`DatabaseStorage.update_response` → `wizard_draft_save(expected_revision=<the revision loaded>)`).

`stale_check` compares the page's tokens with what the request loaded, so a second window's draft write
can still land after that check and before this request's draft write: a window whose step is left
with errors (上一步 or a tab) writes only the draft, marked unsaved, and passes its own checks because
the report it read was not changed yet. The draft write then fails as stale AFTER the report was
saved: before this was one unit, the page said 「该报表已在其他窗口或设备上修改，请刷新后再改」 (nothing
saved) while the report held the new figures. Now the post runs in one transaction and the refusal
rolls the report's save back with it.

The reverse order cannot leave a half: when the owner refuses (stale report), the draft is not written
(`render_stale` keeps the stored draft).
"""
import copy
import re
import threading

import pytest
from django.db import connections
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from formdefs.models import WizardDraft
from formdefs.services import wizard_draft_key, wizard_draft_save
from reporting.models import Submission
from reporting.selectors import report_draft_key
from tests.reporting.conftest import enterprise, filler, monthly_setup, period, report_type, reports  # noqa: F401
from tests.reporting.race import needs_server_database
from tests.reporting.test_views import management, step_data

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"


def tokens(response) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">',
                           response.content.decode()))


def post_step(client, url, page, answers, **extra):
    name, step = management(page)
    return client.post(url, {name: step, **step_data(answers, step), **tokens(page), **extra})


def revenue(answers, value):
    answers = copy.deepcopy(answers)
    answers["ind"]["revenue"]["month"] = value
    return answers


def window(user, url):
    client = Client()
    client.force_login(user)
    return client, client.get(url)


@pytest.fixture
def url(report_type, period):
    return reverse("reporting:fill", args=[report_type.key, f"{period:%Y-%m}"])


@pytest.fixture
def saved(reports, enterprise, period):
    """The period's report in 编辑 with 营业收入 (本年本月) = 1000."""
    return reports.save(enterprise, period, answers=revenue(reports.answers(enterprise, period), 1000.0))


@pytest.fixture
def draft_key(report_type, enterprise, period):
    return wizard_draft_key(report_draft_key(report_type, enterprise, period))


def on_indicators(filler, url, answers):
    """Window A, moved on to 经济指标 (its 下一步 saved 基本信息 into the report and the draft)."""
    client, page = window(filler, url)
    page = post_step(client, url, page, answers, wizard_action="next")
    assert management(page)[1] == "indicators"
    return client, page


def test_a_draft_saved_by_another_window_after_the_report_refuses_the_step_and_saves_neither(
        filler, url, saved, draft_key):
    """Deterministic on every database: the other window's draft write (what its storage writes when
    a step is left with errors) lands right after this post's report save, before its draft write."""
    client, page = on_indicators(filler, url, saved.answers)
    report_before = Submission.objects.get()
    loaded = WizardDraft.objects.get(user=filler, key=draft_key)
    other = copy.deepcopy(loaded.data)
    other["extra_data"]["unsaved"] = ["indicators"]  # window B left 经济指标 with errors (mark_unsaved)

    def other_window_saves_its_draft(sender, instance, **kwargs):
        post_save.disconnect(other_window_saves_its_draft, sender=Submission)
        wizard_draft_save(user=filler, key=draft_key, data=other, version_id=loaded.version_id,
                          expected_revision=loaded.revision)

    post_save.connect(other_window_saves_its_draft, sender=Submission)
    try:
        response = post_step(client, url, page, revenue(saved.answers, 1111.0), wizard_action="next")
    finally:
        post_save.disconnect(other_window_saves_its_draft, sender=Submission)
    body = response.content.decode()
    assert response.status_code == 200 and STALE in body
    assert management(response)[1] == "indicators"
    assert re.search(r'name="ind__revenue__month"[^>]*value="1111(\.0)?"', body)  # kept on the page to copy
    # The message is true: the report is as it was (before, it held 1111 at the next revision).
    report = Submission.objects.get()
    assert (report.revision, report.answers["ind"]["revenue"]["month"]) == (report_before.revision, 1000.0)
    assert report.facts.filter(field="ind", row="revenue", column="month").get().value == 1000
    draft = WizardDraft.objects.get(user=filler, key=draft_key)
    assert draft.data["extra_data"]["answers"].get("indicators", {}).get("ind", {}).get("revenue", {}).get("month") != 1111
    # Reloaded, the page saves the step.
    page = client.get(url)
    response = post_step(client, url, page, revenue(saved.answers, 1111.0), wizard_action="next")
    assert STALE not in response.content.decode() and management(response)[1] == "product_step"
    assert Submission.objects.get().answers["ind"]["revenue"]["month"] == 1111.0


def test_a_report_saved_elsewhere_refuses_the_step_and_the_draft_is_not_written(
        filler, report_type, enterprise, period, url, saved, draft_key):
    """The reverse order: the owner's answers moved on (here a save that keeps the filler's draft), so the
    post is refused before the owner's save, and the draft is not written either."""
    from reporting.services import report_save

    client, page = on_indicators(filler, url, saved.answers)
    loaded = WizardDraft.objects.get(user=filler, key=draft_key)
    report_save(report_type=report_type, enterprise=enterprise, period=period, actor=filler,
                answers=revenue(saved.answers, 2000.0), wizard_progress=True)
    response = post_step(client, url, page, revenue(saved.answers, 1111.0), wizard_action="next")
    assert STALE in response.content.decode()
    assert Submission.objects.get().answers["ind"]["revenue"]["month"] == 2000.0
    draft = WizardDraft.objects.get(user=filler, key=draft_key)
    assert (draft.revision, draft.data) == (loaded.revision, loaded.data)


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_windows_really_at_once_the_refused_post_saved_nothing(filler, url, saved, draft_key):
    """PostgreSQL, two threads: window A's 下一步 is held right after its report save (its transaction
    open) while window B leaves the same step with errors through a tab, a real request that commits
    its draft; A then meets B's draft. A is refused and its report save is rolled back; B's draft stays."""
    client_a, page_a = on_indicators(filler, url, saved.answers)
    client_b, page_b = window(filler, url)
    assert management(page_b)[1] == "indicators"
    report_before = Submission.objects.get()
    saved_event, release = threading.Event(), threading.Event()

    def hold_after_the_report_save(sender, instance, **kwargs):
        if threading.current_thread() is not holder:
            return
        saved_event.set()
        release.wait(20)

    results = {}

    def run_a():
        try:
            results["a"] = post_step(client_a, url, page_a, revenue(saved.answers, 1111.0), wizard_action="next")
        except Exception as exc:  # the test asserts on it
            results["a"] = exc
        finally:
            saved_event.set()
            connections.close_all()

    post_save.connect(hold_after_the_report_save, sender=Submission)
    holder = threading.Thread(target=run_a)
    try:
        holder.start()
        assert saved_event.wait(20), "window A never saved the report"
        left = post_step(client_b, url, page_b, revenue(saved.answers, -5), wizard_goto_step="basic")
        assert left.status_code == 200 and STALE not in left.content.decode()
        assert management(left)[1] == "basic"
    finally:
        release.set()
        holder.join(20)
        post_save.disconnect(hold_after_the_report_save, sender=Submission)
    response = results["a"]
    assert not isinstance(response, Exception), response
    assert response.status_code == 200 and STALE in response.content.decode()
    report = Submission.objects.get()
    assert (report.revision, report.answers["ind"]["revenue"]["month"]) == (report_before.revision, 1000.0)
    draft = WizardDraft.objects.get(user=filler, key=draft_key)
    assert draft.data["extra_data"]["unsaved"] == ["indicators"]  # window B's write is the stored one
