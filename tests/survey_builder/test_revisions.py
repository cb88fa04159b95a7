"""Questionnaire answers refuse stale writes (issue 22 §3): every store adds 1 to the response's revision;
the answering wizard (调查问卷, and step 4 of the report wizard) carries it, so a page loaded before another
window's, device's or the API's store is refused with 「该报表已在其他窗口或设备上修改，请刷新后再改」 and gets
what was typed back to copy; `questionnaire_response_store(expected_revision=...)` refuses on the locked row;
two first stores at once never end in an IntegrityError."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from formdefs.services import FormStale, wizard_finish
from survey_builder import services
from survey_builder.enums import QuestionType
from survey_builder.models import QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from tests.reporting.conftest import Builder
from tests.reporting.race import needs_server_database, race

from .builders import enabled, option_ids, qid

pytestmark = pytest.mark.django_db

STALE = "该报表已在其他窗口或设备上修改，请刷新后再改"


def management(response):
    return re.search(r'name="([^"]+-current_step)" value="([^"]+)"', response.content.decode()).groups()


def tokens(response) -> dict:
    """The revision tokens of a wizard page, as its form posts them."""
    return dict(re.findall(r'<input type="hidden" name="(fd_(?:base_)?revision)" value="([^"]*)">', response.content.decode()))


def open_tab(user, url):
    tab = Client()
    tab.force_login(user)
    page = tab.get(url)
    assert page.status_code == 200, page.content.decode()[:500]
    return tab, page


def finish(tab, url, page, data):
    """下一步 on the questionnaire's only step: the wizard's final submit, which stores the answers."""
    name, step = management(page)
    return tab.post(url, {name: step, **tokens(page), **data, "wizard_action": "next"})


@pytest.fixture
def enterprise(enterprises):
    return enterprises["com_demo01"]


@pytest.fixture
def hiring(designer):
    """Made by the Ningbo administrator (so it applies to com_demo01): Q1 single choice, Q2 fill-in."""
    return enabled(designer, types=[QuestionType.SINGLE, QuestionType.FILL], title="用工调查")


def store(questionnaire, enterprise, period, answers, **kwargs):
    return services.questionnaire_response_store(
        questionnaire=questionnaire, enterprise=enterprise, period=period, answers=answers, actor=enterprise.filler,
        version=questionnaire.definition.versions.get(status="published"), **kwargs)


# -- the portal's 调查问卷 page, two windows ---------------------------------------------------

def test_two_tabs_answering_one_questionnaire_the_second_is_refused_and_keeps_its_input(hiring, enterprise, period):
    url = reverse("survey_builder:answer", args=[hiring.pk, f"{period:%Y-%m}"])
    q1, q2 = qid(hiring, 1), qid(hiring, 2)
    o1, o2 = option_ids(hiring, 1)[:2]
    tab_a, page_a = open_tab(enterprise.filler, url)
    tab_b, page_b = open_tab(enterprise.filler, url)
    assert tokens(page_a)["fd_base_revision"] == tokens(page_b)["fd_base_revision"] == "0"

    first = finish(tab_a, url, page_a, {q1: o1, q2: "第一个窗口填的"})
    assert first.status_code == 302, first.content.decode()[:800]
    stored = QuestionnaireResponse.objects.get(questionnaire=hiring, enterprise=enterprise, period=period)
    assert stored.revision == 1 and stored.answers == {q1: o1, q2: "第一个窗口填的"}

    refused = finish(tab_b, url, page_b, {q1: o2, q2: "第二个窗口填的"})
    body = refused.content.decode()
    assert refused.status_code == 200 and STALE in body
    assert 'value="第二个窗口填的"' in body  # tab B's input is still on the page to copy
    assert re.search(rf'<input[^>]*value="{o2}"[^>]*checked', body)
    stored.refresh_from_db()
    assert stored.revision == 1 and stored.answers == {q1: o1, q2: "第一个窗口填的"}

    # Pressing again on the refused page is refused again; a reload shows tab A's answers and may store.
    assert STALE in finish(tab_b, url, refused, {q1: o2, q2: "第二个窗口填的"}).content.decode()
    reloaded = tab_b.get(url)
    assert tokens(reloaded)["fd_base_revision"] == "1" and 'value="第一个窗口填的"' in reloaded.content.decode()
    assert finish(tab_b, url, reloaded, {q1: o2, q2: "第二个窗口填的"}).status_code == 302
    stored.refresh_from_db()
    assert stored.revision == 2 and stored.answers == {q1: o2, q2: "第二个窗口填的"}


# -- step 4 (调查问卷) of the report wizard -----------------------------------------------------

def test_step_4_questionnaire_page_older_than_another_store_is_refused(monthly, enterprise, period):
    report_type, builtin = monthly
    reports = Builder(report_type, builtin)
    reports.save(enterprise, period)  # steps 1-3 done: the report is 编辑
    submit = reverse("reporting:submit", args=[report_type.key, f"{period:%Y-%m}"])
    url = reverse("survey_builder:answer", args=[builtin.pk, f"{period:%Y-%m}"]) + "?next=" + submit
    choices = [f for s in builtin.definition.versions.get(status="published").document["steps"]
               for c in s["sections"] for f in c["fields"] if f["type"] == "choice"]
    firsts = {f["id"]: f["options"][0]["value"] for f in choices}
    lasts = {f["id"]: f["options"][-1]["value"] for f in choices}

    tab, page = open_tab(enterprise.filler, url)
    other, other_page = open_tab(enterprise.filler, url)  # another device, also from step 4
    done = finish(other, url, other_page, firsts)
    assert done.status_code == 302 and done.url == submit

    refused = finish(tab, url, page, lasts)
    body = refused.content.decode()
    assert refused.status_code == 200 and STALE in body
    first = choices[0]
    assert re.search(rf'<input[^>]*name="{first["id"]}"[^>]*value="{lasts[first["id"]]}"[^>]*checked', body)
    stored = QuestionnaireResponse.objects.get(questionnaire=builtin, enterprise=enterprise, period=period)
    assert stored.revision == 1 and stored.answers == firsts


def test_the_final_submit_checks_the_revision_on_the_locked_row(hiring, enterprise, period):
    """Past the page's check (another store lands between it and done()): the owner passes the page's
    revision to the store, which refuses on the locked row; the wizard gets FormStale, nothing changes."""
    q1, q2 = qid(hiring, 1), qid(hiring, 2)
    o1, o2 = option_ids(hiring, 1)[:2]
    owner = QuestionnaireOwner(user=enterprise.filler, enterprise=enterprise, questionnaire=hiring, period=period)
    assert owner.revision() == 0
    owner.expected_revision = 0
    store(hiring, enterprise, period, {q1: o1, q2: "接口填的"})
    with pytest.raises(FormStale) as refused:
        wizard_finish(owner=owner, answers={q1: o2, q2: "旧页面填的"}, actor=enterprise.filler)
    assert refused.value.revision == 1
    assert QuestionnaireResponse.objects.get().answers[q2] == "接口填的"


# -- questionnaire_response_store -------------------------------------------------------------

def test_every_store_adds_one_and_a_stale_expected_revision_changes_nothing(hiring, enterprise, period):
    q2 = qid(hiring, 2)
    assert store(hiring, enterprise, period, {q2: "第一版"}, expected_revision=0).revision == 1
    assert store(hiring, enterprise, period, {q2: "第二版"}).revision == 2
    with pytest.raises(services.QuestionnaireStale) as refused:
        store(hiring, enterprise, period, {q2: "旧版"}, expected_revision=1)
    assert refused.value.revision == 2 and STALE in refused.value.message
    assert isinstance(refused.value, services.QuestionnaireClosed)  # the refusal the views and the API handle
    saved = QuestionnaireResponse.objects.get()
    assert (saved.revision, saved.answers) == (2, {q2: "第二版"})
    with pytest.raises(services.QuestionnaireStale):
        store(hiring, enterprise, period, {q2: "以为没答过"}, expected_revision=0)
    assert store(hiring, enterprise, period, {q2: "第三版"}, expected_revision=2).revision == 3


def test_a_stale_first_store_leaves_no_answers_behind(hiring, enterprise, period):
    with pytest.raises(services.QuestionnaireStale) as refused:
        store(hiring, enterprise, period, {qid(hiring, 2): "x"}, expected_revision=4)
    assert refused.value.revision == 0 and not QuestionnaireResponse.objects.exists()


def test_a_closed_month_is_still_closed_not_stale(monthly, enterprise, period):
    report_type, builtin = monthly
    Builder(report_type, builtin).submitted(enterprise, period)  # answered (revision 1), report 待审核
    with pytest.raises(services.QuestionnaireClosed) as refused:
        store(builtin, enterprise, period, {}, expected_revision=0)
    assert not isinstance(refused.value, services.QuestionnaireStale) and "待审核" in refused.value.message


@needs_server_database
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_stores_make_one_response_without_integrity_error(hiring, enterprise, period):
    q2 = qid(hiring, 2)

    def answer(text, **kwargs):
        return lambda: store(hiring, enterprise, period, {q2: text}, **kwargs)

    winner, loser = race(answer("先到的"), answer("后到的"))
    assert isinstance(winner, QuestionnaireResponse) and isinstance(loser, QuestionnaireResponse), (winner, loser)
    saved = QuestionnaireResponse.objects.get()
    assert (saved.revision, saved.answers[q2]) == (2, "后到的")  # no token: a normal store over the first

    QuestionnaireResponse.objects.all().delete()
    winner, loser = race(answer("先到的", expected_revision=0), answer("后到的", expected_revision=0))
    assert isinstance(winner, QuestionnaireResponse), winner
    assert isinstance(loser, services.QuestionnaireStale) and loser.revision == 1, loser
    saved = QuestionnaireResponse.objects.get()
    assert (saved.revision, saved.answers[q2]) == (1, "先到的")
