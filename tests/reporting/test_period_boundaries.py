"""The boundaries of the calendar, on the clock (issue 22): the 1st of a month, the due day and the day after,
a quarter, 31 December → 1 January.

Each case travels with `@pytest.mark.today` (tests/conftest.py), so the code reads the day from the clock as
in production: `period_current`, `period_is_open` and `period_due` without `on`, the portal's 当期报送, home
and 历史报送 pages, the import page's months, saving a report, and the automatic reminders. Moments just
after midnight matter: at 00:30 in Shanghai UTC is still on the day before.
"""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReportType
from reporting.periods import month_add, period_current, period_due, period_is_open, period_label, today
from reporting.services import ReportRefused

pytestmark = pytest.mark.django_db
D = datetime.date


def on(moment: str, *values):
    return pytest.param(moment, *values, marks=pytest.mark.today(moment), id=moment)


def typed(report_type, frequency: str) -> ReportType:
    """A report type of `frequency` on the monthly definition, created after it (so not the portal's default)."""
    return ReportType.objects.create(key=f"sme_{frequency}", title=f"中小企业{frequency}报", frequency=frequency,
                                     definition=report_type.definition)


@pytest.fixture
def web(client, filler, report_type):
    client.force_login(filler)
    return client


@pytest.mark.parametrize("moment, day, monthly, quarterly, annual", [
    on("2026-11-30T23:59", D(2026, 11, 30), D(2026, 10, 1), D(2026, 9, 1), D(2025, 12, 1)),
    on("2026-12-01T00:30", D(2026, 12, 1), D(2026, 11, 1), D(2026, 9, 1), D(2025, 12, 1)),  # 1st: UTC still 30 Nov
    on("2026-09-30T23:30", D(2026, 9, 30), D(2026, 8, 1), D(2026, 6, 1), D(2025, 12, 1)),  # Q3 not over
    on("2026-10-01T00:30", D(2026, 10, 1), D(2026, 9, 1), D(2026, 9, 1), D(2025, 12, 1)),  # Q3 just over
    on("2026-12-31T23:30", D(2026, 12, 31), D(2026, 11, 1), D(2026, 9, 1), D(2025, 12, 1)),
    on("2027-01-01T00:30", D(2027, 1, 1), D(2026, 12, 1), D(2026, 12, 1), D(2026, 12, 1)),  # UTC still 2026
])
def test_the_current_period_turns_on_the_local_day(report_type, moment, day, monthly, quarterly, annual):
    assert today() == timezone.localdate() == datetime.date.today() == day
    types = {"monthly": report_type, "quarterly": typed(report_type, "quarterly"), "annual": typed(report_type, "annual")}
    for (frequency, current) in (("monthly", monthly), ("quarterly", quarterly), ("annual", annual)):
        report_type = types[frequency]
        assert period_current(report_type) == current, frequency
        assert period_is_open(report_type, current), frequency
        # The period in progress is not open, on its last evening as on its first morning.
        in_progress = month_add(current, {"monthly": 1, "quarterly": 3, "annual": 12}[frequency])
        assert not period_is_open(report_type, in_progress), frequency


@pytest.mark.today("2026-12-31T23:30")
def test_saving_follows_the_window_across_midnight_on_new_year(reports, enterprise, travel):
    # The clock ticks: the last minute starts after the fixtures, so that slow set-up (a loaded CI
    # machine) never carries the test past midnight before it starts (it did from 23:59:59).
    travel.move_to("2026-12-31T23:59")
    december, last_december = D(2026, 12, 1), D(2025, 12, 1)
    with pytest.raises(ReportRefused) as refused:
        reports.save(enterprise, december)  # the month is not over
    assert "2026年12月" in refused.value.messages[0]
    assert reports.save(enterprise, last_december).period == last_december  # back-fill: last year
    travel.move_to("2027-01-01T00:00:01")
    assert reports.save(enterprise, december).period == december
    with pytest.raises(ReportRefused) as refused:
        reports.save(enterprise, D(2025, 11, 1))  # two years ago now
    assert "2025年11月" in refused.value.messages[0]


@pytest.mark.parametrize("moment, current, first, last", [
    on("2026-12-31T23:30", "2026-11", "2026-11", "2025-01"),
    on("2027-01-01T00:30", "2026-12", "2026-12", "2026-01"),  # 2025 has left the back-fill window
])
def test_current_report_and_import_months_at_the_turn_of_the_year(web, moment, current, first, last):
    response = web.get(reverse("reporting:current"))
    assert response.status_code == 302 and response.url == reverse("reporting:fill", args=["sme_monthly", current])
    assert web.get(response.url, follow=True).status_code == 200  # the wizard opens that month
    months = [value for value, _label in web.get(reverse("reporting:import")).context["form"].fields["period"].choices]
    assert (months[0], months[-1]) == (first, last)


@pytest.mark.parametrize("moment", [on("2026-11-30T23:30"), on("2026-12-01T00:30")])
def test_the_month_just_ended_opens_on_the_first(web, moment):
    response = web.get(reverse("reporting:fill", args=["sme_monthly", "2026-11"]))
    assert response.status_code == (200 if today().day == 1 else 403)


@pytest.mark.today("2027-01-01T00:30")
def test_home_shows_the_last_three_periods_across_the_year(web, reports, enterprise):
    reports.approved(enterprise, D(2026, 11, 1))
    response = web.get("/")
    assert re.findall(r'<tr data-period="([0-9-]+)">', response.content.decode()) == ["2026-12", "2026-11", "2026-10"]
    december = response.context["rows"][0]
    assert december.due == D(2027, 1, 20) and december.can_edit and december.status_label == "未填报"


@pytest.mark.parametrize("moment", [on("2027-01-01T00:30"), on("2027-01-31T23:30"), on("2027-02-01T00:30")])
def test_history_shows_the_current_period_by_default(web, report_type, moment):
    """In January the current period is last December: the default year is the current period's."""
    body = web.get(reverse("reporting:history")).content.decode()
    periods = re.findall(r'<tr data-period="([0-9-]+)">', body)
    assert periods and periods[0] == f"{period_current(report_type):%Y-%m}"


# -- the due day ---------------------------------------------------------------------------------

@pytest.mark.parametrize("moment, due_soon, late", [
    on("2026-12-16", 0, 0),  # four days before: too early
    on("2026-12-17", 3, 0),  # REMINDER_DAYS_BEFORE_DUE (3) days before
    on("2026-12-20T23:30", 3, 0),  # the due day itself: still on time
    on("2026-12-21T00:30", 0, 3),  # the day after: late, each direct reviewer is told
])
def test_automatic_reminders_around_the_due_day(report_type, admins, sms_outbox, settings, moment, due_soon, late):
    from reminders.enums import ReminderKind
    from reminders.models import ReminderDelivery
    from reminders.services import reminders_due_soon_send, reminders_overdue_escalate

    settings.REMINDER_DAYS_BEFORE_DUE = 3
    november = D(2026, 11, 1)
    assert period_current(report_type) == november and period_due(report_type, november) == D(2026, 12, 20)
    assert reminders_due_soon_send() == due_soon
    assert reminders_overdue_escalate() == late
    deliveries = ReminderDelivery.objects.all()
    assert {d.period for d in deliveries} <= {november}
    assert deliveries.filter(kind=ReminderKind.DUE_SOON).count() == due_soon
    assert deliveries.filter(kind=ReminderKind.ESCALATION).count() == late  # one row per late enterprise
    assert all("2026年12月20日" in m.text for m in sms_outbox.all())


@pytest.mark.today("2026-12-21T00:30")
def test_the_day_after_the_due_day_the_period_can_still_be_filled(web, reports, enterprise, report_type):
    november = D(2026, 11, 1)
    assert period_is_open(report_type, november)  # late, but back-filling is allowed
    submission = reports.submitted(enterprise, november)
    assert submission.status == "pending"
    row = next(r for r in web.get("/").context["rows"] if r.period == november)
    assert row.due == D(2026, 12, 20) and not row.can_edit


@pytest.mark.today("2026-12-01T00:30")
def test_a_manual_reminder_for_the_month_just_ended_and_not_the_month_in_progress(admins, enterprise, report_type,
                                                                                 sms_outbox):
    from reminders.services import ReminderRefused, reminder_send

    delivery = reminder_send(actor=admins["sme_haishu"], enterprise=enterprise, report_type=report_type,
                             period=D(2026, 11, 1))
    assert "2026年11月" in delivery.text and "2026年12月20日" in delivery.text
    with pytest.raises(ReminderRefused) as refused:
        reminder_send(actor=admins["sme_haishu"], enterprise=enterprise, report_type=report_type, period=D(2026, 12, 1))
    assert "2026-12" in refused.value.message
    assert len(sms_outbox.all()) == 1


# -- a quarter -----------------------------------------------------------------------------------

@pytest.mark.today("2026-12-31T23:30")
def test_a_quarter_opens_when_its_last_month_ends(report_type, enterprise, travel):
    from reporting.demo import monthly_answers
    from reporting.services import report_save

    travel.move_to("2026-12-31T23:59")  # the last minute, after the fixtures (the clock ticks)
    quarterly = typed(report_type, "quarterly")
    q4 = D(2026, 12, 1)

    def save(period):
        return report_save(report_type=quarterly, enterprise=enterprise, period=period, actor=enterprise.filler,
                           answers=monthly_answers(enterprise=enterprise, period=period))

    assert period_current(quarterly) == D(2026, 9, 1)
    with pytest.raises(ReportRefused) as refused:
        save(q4)
    assert "2026年第4季度" in refused.value.messages[0]
    travel.move_to("2027-01-01T00:00:01")
    assert period_current(quarterly) == q4 and period_due(quarterly, q4) == D(2027, 1, 20)
    assert save(q4).period == q4
    with pytest.raises(ReportRefused):
        save(D(2026, 11, 1))  # November is no quarter
    assert period_label("quarterly", q4) == "2026年第4季度"


@pytest.mark.today("2027-01-17")
def test_reminders_for_a_quarter_and_a_month_due_the_same_day(report_type, admins, sms_outbox, settings):
    from reminders.models import ReminderDelivery
    from reminders.services import reminders_due_soon_send, reminders_overdue_escalate

    settings.REMINDER_DAYS_BEFORE_DUE = 3
    quarterly = typed(report_type, "quarterly")
    assert reminders_due_soon_send() == 6  # three enterprises, two report types, both due on 20 January
    assert {(d.report_type.key, d.period) for d in ReminderDelivery.objects.all()} == {
        ("sme_monthly", D(2026, 12, 1)), (quarterly.key, D(2026, 12, 1))}
    assert reminders_overdue_escalate() == 0
    texts = [m.text for m in sms_outbox.all()]
    assert sum("2026年第4季度" in t for t in texts) == 3  # the quarter by its name, not as a month
    assert sum("2026年12月的中小企业生产经营运行监测月报" in t for t in texts) == 3
