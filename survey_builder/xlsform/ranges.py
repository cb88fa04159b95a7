"""评分题 (formdefs.types.rating) as XLSForm's `range`, both ways.

    stars 1–N   ↔ range, parameters "start=1 end=N step=1", appearance rating
    NPS 0–10    ↔ range, parameters "start=0 end=10 step=1"

XLSForm has no column for the names of a scale's ends (很不满意 … 非常满意), so they travel as the hint's
last line, 「1 = 很不满意 · 5 = 非常满意」 (in each language), which the reader takes back out of the hint.
Any other range (another start, a step, decimals) is a number, not a rating: the reader refuses it.
"""
import re

from django.utils.translation import gettext as _

from formdefs.types.rating import NPS, scale_values

MAX_STARS = 10
ENDS_SEPARATOR = " · "
ENDS_LINE = re.compile(r"^(?P<low_value>\d+) = (?P<low>.+?) · (?P<high_value>\d+) = (?P<high>.+)$")
PARAMETER = re.compile(r"^\s*(start|end|step)\s*=\s*(-?\d+(?:\.\d+)?)\s*$")


def rating_parameters(spec: dict) -> tuple[str, str]:
    """(parameters, appearance) of a rating field's `range` row."""
    values = scale_values(spec)
    appearance = "" if spec.get("scale") == NPS else "rating"
    return f"start={values[0]} end={values[-1]} step=1", appearance


def rating_hint(spec: dict, hint: str, language: str = "") -> str:
    """The hint with the ends' names as its last line (`language` "" or "_en")."""
    low, high = spec.get(f"low{language}") or "", spec.get(f"high{language}") or ""
    if not (low and high):
        return hint
    values = scale_values(spec)
    line = f"{values[0]} = {low}{ENDS_SEPARATOR}{values[-1]} = {high}"
    return f"{hint}\n{line}" if hint else line


def rating_ends(hint: str) -> tuple[str, str, str]:
    """(hint without the ends' line, low, high) of a range row's hint."""
    lines = (hint or "").split("\n")
    match = ENDS_LINE.match(lines[-1].strip()) if lines else None
    if not match:
        return hint, "", ""
    return "\n".join(lines[:-1]).strip(), match["low"].strip(), match["high"].strip()


def rating_read(parameters: str) -> tuple[object, str]:
    """(scale, problem) of a `range` row: scale 2–10 (stars from 1) or "nps" (0–10); problem "" when read."""
    found = {}
    for part in (parameters or "").split():
        match = PARAMETER.match(part)
        if not match:
            return None, _("write the parameters as “start=1 end=5 step=1”.")
        found[match.group(1)] = match.group(2)
    start, end, step = found.get("start", "0"), found.get("end", "10"), found.get("step", "1")
    if step != "1" or not start.lstrip("-").isdigit() or not end.lstrip("-").isdigit():
        return None, _("only whole-number ranges with step 1 can be a rating question.")
    start, end = int(start), int(end)
    if start == 0 and end == 10:
        return NPS, ""
    if start == 1 and 2 <= end <= MAX_STARS:
        return end, ""
    return None, _("a rating is 1 to at most %(max)s stars (start=1) or a 0–10 recommendation score (start=0 end=10).") % {
        "max": MAX_STARS}
