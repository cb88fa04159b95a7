"""FormBuilder: one `create_<type>_field` method per field type (as Wagtail's form builder).

Each method returns an adapter holding the Django form fields, the answer's JSON Schema and the
conversions between cleaned data and answers. A new field type is one method here plus one
entry in `formdefs/meta_schema.json`.
"""
import copy

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import get_language, gettext as _

from config.widgets import IsoDateField, date_invalid_message

from ..engine.definition import localized
from ..engine.numbers import NumberRule
from ..reference import SOURCES
from ..types import FIELD_TYPES, field_type, row_inputs
from .adapters import (
    CascadeAdapter, ChoiceAdapter, DisplayAdapter, FieldAdapter, MatrixAdapter, TableAdapter, table_indices,
)
from .grid import GridAdapter
from .widgets import CascadeWidget, DateTimeInput, NumberInput, field_messages, peek_number


def _rule_validator(rule: NumberRule):
    """A Django validator applying `rule`; the field's error_messages[code] (the rule's words, or the
    question's own `error_message`) replace the message, as Django does for its own validators."""

    def validate(value):
        code = rule.problem(value)
        if code:
            raise forms.ValidationError(code, code=code)

    return validate


#: Error codes replaced by a question's own `error_message` (Django's codes plus the builder's validators').
OVERRIDDEN_CODES = ("required", "invalid", "invalid_choice", "invalid_list", "min_value", "max_value",
                    "exclusive_minimum", "max_digits", "max_decimal_places", "max_whole_digits", "max_length",
                    "min_length", "step_size", "pattern", "selections")


def _override_messages(adapter, spec: dict) -> None:
    """A question's `error_message` (written by the questionnaire designer) replaces every validation message of
    its answer fields; Django swaps a validator's message for `error_messages[code]`, so one dict covers both.
    The "other, please specify" text keeps its own message."""
    message = localized(spec, "error_message")
    for name, field in adapter.fields.items():
        if name != f"{spec['id']}_other":
            field.error_messages = {**field.error_messages, **{code: message for code in OVERRIDDEN_CODES}}


#: Types whose Django fields depend on the request (a table has as many rows as were posted).
DATA_SIZED_TYPES = {"table"}


class FormBuilder:
    """Build adapters for a definition's fields; `data`/`initial` size repeatable tables."""

    def __init__(self, index, data=None, initial=None):
        self.index = index
        self.data = data
        self.initial = initial or {}

    def build(self, spec: dict) -> FieldAdapter:
        method = getattr(self, f"create_{spec['type']}_field", None)
        if method is None:
            if spec["type"] not in FIELD_TYPES:
                raise ValueError(f"unknown field type {spec['type']!r}")
            adapter = FIELD_TYPES[spec["type"]].form_adapter(self, spec)  # a type that builds its own form side
        else:
            adapter = method(spec)
        if spec.get("error_message"):
            _override_messages(adapter, spec)
        return adapter

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _schema(spec: dict):
        """The answer schema comes from the field's type (`formdefs.types`), as the engine reads it."""
        return field_type(spec).schema(spec)

    def _common(self, spec: dict, label: str | None = None) -> dict:
        return {"label": label or localized(spec), "required": bool(spec.get("required")), "help_text": localized(spec, "help")}

    def _number(self, spec: dict, label: str, *, integer: bool, required: bool = False) -> forms.Field:
        """A number input checked by the engine's rule of `spec` (`engine.numbers`), in the engine's words:
        the answer schema applies the same rule to imports and the API."""
        rule = NumberRule.of(spec, integer=integer)
        # A number that may be negative (利润总额: no minimum, or one below 0) gets a text keypad: iOS's decimal
        # keypad has no minus key. The others keep the number keypad.
        signed = all(m is None or m < 0 for m in (rule.minimum, rule.exclusive_minimum))
        widget = NumberInput(decimal=not integer, attrs={"inputmode": "text", "data-fd-signed": ""} if signed else None)
        kwargs = {"label": label, "required": required, "error_messages": {**field_messages(label), **rule.messages(label)},
                  "validators": [_rule_validator(rule)], "widget": widget}
        if integer:
            return forms.IntegerField(**kwargs)
        # No max_digits / decimal_places: the rule counts digits of the stored value (1.500 is 1.5).
        return forms.DecimalField(**kwargs)

    def _options(self, spec: dict) -> list:
        return [(o["value"], localized(o)) for o in spec.get("options", [])]

    def _other(self, spec: dict) -> dict:
        if not any(o.get("specify") for o in spec.get("options", [])):
            return {}
        label = f"{localized(spec)} · {_('other, please specify')}"
        return {f"{spec['id']}_other": forms.CharField(label=label, required=False, max_length=200,
                                                     error_messages=field_messages(label))}

    # -- one method per type ---------------------------------------------------------------
    def create_text_field(self, spec: dict) -> FieldAdapter:
        label = localized(spec)
        validators = []
        if spec.get("pattern"):
            message = localized(spec, "pattern_message") or _("%(label)s has an invalid format.") % {"label": label}
            # code "pattern", not "invalid": the field's generic "invalid" message would replace this one
            validators.append(RegexValidator(spec["pattern"], message, code="pattern"))
        field = forms.CharField(**self._common(spec), max_length=spec.get("max_length", 200), min_length=spec.get("min_length"),
                                validators=validators, error_messages=field_messages(label))
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec))

    def create_textarea_field(self, spec: dict) -> FieldAdapter:
        label = localized(spec)
        max_length = spec.get("max_length", 4000)
        field = forms.CharField(**self._common(spec), max_length=max_length, min_length=spec.get("min_length"),
                                widget=forms.Textarea(attrs={"rows": 4}), error_messages=field_messages(label))
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec))

    def create_integer_field(self, spec: dict) -> FieldAdapter:
        field = self._number(spec, localized(spec), integer=True, required=bool(spec.get("required")))
        field.help_text = localized(spec, "help")
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec), peek=peek_number)

    def create_decimal_field(self, spec: dict) -> FieldAdapter:
        field = self._number(spec, localized(spec), integer=False, required=bool(spec.get("required")))
        field.help_text = localized(spec, "help")
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec), peek=peek_number)

    def create_date_field(self, spec: dict) -> FieldAdapter:
        label = localized(spec)
        field = IsoDateField(**self._common(spec), error_messages=field_messages(label, invalid=date_invalid_message(label)))
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec))

    def create_datetime_field(self, spec: dict) -> FieldAdapter:
        field = forms.DateTimeField(**self._common(spec), widget=DateTimeInput(), error_messages=field_messages(localized(spec)),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        return FieldAdapter(spec, {spec["id"]: field}, self._schema(spec))

    def create_yesno_field(self, spec: dict) -> FieldAdapter:
        field = forms.TypedChoiceField(**self._common(spec), choices=[("true", _("Yes")), ("false", _("No"))],
                                       coerce=lambda v: v == "true", empty_value=None, widget=forms.RadioSelect,
                                       error_messages=field_messages(localized(spec)))
        return ChoiceAdapter(spec, {spec["id"]: field}, self._schema(spec),
                             peek=lambda raw: {"true": True, "false": False}.get(raw))

    def create_choice_field(self, spec: dict) -> FieldAdapter:
        widget = forms.Select if spec.get("widget") == "select" else forms.RadioSelect
        choices = self._options(spec)
        if widget is forms.Select:
            choices = [("", "---------")] + choices
        field = forms.ChoiceField(**self._common(spec), choices=choices, widget=widget, error_messages=field_messages(localized(spec)))
        return ChoiceAdapter(spec, {spec["id"]: field, **self._other(spec)}, self._schema(spec))

    def create_multichoice_field(self, spec: dict) -> FieldAdapter:
        label = localized(spec)
        low, high = spec.get("min_selections"), spec.get("max_selections")

        def count(value):
            if low and len(value) < low:
                raise forms.ValidationError(_("%(label)s: select at least %(limit)s.") % {"label": label, "limit": low},
                                            code="selections")
            if high and len(value) > high:
                raise forms.ValidationError(_("%(label)s: select at most %(limit)s.") % {"label": label, "limit": high},
                                            code="selections")

        field = forms.MultipleChoiceField(**self._common(spec), choices=self._options(spec), widget=forms.CheckboxSelectMultiple,
                                          validators=[count], error_messages=field_messages(label))
        return ChoiceAdapter(spec, {spec["id"]: field, **self._other(spec)}, self._schema(spec))

    def create_cascade_field(self, spec: dict) -> FieldAdapter:
        source = SOURCES[spec["source"]]
        levels = spec.get("levels", source.levels)
        label = localized(spec)

        def complete(code):
            if not source.is_complete(code, levels):
                raise forms.ValidationError(_("%(label)s: choose down to the last level.") % {"label": label})

        field = forms.CharField(**self._common(spec), max_length=16, validators=[complete],
                                widget=CascadeWidget(source, levels), error_messages=field_messages(label))
        return CascadeAdapter(spec, {spec["id"]: field}, self._schema(spec), source, levels)

    def _matrix(self, spec: dict, make) -> FieldAdapter:
        fields = {}
        for row in spec.get("rows", []):
            fields[f"{spec['id']}__{row['id']}"] = make(f"{localized(spec)} · {localized(row)}")
        return MatrixAdapter(spec, fields, self._schema(spec))

    def create_matrix_single_field(self, spec: dict) -> FieldAdapter:
        return self._matrix(spec, lambda label: forms.ChoiceField(
            label=label, required=bool(spec.get("required")), choices=self._options(spec), widget=forms.RadioSelect,
            error_messages=field_messages(label)))

    def create_matrix_multiple_field(self, spec: dict) -> FieldAdapter:
        return self._matrix(spec, lambda label: forms.MultipleChoiceField(
            label=label, required=bool(spec.get("required")), choices=self._options(spec),
            widget=forms.CheckboxSelectMultiple, error_messages=field_messages(label)))

    def create_matrix_fill_field(self, spec: dict) -> FieldAdapter:
        return self._matrix(spec, lambda label: forms.CharField(
            label=label, required=bool(spec.get("required")), max_length=spec.get("max_length", 200),
            error_messages=field_messages(label)))

    def create_indicator_grid_field(self, spec: dict) -> FieldAdapter:
        fields = {}
        for row in spec.get("rows", []):
            for column in row_inputs(spec, row):  # a cell the row does not take has no input
                label = f"{localized(row)} · {localized(column)}"
                field = self._number(row, label, integer=bool(row.get("integer")), required=bool(row.get("required")))
                # A cell has no <label>: its accessible name is its row and column (「营业收入 本年本月」).
                field.widget.attrs["aria-label"] = f"{localized(row)} {localized(column)}"
                fields[f"{spec['id']}__{row['id']}__{column['id']}"] = field
        return GridAdapter(spec, fields, self._schema(spec))

    def _table_cell(self, spec: dict, column: dict, label: str) -> forms.Field:
        if column.get("type") in ("integer", "decimal"):
            return self._number(column, label, integer=column["type"] == "integer")
        return forms.CharField(label=label, required=False, max_length=column.get("max_length", 100), error_messages=field_messages(label))

    def create_table_field(self, spec: dict) -> FieldAdapter:
        initial_rows = len(self.initial.get(spec["id"]) or [])
        indices = table_indices(spec["id"], self.data, initial_rows, spec.get("min_rows", 0))
        fields = {}
        for position, index in enumerate(indices):
            for column in spec.get("columns", []):
                label = f"{localized(spec)} · {_('row %(number)s') % {'number': position + 1}} · {localized(column)}"
                fields[f"{spec['id']}__{index}__{column['id']}"] = self._table_cell(spec, column, label)

        def make_cell(column, index):
            name = f"{spec['id']}__{index}__{column['id']}"
            return self._table_cell(spec, column, localized(column)).widget.render(name, "", attrs={"id": f"id_{name}"})

        return TableAdapter(spec, fields, self._schema(spec), indices, make_cell)

    def create_computed_field(self, spec: dict) -> FieldAdapter:
        adapter = DisplayAdapter(spec, {}, self._schema(spec))
        adapter.template = "formdefs/fields/computed.html"
        return adapter

    def create_static_field(self, spec: dict) -> FieldAdapter:
        adapter = DisplayAdapter(spec, {}, self._schema(spec))
        adapter.template = "formdefs/fields/static.html"
        return adapter


def step_adapters(compiled, step_id: str, *, data=None, initial=None) -> tuple[list, dict]:
    """The adapters of one step and their Django fields, ready for one form instance.

    Building fields is the costly part of a step (an indicator grid has ~100 labelled number
    fields), and for a published version it always gives the same result per step and language.
    So prototypes are built once and, as Django's `Form` does with `base_fields`, each form gets
    deep copies of the fields (a form may change them, e.g. hidden fields stop being required)
    and shallow copies of the adapters pointing at those copies. Tables are sized by the posted
    rows and are built per request.
    """
    key = (step_id, get_language())
    prototypes = compiled.form_cache.get(key)
    if prototypes is None:
        builder = FormBuilder(compiled.index)
        prototypes = [None if spec["type"] in DATA_SIZED_TYPES else builder.build(spec)
                      for spec in compiled.index.step_fields(step_id)]
        compiled.form_cache[key] = prototypes
    builder = FormBuilder(compiled.index, data=data, initial=initial)
    adapters, fields = [], {}
    for spec, prototype in zip(compiled.index.step_fields(step_id), prototypes):
        if prototype is None:
            adapter = builder.build(spec)
        else:
            adapter = copy.copy(prototype)
            adapter.fields = {name: copy.deepcopy(field) for name, field in prototype.fields.items()}
        adapters.append(adapter)
        fields.update(adapter.fields)
    return adapters, fields
