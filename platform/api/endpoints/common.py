"""Shared pieces of the endpoints: path types, declared error responses, period parsing."""
import datetime
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path

from reporting.periods import period_parse

from ..schemas import ErrorOut

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
KEY_PATTERN = r"^[-a-zA-Z0-9_]{1,64}$"

Key = Annotated[str, Path(pattern=KEY_PATTERN, description="A report type or definition key.")]
PeriodKey = Annotated[str, Path(pattern=PERIOD_PATTERN, description="The period as YYYY-MM.", example="2026-01")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]

#: Errors every authenticated endpoint may answer.
ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}
#: ... and those that take a body.
BODY_ERRORS = {**ERRORS, 400: ErrorOut, 413: ErrorOut}


def responses(ok, *extra: int, body: bool = False) -> dict:
    declared = dict(BODY_ERRORS if body else ERRORS)
    declared.update({code: ErrorOut for code in extra})
    declared[200] = ok
    return declared


def period_of(text: str) -> datetime.date:
    """`2026-01` → 2026-01-01 (the path pattern already checked the shape; the year range is checked here)."""
    period = period_parse(text)
    if period is None:
        raise Http404(_("Unknown period."))
    return period
