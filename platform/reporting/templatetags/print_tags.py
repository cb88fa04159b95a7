"""How a report's tables read on the detail page and on paper (issue 21 §3 print): numbers with
thousands separators (12,345.6), a grid's unit said once above it (「单位：万元」) when every row has the
same one, and the marks and signature block of an official statistical form.

The presenter (`reporting.presenters.answers_present`) gives cells as plain text ("12345.6"); these
filters only change how they are written, so every page that shows the blocks reads the same.
"""
import re

from django import template

register = template.Library()

_NUMBER = re.compile(r"^(-?)(\d+)(\.\d+)?$")


def grouped(text) -> str:
    """「12345.6」 → 「12,345.6」; anything that is not a plain number stays as it is (—, text, codes)."""
    match = _NUMBER.match(str(text)) if text not in (None, "") else None
    if match is None:
        return "" if text is None else text
    sign, whole, fraction = match.groups()
    if len(whole) > 1 and whole.startswith("0"):
        return text  # a code written with digits (0101), not a quantity
    return f"{sign}{int(whole):,}{fraction or ''}"


@register.filter
def thousands(value):
    return grouped(value)


@register.filter
def common_unit(block) -> str:
    """The unit of a grid when every row has the same one (then said once above the table), else ''."""
    if getattr(block, "kind", "") != "grid" or not block.rows:
        return ""
    units = {row.get("unit", "") for row in block.rows}
    return units.pop() if len(units) == 1 else ""


@register.filter
def printed_rows(block):
    """The rows of a grid or table block as (text, flagged, is a number) cells, numbers grouped: every
    cell of an indicator grid, the numeric columns of a table (`Block.numeric`; text columns such as
    产品名称 and 产品代码 stay as typed, aligned left)."""
    numeric = getattr(block, "numeric", None) or []
    out = []
    for row in block.rows:
        cells = []
        for index, (value, flagged) in enumerate(row["cells"]):
            is_number = block.kind == "grid" or (index < len(numeric) and numeric[index])
            cells.append((grouped(value) if is_number else value, flagged, is_number))
        out.append({**row, "cells": cells})
    return out
