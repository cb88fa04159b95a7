"""Report periods (报告期): which date stands for a period, its key and label, its due date and the
back-fill window (SPEC §5 "Deadlines"). The one place that owns the convention; the monthly report,
filing tasks (填报任务), imports, reminders, questionnaires, analytics and the API call these functions.

The convention: a period is stored, compared and passed around as the first day of its **last month**.

- 月度 monthly: the month itself — 2026年05月 is 2026-05-01;
- 季度 quarterly: the quarter's last month — 2026年第3季度 is 2026-09-01 (March, June, September, December);
- 年度 annual: December — 2026年度 is 2026-12-01.

Why the last month: SPEC §5 makes every period due by a day of the month after it (`period_due` is one
rule for every frequency), quarterly figures are period-end figures (本报告期末, as the quarterly
indicators reported with the December report), and everything else keys periods by month (the facts
table, the review list, imports, reminders, the API's `YYYY-MM`), so a quarter's or a year's report sits
on the key of the month that closes it. Filing tasks once used the quarter's or year's first month;
migration `filing.0002_period_is_last_month` moved them and their reports.

Keys (URLs, the API, Excel): `YYYY-MM` of that date for every frequency (`period_key`);
`period_parse(text, frequency)` also reads `2026-Q3` and `2026`. Labels: `period_label`.
"""
import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _, pgettext

from .enums import Frequency

#: Months in one period of each frequency.
PERIOD_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


def month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def month_add(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _year_ok(year: int) -> bool:
    return 2000 <= year <= 2100


def period_of(frequency: str, day: datetime.date) -> datetime.date:
    """The period of `frequency` that contains `day` (2026-08-15, quarterly → 2026-09-01)."""
    months = PERIOD_MONTHS[Frequency(frequency)]
    last_month = ((day.month - 1) // months + 1) * months
    return datetime.date(day.year, last_month, 1)


def period_valid(frequency: str, period: datetime.date) -> bool:
    """Whether `period` is the date that stands for a period of `frequency` (first day of its last month)."""
    return period.day == 1 and Frequency(frequency).covers(period.month)


def period_start(frequency: str, period: datetime.date) -> datetime.date:
    """The first day of the period (2026-09-01, quarterly → 2026-07-01)."""
    return month_add(period_of(frequency, period), 1 - PERIOD_MONTHS[Frequency(frequency)])


def period_previous(frequency: str, period: datetime.date) -> datetime.date:
    """The period before `period` of the same frequency (the previous quarter of a quarter)."""
    return month_add(period_of(frequency, period), -PERIOD_MONTHS[Frequency(frequency)])


def period_key(period: datetime.date) -> str:
    """`2026-09`: the period's key in URLs, the API and Excel, for every frequency."""
    return f"{period:%Y-%m}"


_COMPACT_MONTH = re.compile(r"\d{6}")


def period_parse(text: str, frequency: str | None = None) -> datetime.date | None:
    """`2026-10` (or `2026/10`, `202610`) → 2026-10-01; None when it is not a month (never month first).

    With a `frequency`, also `2026-Q3` / `2026Q3` (quarterly) and `2026` (annual), and None unless the
    result is one of the frequency's periods (`2026-07` is not a quarter: the quarter is `2026-09`).
    """
    text = (text or "").strip()
    period = None
    if frequency == Frequency.QUARTERLY and (match := _QUARTER.match(text)):
        year, quarter = int(match[1]), int(match[2])
        period = datetime.date(year, quarter * 3, 1) if _year_ok(year) else None
    elif frequency == Frequency.ANNUAL and (match := _YEAR.match(text)):
        year = int(match[1])
        period = datetime.date(year, 12, 1) if _year_ok(year) else None
    else:
        if _COMPACT_MONTH.fullmatch(text):  # 202610: what a phone's numeric keypad types
            text = f"{text[:4]}-{text[4:]}"
        try:
            year, month = (int(p) for p in text.replace("/", "-").split("-", 1))
            period = datetime.date(year, month, 1) if _year_ok(year) else None
        except ValueError:
            return None
    if period is not None and frequency is not None and not period_valid(frequency, period):
        return None
    return period


def period_label(frequency: str, period: datetime.date) -> str:
    """2026年05月 / 2026年第3季度 / 2026年度 (English: 2026-05 / 2026 Q3 / 2026), by the frequency."""
    period = period_of(frequency, period)
    if frequency == Frequency.QUARTERLY:
        return _("%(year)d Q%(quarter)d") % {"year": period.year, "quarter": period.month // 3}
    if frequency == Frequency.ANNUAL:
        return pgettext("annual report period", "%(year)d") % {"year": period.year}
    return _("%(year)d-%(month)02d") % {"year": period.year, "month": period.month}


def today() -> datetime.date:
    return timezone.localdate()


def period_current(report_type, on: datetime.date | None = None) -> datetime.date:
    """当期: the latest finished period of the report type's frequency (last month for monthly reports,
    the last finished quarter or year otherwise)."""
    return period_previous(report_type.frequency, (on or today()).replace(day=1))


def period_due(report_type, period: datetime.date) -> datetime.date:
    """Due by `due_day` of the month after the period (after its last month)."""
    following = month_add(period_of(report_type.frequency, period), 1)
    return following.replace(day=min(report_type.due_day, 28))


def period_is_open(report_type, period: datetime.date, on: datetime.date | None = None) -> bool:
    """Open for filling: a finished period of the frequency, in the current year or the back-fill years."""
    on = on or today()
    return (period_valid(report_type.frequency, period)
            and period <= period_current(report_type, on)
            and period.year >= on.year - report_type.backfill_years)


def periods_between(report_type, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The report type's periods from `last` back to `first`, newest first."""
    out, period = [], period_of(report_type.frequency, last)
    if period > last:
        period = period_previous(report_type.frequency, period)
    while period >= first:
        out.append(period)
        period = period_previous(report_type.frequency, period)
    return out
