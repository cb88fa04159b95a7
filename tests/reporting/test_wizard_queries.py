"""Query counts of the report wizard's step pages, the costliest pages of the deadline journey (issue 18 §6,
bench/profile_pages.py): the rule context is built once per request, a region's chain is one query."""
import pytest

from reporting.owners import ReportOwner
from tests.reporting.test_wizard_progress import post_step, urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


def test_the_rule_context_is_built_once_per_owner(filler, enterprise, report_type, period, django_assert_num_queries):
    owner = ReportOwner(user=filler, enterprise=enterprise, report_type=report_type, period=period)
    first = owner.rule_context()
    with django_assert_num_queries(0):
        assert owner.rule_context() is first


def test_a_county_chain_is_one_query(demo_core, django_assert_num_queries):
    from formdefs.reference import SOURCES

    with django_assert_num_queries(1):
        assert SOURCES["region"].chain("330203") == ["330000", "330200", "330203"]


# Measured after the fix on SQLite (bench/profile_pages.py gives the same counts on the surge's journey);
# each was 2-4 higher when the rule context was built twice and a county's chain took three queries.
# A page showing the indicator grid reads the approved reports it carries from (带入上期) and the facts of its
# sparklines (reporting.carry): +2. Opening the form first looks for the period's report (a report under
# review opens its detail page instead, issue 21 §3): +1.
OPEN, SAVE_BASIC, NEXT_BASIC, SAVE_INDICATORS = 32, 58, 37, 33


# Measured on a 当期 without the quarterly indicators: in a quarter month (当期 2, 5, 8, 11, 12) the
# indicators step saves more facts, one more bulk INSERT batch on SQLite.
@pytest.mark.today("2026-11-18")
def test_wizard_step_posts_stay_within_their_query_budget(web, reports, enterprise, period,
                                                          django_assert_max_num_queries):
    fill, _submit = urls(period)
    answers = reports.answers(enterprise, period)
    with django_assert_max_num_queries(OPEN):
        page = web.get(fill)
    assert page.status_code == 200
    with django_assert_max_num_queries(SAVE_BASIC):
        saved = post_step(web, fill, page, answers, wizard_action="save")
    assert saved.status_code == 200 and "已保存" in saved.content.decode()
    with django_assert_max_num_queries(NEXT_BASIC):
        indicators = post_step(web, fill, saved, answers, wizard_action="next")
    assert 'value="indicators"' in indicators.content.decode()
    with django_assert_max_num_queries(SAVE_INDICATORS):
        saved = post_step(web, fill, indicators, answers, wizard_action="save")
    assert saved.status_code == 200 and "已保存" in saved.content.decode()
