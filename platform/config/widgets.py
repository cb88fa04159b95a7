"""The one date input of the platform: yyyy-mm-dd typed as text, whatever the browser's locale.

A native date input shows the browser's own format (mm/dd/yyyy on an en-US Chromium, even on a
Chinese page), and Django's localized parsing reads 11/22/2026 as an American date in English.
Every form, the portal's, the back office's and the form engine's, uses `IsoDateField` instead,
so a date looks and parses the same everywhere.
"""
import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _

#: Year first only: 2026-11-22, 2026/11/22. A month-first date is refused, never guessed.
ISO_DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
ISO_DATE_FORMAT = "%Y-%m-%d"
#: Eight digits (20261122): what a phone's numeric keypad, which may have no "-", can type.
COMPACT_DATE = re.compile(r"\d{8}")


def date_invalid_message(label) -> str:
    """`开业时间：请按 年-月-日 填写日期，如 2026-11-22。` The message of a date that does not parse."""
    if not label:
        return gettext("Enter a date as yyyy-mm-dd, for example 2026-11-22.")
    return gettext("%(label)s: enter a date as yyyy-mm-dd, for example 2026-11-22.") % {"label": label}


class IsoDateInput(forms.DateInput):
    """A text input showing yyyy-mm-dd, with the numeric keypad on phones.

    No `pattern` attribute: most forms are `novalidate`, and where they are not the browser's own
    bubble would speak the browser's language; the server's message names the field in the user's.
    """

    input_type = "text"

    def __init__(self, attrs=None, format=None):
        base = {"inputmode": "numeric", "placeholder": _("yyyy-mm-dd"), "autocomplete": "off", "maxlength": "10"}
        super().__init__({**base, **(attrs or {})}, format=format or ISO_DATE_FORMAT)


class IsoDateField(forms.DateField):
    """A date field that takes yyyy-mm-dd (or 20261122) and refuses anything else with a message naming the field."""

    widget = IsoDateInput
    input_formats = ISO_DATE_INPUT_FORMATS

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if "invalid" not in (kwargs.get("error_messages") or {}):
            # Lazy: the label is shown in the language of the request that renders the error.
            self.error_messages["invalid"] = lazy(lambda: date_invalid_message(self.label), str)()

    def to_python(self, value):
        if isinstance(value, str) and COMPACT_DATE.fullmatch(value.strip()):
            value = value.strip()
            value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
        return super().to_python(value)


class IsoMonthInput(forms.TextInput):
    """A month typed as yyyy-mm (202610 and 2026/10 also parse: reporting.periods.period_parse).

    A native month input shows the browser's own words ("October 2026" on an en-US Chromium, even on
    a Chinese page); like the dates, months look the same everywhere. `numeric=False` for fields that
    also take a quarter (2026-Q3)."""

    def __init__(self, attrs=None, numeric: bool = True):
        base = {"placeholder": _("yyyy-mm"), "autocomplete": "off", "maxlength": "7"}
        if numeric:
            base["inputmode"] = "numeric"
        super().__init__({**base, **(attrs or {})})
