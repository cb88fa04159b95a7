"""Scalar answers: text, numbers, dates; computed values and static text."""
from ..engine.localize import localized, unit_label
from ..engine.numbers import NumberRule
from .base import CELL_DECIMAL, CELL_INTEGER, CELL_TEXT, TEXT, FieldType, register
from .cells import cell_number


@register
class TextType(FieldType):
    name = "text"
    chart = TEXT
    designer = "fill"
    cell = CELL_TEXT

    def schema(self, spec):
        schema = {"type": "string", "maxLength": spec.get("max_length", 200)}
        if spec.get("pattern"):
            schema["pattern"] = spec["pattern"]
        if spec.get("min_length"):
            schema["minLength"] = spec["min_length"]
        return schema


@register
class TextareaType(FieldType):
    name = "textarea"
    chart = TEXT
    designer = "essay"
    cell = CELL_TEXT

    def schema(self, spec):
        schema = {"type": "string", "maxLength": spec.get("max_length", 4000)}
        if spec.get("min_length"):
            schema["minLength"] = spec["min_length"]
        return schema


class NumberType(FieldType):
    """A number checked by the engine's one rule (`engine.numbers.NumberRule`)."""

    integer = False
    chart = TEXT
    designer = "fill"

    def schema(self, spec):
        return NumberRule.of(spec, integer=self.integer).schema()

    def export_lines(self, spec, answers, names):
        unit = unit_label(spec)
        value = answers[spec["id"]]
        return [(localized(spec), value, unit) if unit else (localized(spec), value)]

    def numbers(self, spec, value):
        return [("", "", value, "")]

    def cell_read(self, spec, value):
        return cell_number(value, integer=self.integer)


@register
class IntegerType(NumberType):
    name = "integer"
    integer = True
    cell = CELL_INTEGER


@register
class DecimalType(NumberType):
    name = "decimal"
    cell = CELL_DECIMAL


@register
class DateType(FieldType):
    name = "date"
    chart = TEXT

    def schema(self, spec):
        return {"type": "string", "format": "date"}


@register
class DatetimeType(FieldType):
    name = "datetime"

    def schema(self, spec):
        return {"type": "string", "format": "date-time"}


@register
class ComputedType(NumberType):
    """计算值: the engine computes it from `expr` (read-only; None when undecidable)."""

    name = "computed"
    computed = True
    chart = None
    designer = None

    def schema(self, spec):
        return {"type": ["number", "null"]}

    def required_paths(self, spec, value, hidden):
        return []


@register
class StaticType(FieldType):
    """说明文字: text shown to the filler, no answer."""

    name = "static"
    has_answer = False

    def member_problem(self, spec, rest, dotted):
        return f"{spec['id']!r} is static text and has no answer ({dotted})"

    def display_text(self, spec, value, answers, names=None):
        return ""

