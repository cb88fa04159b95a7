"""Report periods: months, due dates and the back-fill window (SPEC §5 "Deadlines")."""
import datetime

from django.utils import timezone

from .enums import Frequency


def month_start(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, 1)


def month_add(period: datetime.date, months: int) -> datetime.date:
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_parse(text: str) -> datetime.date | None:
    """`2026-10` → 2026-10-01; None when it is not a month."""
    try:
        year, month = (int(p) for p in (text or "").split("-", 1))
        return datetime.date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def today() -> datetime.date:
    return timezone.localdate()


def period_current(report_type, on: datetime.date | None = None) -> datetime.date:
    """当期: the latest finished period of the report type's frequency (last month for monthly reports)."""
    period = month_add((on or today()).replace(day=1), -1)
    while not Frequency(report_type.frequency).covers(period.month):
        period = month_add(period, -1)
    return period


def period_due(report_type, period: datetime.date) -> datetime.date:
    """Due by `due_day` of the following month."""
    following = month_add(period, 1)
    return following.replace(day=min(report_type.due_day, 28))


def period_is_open(report_type, period: datetime.date, on: datetime.date | None = None) -> bool:
    """Open for filling: a finished period of the frequency, in the current year or the back-fill years."""
    on = on or today()
    return (Frequency(report_type.frequency).covers(period.month)
            and period <= period_current(report_type, on)
            and period.year >= on.year - report_type.backfill_years)


def periods_between(report_type, first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The report type's periods from `last` back to `first`, newest first."""
    out, period = [], last
    while period >= first:
        if Frequency(report_type.frequency).covers(period.month):
            out.append(period)
        period = month_add(period, -1)
    return out
