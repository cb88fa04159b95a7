"""seed_demo is built relative to today on purpose (issue 22): what its docstrings promise holds on any day.

Each case travels (tests/conftest.py: `@pytest.mark.today`) and runs the whole demo with its reports, as
`bin/run` does: mid-month, 31 December late at night, 1 January just after midnight (UTC still in the old
year), the 1st of February (当期 is January, with January's rules), a month whose 当期 carries the quarterly
indicators, and May (the 数据异常 report three months back falls in January).
"""
import datetime
import os

import pytest
from django.urls import reverse

from reporting.periods import month_add, period_current, period_due, period_is_open, today
from reporting.enums import Screening, SubmissionStatus as S

pytestmark = pytest.mark.django_db

DAYS = ["2026-11-18", "2026-12-31T23:30", "2027-01-01T00:30", "2027-02-01T00:30", "2027-03-10", "2027-05-10"]

#: (login, months back from 当期) → (status, holder's login or None, screening or None); every other one of
#: the 14 months is approved; com_demo01 has nothing in 当期 (未填报).
EXPECTED = {
    ("com_demo01", 1): (S.RETURNED, None, None),
    ("com_demo01", 2): (S.PENDING, "sme_ningbo", None),  # received once: pending one level up
    ("com_demo01", 3): (S.PENDING, "sme_haishu", Screening.ANOMALOUS),  # 数据异常
    ("com_demo02", 0): (S.EDITING, None, None),
    ("com_demo02", 1): (S.PENDING, "sme_ningbo", None),
    ("com_demo02", 2): (S.RETURNED, None, None),
    ("com_demo02", 5): (S.EDITING, None, None),  # withdrawn
    ("com_demo03", 0): (S.PENDING, "sme_zhejiang", None),
    ("com_demo03", 1): (S.UNFROZEN, None, None),
    ("com_demo03", 2): (S.FROZEN, None, None),
}


def on(day: str):
    return pytest.param(day, marks=pytest.mark.today(day), id=day)


@pytest.mark.parametrize("day", [on(d) for d in DAYS])
def test_the_demo_reports_keep_their_promises_on_any_day(day, demo_reports, client):
    from accounts.models import User
    from reporting.demo import DEMO_MONTHS, REPORT_KEY
    from reporting.models import ReportType, Submission
    from survey_builder.models import Questionnaire, QuestionnaireResponse
    from workflow.models import ReviewEvent
    from workflow.enums import Action

    assert today().isoformat() == day[:10]
    report_type = ReportType.objects.get(key=REPORT_KEY)
    current = period_current(report_type)
    months = [month_add(current, -back) for back in range(DEMO_MONTHS)]
    # In January the oldest two months, in February the oldest one, are outside the back-fill window.
    closed = [p for p in months if not period_is_open(report_type, p)]
    assert closed == months[len(months) - {1: 2, 2: 1}.get(today().month, 0):]
    questionnaire = Questionnaire.objects.get(code="001")
    assert questionnaire.starts_on <= months[-1] and questionnaire.ends_on >= today()
    for login in ("com_demo01", "com_demo02", "com_demo03"):
        user = User.objects.get(username=login)
        rows = {s.period: s for s in Submission.objects.filter(enterprise__filler=user).select_related("holder__user")}
        expected_periods = set(months) - ({current} if login == "com_demo01" else set())
        assert set(rows) == expected_periods, login
        for back, period in enumerate(months):
            if period not in rows:
                continue
            status, holder, screening = EXPECTED.get((login, back), (S.APPROVED, None, None))
            submission = rows[period]
            assert submission.status == status, (login, back, period)
            if holder:
                assert submission.holder.user.username == holder, (login, back)
            if screening:
                assert submission.screening == screening, (login, back)
            assert QuestionnaireResponse.objects.filter(questionnaire=questionnaire, enterprise=submission.enterprise,
                                                        period=period).exists()
        # 当期报送 opens the demo's current period.
        client.force_login(user)
        response = client.get(reverse("reporting:current"))
        assert response.status_code == 302 and response.url == reverse("reporting:fill", args=[REPORT_KEY, f"{current:%Y-%m}"])
    withdrawn = Submission.objects.get(enterprise__filler__username="com_demo02", period=months[5])
    assert ReviewEvent.objects.filter(submission=withdrawn, action=Action.WITHDRAW).exists()


@pytest.mark.parametrize("day", [on(d) for d in DAYS])
def test_the_demo_filing_tasks_are_open_for_the_current_period(day, demo):
    from filing.demo import REPORT_KEY
    from filing.enums import TaskStatus
    from filing.models import FilingTask
    from reporting.models import ReportType

    report_type = ReportType.objects.get(key=REPORT_KEY)
    current = period_current(report_type)
    tasks = FilingTask.objects.filter(report_type=report_type)
    assert {(t.period, t.status, t.due_date) for t in tasks} == {(current, TaskStatus.OPEN, period_due(report_type, current))}
    assert sorted(t.issuing_region.name for t in tasks) == ["宁波市", "浙江省"]
    assert all(f"{current.year}年{current.month}月" in t.title for t in tasks)


@pytest.mark.today("2027-01-01T00:30")
def test_seeding_again_the_same_day_adds_nothing(demo_reports):
    from accounts.demo import seed_demo
    from reporting.models import Submission

    count = Submission.objects.count()
    assert seed_demo() == []
    assert Submission.objects.count() == count


@pytest.mark.skipif(bool(os.environ.get("SME_TEST_TODAY")), reason="SME_TEST_TODAY moves the default day on purpose")
def test_the_pinned_day_is_a_wednesday_mid_month_before_the_due_day():
    """The suite's default day (tests/conftest.py: PINNED_NOW) is what its comment says."""
    day = today()
    assert (day, day.isoweekday(), datetime.date.today()) == (datetime.date(2026, 11, 18), 3, day)
