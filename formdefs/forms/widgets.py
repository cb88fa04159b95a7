"""Widgets and messages shared by the builder."""
import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _


def field_messages(label: str, **extra) -> dict:
    """Django error messages that name the field (`工业总产值 · 本年本月：请输入有效的值`).

    A number's limits and digits have the engine's words (`engine.numbers.NumberRule.messages`)."""
    keep = {"limit_value": "%(limit_value)s", "max": "%(max)s", "value": "%(value)s"}
    messages = {
        "required": _("%(label)s is required.") % {"label": label},
        "invalid": _("%(label)s: enter a valid value.") % {"label": label},
        "invalid_choice": _("%(label)s: select a valid choice.") % {"label": label, **keep},
        "invalid_list": _("%(label)s: select a valid choice.") % {"label": label},
        "min_value": _("%(label)s must be at least %(limit_value)s.") % {"label": label, **keep},
        "max_value": _("%(label)s must be at most %(limit_value)s.") % {"label": label, **keep},
        "max_length": _("%(label)s must have at most %(limit_value)s characters.") % {"label": label, **keep},
        "min_length": _("%(label)s must have at least %(limit_value)s characters.") % {"label": label, **keep},
        "step_size": _("%(label)s: enter a valid value.") % {"label": label},
    }
    messages.update(extra)
    return messages


class NumberInput(forms.TextInput):
    """A text input with a numeric keyboard on phones; `type=number` would drop invalid text silently."""

    def __init__(self, attrs=None, decimal=True):
        base = {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        return value.strftime("%Y-%m-%dT%H:%M") if isinstance(value, datetime.datetime) else value


class CascadeWidget(forms.HiddenInput):
    """A hidden input holding the chosen code; the template draws one select per level."""

    def __init__(self, source, levels, attrs=None):
        super().__init__(attrs)
        self.source, self.levels = source, levels


def jsonable(value):
    """Cleaned values as JSON answers: Decimal → float, dates → ISO strings."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def peek_number(raw):
    """Lenient reading of a typed number for live visibility (no validation)."""
    if raw in (None, ""):
        return None
    try:
        return float(str(raw).replace(",", ""))
    except ValueError:
        return None
