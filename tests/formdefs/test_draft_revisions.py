"""Wizard drafts carry a revision (issue 22 §3): a write from a page loaded before another window's save
is refused (DraftStale) instead of overwriting it; only a change of what is typed counts as a new
revision, so opening the wizard in a second tab does not make the first one stale; two first saves of a
draft at once never end in an IntegrityError."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from formdefs.models import WizardDraft
from formdefs.services import DraftStale, wizard_draft_save
from tests.reporting.race import needs_server_database, race

from .test_views import basic_data, management

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"
KEY = "wizard_formdefs_test"


@pytest.fixture
def user(demo_core):
    from accounts.models import User

    return User.objects.get(username="com_demo01")


def data(address: str, step: str | None = "basic") -> dict:
    return {"step": step, "step_data": {}, "step_files": {}, "extra_data": {"answers": {"basic": {"address": address}}}}


def test_each_save_of_new_content_adds_one_and_a_change_of_step_does_not(user):
    assert wizard_draft_save(user=user, key=KEY, data=data("一号"), expected_revision=0) == 1
    assert wizard_draft_save(user=user, key=KEY, data=data("二号"), expected_revision=1) == 2
    assert wizard_draft_save(user=user, key=KEY, data=data("二号", step="indicators"), expected_revision=2, bump=False) == 2
    draft = WizardDraft.objects.get()
    assert (draft.revision, draft.data["step"]) == (2, "indicators")


def test_a_stale_expected_revision_raises_and_writes_nothing(user):
    wizard_draft_save(user=user, key=KEY, data=data("一号"))
    wizard_draft_save(user=user, key=KEY, data=data("二号"))
    for expected in (0, 1, 3):
        with pytest.raises(DraftStale) as refused:
            wizard_draft_save(user=user, key=KEY, data=data("旧页面"), expected_revision=expected)
        assert refused.value.revision == 2
    draft = WizardDraft.objects.get()
    assert (draft.revision, draft.data["extra_data"]["answers"]["basic"]["address"]) == (2, "二号")
    assert wizard_draft_save(user=user, key=KEY, data=data("旧页面")) == 3  # no token: saved over


def test_a_draft_that_is_gone_is_stale_for_a_page_that_had_it(user):
    """The draft was discarded (the answers were stored another way): a page that showed it must not recreate it."""
    with pytest.raises(DraftStale) as refused:
        wizard_draft_save(user=user, key=KEY, data=data("旧页面"), expected_revision=4)
    assert refused.value.revision == 0 and not WizardDraft.objects.exists()


# -- over HTTP, on the generic wizard (an owner without a revision of its own) ------------------

def tokens(response) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">', response.content.decode()))


def open_tab(user, url):
    tab = Client()
    tab.force_login(user)
    return tab, tab.get(url)


def save(tab, url, page, address):
    name, step = management(page)
    return tab.post(url, {name: step, **basic_data(), "address": address, **tokens(page), "wizard_action": "save"})


@pytest.fixture
def url(published):
    return reverse("formdefs:demo", args=["sme_monthly_report"]) + "?period=2026-01"


def test_two_tabs_on_the_generic_wizard_the_older_page_is_refused(user, url):
    tab_a, page_a = open_tab(user, url)
    tab_b, page_b = open_tab(user, url)
    assert tokens(page_a) == {"fd_revision": "0"}  # the demo owner keeps no revision of its own
    assert STALE not in save(tab_a, url, page_a, "一号窗口路1号").content.decode()
    refused = save(tab_b, url, page_b, "二号窗口路2号")
    assert STALE in refused.content.decode() and 'value="二号窗口路2号"' in refused.content.decode()
    assert WizardDraft.objects.get(user=user).data["extra_data"]["answers"]["basic"]["address"] == "一号窗口路1号"


def test_opening_the_wizard_in_another_tab_does_not_make_the_first_one_stale(user, url):
    tab_a, page_a = open_tab(user, url)
    saved = save(tab_a, url, page_a, "一号窗口路1号")
    tab_b, page_b = open_tab(user, url)  # resuming writes the step shown into the draft, nothing typed
    assert tokens(page_b) == tokens(saved) == {"fd_revision": "1"}
    again = save(tab_a, url, saved, "一号窗口路1号甲")
    assert STALE not in again.content.decode() and WizardDraft.objects.get(user=user).revision == 2


def test_live_state_requests_are_not_checked(user, url):
    tab_a, page_a = open_tab(user, url)
    tab_b, page_b = open_tab(user, url)
    save(tab_a, url, page_a, "一号窗口路1号")
    name, step = management(page_b)
    state = tab_b.post(url, {name: step, **basic_data(), **tokens(page_b), "wizard_action": "state"})
    assert state.status_code == 200 and "hidden" in state.json()


# -- two first saves at once (PostgreSQL) -------------------------------------------------------

@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_saves_of_a_draft_never_raise_integrity_error(user):
    winner, loser = race(lambda: wizard_draft_save(user=user, key=KEY, data=data("先到"), expected_revision=0),
                         lambda: wizard_draft_save(user=user, key=KEY, data=data("后到"), expected_revision=0))
    assert winner == 1 and isinstance(loser, DraftStale) and loser.revision == 1, (winner, loser)
    assert WizardDraft.objects.get().data["extra_data"]["answers"]["basic"]["address"] == "先到"

    WizardDraft.objects.all().delete()
    winner, loser = race(lambda: wizard_draft_save(user=user, key=KEY, data=data("先到")),
                         lambda: wizard_draft_save(user=user, key=KEY, data=data("后到")))
    assert (winner, loser) == (1, 2)
    assert WizardDraft.objects.get().data["extra_data"]["answers"]["basic"]["address"] == "后到"
