"""评分题: 1–N stars (`"scale": 5`, the default) or a 0–10 recommendation score (`"scale": "nps"`); an integer answer.

Optional `low` / `high` (and `_en`) name the ends of the scale (很不满意 … 非常满意). Statistics draw bars of the
counts per value with the mean (and the NPS score: % promoters 9–10 minus % detractors 0–6). The Excel template
offers an integer cell with a list of the values; the facts table gets the number.
"""
from functools import lru_cache

from django.utils.translation import gettext as _

from ..engine.localize import localized
from .base import BAR, CELL_LIST, FieldType, empty, register
from .cells import NotAChoice, NotAWholeNumber, cell_number

NPS = "nps"
TEMPLATE = "formdefs/fields/rating.html"


def scale_values(spec: dict) -> list[int]:
    scale = spec.get("scale", 5)
    return list(range(0, 11)) if scale == NPS else list(range(1, int(scale) + 1))


@register
class RatingType(FieldType):
    name = "rating"
    chart = BAR
    designer = "rating"
    cell = CELL_LIST
    #: Keys a questionnaire design copies to and from the field.
    design_keys = ("scale", "low", "low_en", "high", "high_en")

    def schema(self, spec):
        values = scale_values(spec)
        return {"type": "integer", "minimum": values[0], "maximum": values[-1]}

    def display_text(self, spec, value, answers, names=None):
        if empty(value) or isinstance(value, bool):
            return ""
        return f"{int(value)} / {scale_values(spec)[-1]}"

    def numbers(self, spec, value):
        return [("", "", value, "")]

    def value_label(self, spec: dict, value: int) -> str:
        """The text naming one value: the number, and the end's name at either end."""
        values = scale_values(spec)
        end = localized(spec, "low") if value == values[0] else localized(spec, "high") if value == values[-1] else ""
        return f"{value}（{end}）" if end else str(value)

    # -- Excel: an integer cell with a list validation
    def cell_choices(self, spec):
        return [(value, str(value)) for value in scale_values(spec)]

    def cell_value(self, spec, value):
        return value

    def cell_read(self, spec, value):
        try:
            number = cell_number(value, integer=True)
        except NotAWholeNumber:
            raise NotAChoice(value) from None
        if number is not None and number not in scale_values(spec):
            raise NotAChoice(value)
        return number

    def cell_number_format(self, spec) -> str:
        return "integer"

    # -- statistics
    def chart_labels(self, spec):
        return {str(value): self.value_label(spec, value) for value in scale_values(spec)}

    def chart_summary(self, spec, counts):
        total = sum(counts.values())
        if not total:
            return {}
        summary = {_("Mean"): round(sum(int(v) * n for v, n in counts.items()) / total, 2)}
        if spec.get("scale") == NPS:
            promoters = sum(n for v, n in counts.items() if int(v) >= 9)
            detractors = sum(n for v, n in counts.items() if int(v) <= 6)
            summary[_("NPS")] = round((promoters - detractors) * 100 / total)
        return summary

    # -- the form side: radio buttons (stars, or 0–10 buttons)
    def form_adapter(self, builder, spec):
        from django import forms

        from ..forms.widgets import field_messages

        label = localized(spec)
        stars = spec.get("scale", 5) != NPS
        top = scale_values(spec)[-1]
        choices = [(str(v), f"{v} / {top}" if stars else self.value_label(spec, v)) for v in scale_values(spec)]
        field = forms.TypedChoiceField(label=label, required=bool(spec.get("required")), help_text=localized(spec, "help"),
                                       choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect,
                                       error_messages=field_messages(label))
        return _adapter_class()(spec, {spec["id"]: field}, self.schema(spec), peek=_peek)


def _peek(raw):
    return int(raw) if isinstance(raw, str) and raw.isdigit() else None


@lru_cache(maxsize=1)
def _adapter_class():
    """The rating's Django-form adapter, made on first use: the engine imports the types, never the forms layer."""
    from ..forms.adapters import FieldAdapter

    class RatingAdapter(FieldAdapter):
        template = TEMPLATE

        def context(self, form, hidden, computed):
            context = super().context(form, hidden, computed)
            context.update(stars=self.spec.get("scale", 5) != NPS, low=localized(self.spec, "low"),
                           high=localized(self.spec, "high"))
            return context

    return RatingAdapter
