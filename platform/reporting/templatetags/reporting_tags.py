"""Report periods in templates: the label (2026年10月 / 2026年第3季度 / 2026年度) from `reporting.periods`.

URLs keep `period_key`; only what people read goes through `period_label`.
"""
import datetime

from django import template

from reporting import periods
from reporting.enums import Frequency

register = template.Library()


@register.filter
def period_label(value, frequency=None) -> str:
    """`{{ submission|period_label }}` for anything with `report_type` and `period` (a submission, a
    history row), or `{{ period|period_label:report_type.frequency }}` for a bare date (monthly when no
    frequency is given). A month that is not one of the frequency's periods (a review list asked for
    2026-08 of a quarterly report) reads as that month, not as the quarter around it."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.date):
        value, frequency = value.period, value.report_type.frequency
    frequency = frequency or Frequency.MONTHLY
    if not periods.period_valid(frequency, value):
        frequency = Frequency.MONTHLY
    return periods.period_label(frequency, value)


@register.filter
def office(user_or_profile) -> str:
    """`{{ event.actor|office }}` / `{{ event.to_holder|office }}`: who acted or holds a report as an
    enterprise reads it: an administrator's office (海曙区经济和信息化局), an enterprise user's login name."""
    from accounts.models import AdministratorProfile
    from accounts.selectors import administrator_office, user_office

    if isinstance(user_or_profile, AdministratorProfile):
        return administrator_office(user_or_profile)
    return user_office(user_or_profile)
