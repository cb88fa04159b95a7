"""Reading one workbook cell as an answer: numbers, text, and why a cell cannot be taken.

A leaf module (no models, no forms), so that field types (`formdefs.types`) can read their own template
cells and the engine can import the types without the Excel layer.
"""
import math
import re

_NUMBER_TEXT = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
#: Yes / no as typed by hand in either language (the template offers 是 / 否 from a list).
YES, NO = {"是", "yes", "y", "true", "1"}, {"否", "no", "n", "false", "0"}


class NotANumber(ValueError):
    pass


class NotAWholeNumber(ValueError):
    pass


class NotAChoice(ValueError):
    pass


def cell_number(value, *, integer: bool = False):
    """The number in a cell: None when empty; NotANumber / NotAWholeNumber otherwise.

    Only numbers are accepted (a number cell, or text of digits, one decimal point and a leading
    minus sign, as SPEC §5 says); booleans, dates and other text are refused.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, str):
        text = value.strip()
        if not _NUMBER_TEXT.match(text):
            raise NotANumber(value)
        value = float(text)
    if not isinstance(value, (int, float)) or (isinstance(value, float) and not math.isfinite(value)):
        raise NotANumber(value)
    if integer:
        if not float(value).is_integer():
            raise NotAWholeNumber(value)
        return int(value)
    return float(value)


def cell_text(value) -> str | None:
    """The text in a cell (numbers typed into a text column become their plain text), None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value).strip()
    return text or None
