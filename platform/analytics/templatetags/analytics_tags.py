import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template

from ..queries.base import Percent

register = template.Library()


@register.filter
def cell(value):
    """A query cell as text: blanks for None, percentages with % and two decimals, counts and amounts
    with thousands separators (12,345; 1,234,567.89), amounts to at most two decimals."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value:,.2f}%"
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal):
        q = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{q:,.0f}" if q == q.to_integral_value() else f"{q:,.2f}"
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return value


@register.filter
def is_number(value):
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
