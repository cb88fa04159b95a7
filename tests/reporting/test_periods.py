"""The period convention (reporting.periods): a quarter or a year is the first day of its last month."""
import datetime

import pytest
from django.utils import translation

from reporting.periods import (period_current, period_due, period_is_open, period_key, period_label, period_of,
                               period_parse, period_previous, period_start, period_valid, periods_between)

D = datetime.date


def test_a_period_is_its_last_month():
    assert period_of("monthly", D(2026, 8, 15)) == D(2026, 8, 1)
    assert [period_of("quarterly", D(2026, m, 9)) for m in (1, 3, 4, 8, 12)] == [
        D(2026, 3, 1), D(2026, 3, 1), D(2026, 6, 1), D(2026, 9, 1), D(2026, 12, 1)]
    assert period_of("annual", D(2026, 2, 1)) == D(2026, 12, 1)
    assert period_valid("quarterly", D(2026, 9, 1)) and not period_valid("quarterly", D(2026, 7, 1))
    assert not period_valid("quarterly", D(2026, 9, 2))
    assert period_valid("annual", D(2026, 12, 1)) and not period_valid("annual", D(2026, 1, 1))
    assert period_start("quarterly", D(2026, 9, 1)) == D(2026, 7, 1)
    assert period_start("annual", D(2026, 12, 1)) == D(2026, 1, 1)
    assert period_previous("quarterly", D(2026, 3, 1)) == D(2025, 12, 1)
    assert period_previous("annual", D(2026, 12, 1)) == D(2025, 12, 1)


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "annual"])
def test_keys_round_trip_through_parse(frequency):
    periods = [p for p in (D(y, m, 1) for y in (2000, 2025, 2026, 2100) for m in range(1, 13)) if period_valid(frequency, p)]
    assert periods
    for period in periods:
        assert period_parse(period_key(period), frequency) == period
        assert period_parse(period_key(period)) == period


def test_quarters_and_years_parse_from_their_own_notation():
    assert period_parse("2026-Q3", "quarterly") == period_parse("2026q3", "quarterly") == D(2026, 9, 1)
    assert period_parse("2026", "annual") == D(2026, 12, 1)
    # Not one of the frequency's periods, or not a period at all: None (the caller names the field).
    assert period_parse("2026-07", "quarterly") is None
    assert period_parse("2026-01", "annual") is None
    assert period_parse("2026-Q5", "quarterly") is None
    assert period_parse("1999", "annual") is None
    assert period_parse("2026-Q3") is None and period_parse("2026") is None  # without a frequency: months only
    assert period_parse("2026-13") is None and period_parse("") is None


def test_labels_follow_the_frequency_in_both_languages():
    cases = [("monthly", D(2026, 5, 1)), ("quarterly", D(2026, 9, 1)), ("annual", D(2026, 12, 1))]
    with translation.override("zh-hans"):
        assert [period_label(f, p) for f, p in cases] == ["2026年05月", "2026年第3季度", "2026年度"]
    with translation.override("en"):
        assert [period_label(f, p) for f, p in cases] == ["2026-05", "2026 Q3", "2026"]


@pytest.mark.django_db
def test_quarterly_due_date_window_and_periods(report_type):
    report_type.frequency = "quarterly"
    on = D(2026, 10, 15)
    assert period_current(report_type, on) == D(2026, 9, 1)
    assert period_current(report_type, D(2026, 9, 30)) == D(2026, 6, 1)  # Q3 is not over
    assert period_due(report_type, D(2026, 9, 1)) == D(2026, 10, 20)
    assert period_is_open(report_type, D(2026, 9, 1), on)
    assert not period_is_open(report_type, D(2026, 7, 1), on)  # a first month stands for no quarter
    assert not period_is_open(report_type, D(2026, 12, 1), on)  # not over yet
    assert periods_between(report_type, D(2026, 1, 1), D(2026, 11, 1)) == [D(2026, 9, 1), D(2026, 6, 1), D(2026, 3, 1)]


@pytest.mark.django_db
def test_annual_due_date_window_and_periods(report_type):
    report_type.frequency = "annual"
    on = D(2027, 1, 10)
    assert period_current(report_type, on) == D(2026, 12, 1)
    assert period_current(report_type, D(2026, 12, 31)) == D(2025, 12, 1)
    assert period_due(report_type, D(2026, 12, 1)) == D(2027, 1, 20)
    assert period_is_open(report_type, D(2026, 12, 1), on)
    assert not period_is_open(report_type, D(2025, 12, 1), on)  # back-fill: the current and the previous year
    assert not period_is_open(report_type, D(2026, 1, 1), on)
    assert periods_between(report_type, D(2024, 1, 1), D(2026, 12, 1)) == [D(2026, 12, 1), D(2025, 12, 1), D(2024, 12, 1)]
