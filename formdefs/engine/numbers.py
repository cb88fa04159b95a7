"""What a number answer accepts: one definition, read by the wizard's fields and by the answer schema.

A number question (`integer`, `decimal`), an indicator-grid row and a numeric table column carry the
same keys: `nonnegative`, `minimum`, `maximum`, `exclusive_minimum` and `decimals` (decimal places,
2 unless told; grid rows say `integer` instead of a type). `NumberRule.of(spec, integer=…)` reads them
once. The answer JSON Schema (`NumberRule.schema`, validated by `AnswerValidator`) and the wizard's
Django fields (`NumberRule.problem`, through `forms.builder`) apply that rule, so the wizard, the
Excel imports and the API accept exactly the same values and refuse the others with the same words.

Both check the value as it is stored in the answers (a JSON number: the wizard's Decimal becomes a
float first), so "1.500" typed in the wizard and 1.5 read from Excel are the same answer.
"""
import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from jsonschema import Draft202012Validator, ValidationError as SchemaError, validators

#: Digits before the decimal point. 15 is what every path already kept but the wizard: the API refused
#: numbers from 10^15, the Excel templates validate ±1E+15, and a float answer (like Excel) holds 15
#: significant digits exactly; the wizard allowed 18 (max_digits=20 with 2 places), the facts table 18.
MAX_WHOLE_DIGITS = 15
#: Decimal places of a decimal answer whose definition does not say (`decimals`).
DEFAULT_DECIMALS = 2
#: Significant digits of a float taken as meant: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
FLOAT_DIGITS = 15

#: Answer-schema keywords of the engine (JSON Schema allows keywords of one's own).
WHOLE_DIGITS_KEYWORD = "maxWholeDigits"
DECIMAL_PLACES_KEYWORD = "maxDecimalPlaces"


def answer_decimal(value) -> Decimal | None:
    """A stored numeric answer (int, float or numeric text) as a finite Decimal; None for a blank, a boolean,
    text that is not a number and inf/NaN (the facts table and the grid's carried values read cells so)."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def number_digits(value) -> tuple[int, int] | None:
    """(digits before the point, decimal places) of a number answer; None for what is not a number.

    Trailing zeros do not count (1.50 has one place); a value beyond any digit count (inf) has
    more whole digits than any limit.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return (math.inf, 0)
        value = Decimal(format(value, f".{FLOAT_DIGITS}g"))
    elif isinstance(value, int):
        value = Decimal(value)
    if not value.is_finite():
        return (math.inf, 0)
    _sign, digits, exponent = value.normalize().as_tuple() if value else (0, (0,), 0)
    if exponent >= 0:
        return (0 if digits == (0,) else len(digits) + exponent, 0)
    places = -exponent
    return (max(len(digits) - places, 0), places)


def stored_number(value):
    """The number as the answers keep it: a Decimal (the wizard's form value) becomes a float."""
    if isinstance(value, Decimal):
        try:
            return float(value)
        except (OverflowError, InvalidOperation):
            return math.inf
    return value


def _limit(value) -> str:
    """A limit as people write it: 100, not 100.0."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def number_message(code: str, label: str, limit=None) -> str:
    """The words for a refused number, the same for the wizard and for the answer schema."""
    if code == "min_value":
        if limit == 0:
            return gettext("%(label)s must not be negative.") % {"label": label}
        return gettext("%(label)s must be at least %(limit)s.") % {"label": label, "limit": _limit(limit)}
    if code == "exclusive_minimum":
        return gettext("%(label)s must be greater than %(limit)s.") % {"label": label, "limit": _limit(limit)}
    if code == "max_value":
        return gettext("%(label)s must be at most %(limit)s.") % {"label": label, "limit": _limit(limit)}
    if code == "max_whole_digits":
        return gettext("%(label)s: at most %(max)s digits before the decimal point.") % {"label": label, "max": limit}
    if code == "max_decimal_places":
        if limit == 0:
            return gettext("%(label)s: enter a whole number.") % {"label": label}
        return gettext("%(label)s: at most %(max)s decimal places.") % {"label": label, "max": limit}
    return gettext("%(label)s: enter a valid value.") % {"label": label}


#: jsonschema's keyword of each refusal code, for `schema_messages`.
SCHEMA_CODES = {"minimum": "min_value", "exclusiveMinimum": "exclusive_minimum", "maximum": "max_value",
                WHOLE_DIGITS_KEYWORD: "max_whole_digits", DECIMAL_PLACES_KEYWORD: "max_decimal_places"}


@dataclass(frozen=True)
class NumberRule:
    """The limits of one number answer (a question, a grid row, a table column)."""

    integer: bool
    decimals: int
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    whole_digits: int = MAX_WHOLE_DIGITS

    @classmethod
    def of(cls, spec: dict, *, integer: bool) -> "NumberRule":
        """The rule of a definition node; `nonnegative` is a minimum of 0 (the stricter minimum wins)."""
        minimums = [m for m in (0 if spec.get("nonnegative") else None, spec.get("minimum")) if m is not None]
        return cls(integer=integer, decimals=0 if integer else int(spec.get("decimals", DEFAULT_DECIMALS)),
                   minimum=max(minimums) if minimums else None, maximum=spec.get("maximum"),
                   exclusive_minimum=spec.get("exclusive_minimum"))

    def schema(self) -> dict:
        """The answer's JSON Schema: type and bounds, plus the engine's digit keywords."""
        schema = {"type": "integer" if self.integer else "number", WHOLE_DIGITS_KEYWORD: self.whole_digits}
        if not self.integer:
            schema[DECIMAL_PLACES_KEYWORD] = self.decimals
        # In the order `problem` checks them: the first refusal is the one named (`schema_issues`).
        for key, value in (("minimum", self.minimum), ("exclusiveMinimum", self.exclusive_minimum),
                           ("maximum", self.maximum)):
            if value is not None:
                schema[key] = value
        return schema

    def problem(self, value) -> str | None:
        """The refusal code of a number (`min_value`, `exclusive_minimum`, `max_value`, `max_whole_digits`,
        `max_decimal_places`), None when the rule accepts it; what is not a number is the caller's."""
        value = stored_number(value)
        digits = number_digits(value)
        if digits is None:
            return None
        if digits[0] > self.whole_digits:
            return "max_whole_digits"
        if digits[1] > self.decimals:
            return "max_decimal_places"
        if self.minimum is not None and value < self.minimum:
            return "min_value"
        if self.exclusive_minimum is not None and value <= self.exclusive_minimum:
            return "exclusive_minimum"
        if self.maximum is not None and value > self.maximum:
            return "max_value"
        return None

    def limit(self, code: str):
        return {"min_value": self.minimum, "exclusive_minimum": self.exclusive_minimum, "max_value": self.maximum,
                "max_whole_digits": self.whole_digits, "max_decimal_places": self.decimals}.get(code)

    def messages(self, label: str) -> dict:
        """{refusal code: message} for this rule, named by `label` (Django's error_messages)."""
        return {code: number_message(code, label, self.limit(code)) for code in
                ("min_value", "exclusive_minimum", "max_value", "max_whole_digits", "max_decimal_places")}


def _whole_digits(validator, limit, instance, schema):
    digits = number_digits(instance) if validator.is_type(instance, "number") else None
    if digits is not None and digits[0] > limit:
        yield SchemaError(f"{instance!r} has more than {limit} digits before the decimal point")


def _decimal_places(validator, limit, instance, schema):
    digits = number_digits(instance) if validator.is_type(instance, "number") else None
    if digits is not None and digits[0] <= schema.get(WHOLE_DIGITS_KEYWORD, math.inf) and digits[1] > limit:
        yield SchemaError(f"{instance!r} has more than {limit} decimal places")


#: JSON Schema 2020-12 plus the engine's digit keywords: the validator of every answer schema.
AnswerValidator = validators.extend(Draft202012Validator, {WHOLE_DIGITS_KEYWORD: _whole_digits,
                                                           DECIMAL_PLACES_KEYWORD: _decimal_places})
