"""Chosen answers: yes / no, single and multiple choice (with 其他(请注明)), cascades of reference codes."""
from ..engine.localize import localized
from .base import BAR, CELL_LIST, PIE, CodeNames, FieldType, empty, excel_yes_no, register, yes_no_labels
from .cells import NO, YES, NotAChoice, cell_text

OTHER_SCHEMA = {"type": "string", "maxLength": 200}


def specifies(spec: dict) -> bool:
    """Whether an option asks for "other, please specify" text (the answer `<id>_other`)."""
    return any(o.get("specify") for o in spec.get("options", []))


def option_label(spec: dict, value) -> str:
    option = next((o for o in spec.get("options", []) if o.get("value") == value), None)
    return localized(option) if option else str(value)


class OptionsType(FieldType):
    designer_multiple = False

    def answer_schema(self, spec):
        schema = super().answer_schema(spec)
        if specifies(spec):
            schema[f"{spec['id']}_other"] = dict(OTHER_SCHEMA)
        return schema

    def display_text(self, spec, value, answers, names=None):
        if empty(value):
            return ""
        text = "、".join(option_label(spec, v) for v in (value if isinstance(value, list) else [value]))
        other = answers.get(f"{spec['id']}_other")
        return f"{text}（{other}）" if other else text


@register
class YesNoType(FieldType):
    name = "yesno"
    chart = PIE
    cell = CELL_LIST

    def schema(self, spec):
        return {"type": "boolean"}

    def display_text(self, spec, value, answers, names=None):
        if empty(value):
            return ""
        return yes_no_labels()["true" if value else "false"]

    def export_lines(self, spec, answers, names):
        return [(localized(spec), answers[spec["id"]])]  # the export writes a boolean as 是 / 否

    def chart_labels(self, spec):
        return yes_no_labels()

    def cell_choices(self, spec):
        return excel_yes_no()

    def cell_read(self, spec, value):
        text = cell_text(value)
        if text is None:
            return None
        if isinstance(value, bool):
            return value
        folded = text.casefold()
        labels = {label.casefold(): answer for answer, label in self.cell_choices(spec)}
        if folded in labels:
            return labels[folded]
        if folded in YES or folded in NO:
            return folded in YES
        raise NotAChoice(value)


@register
class ChoiceType(OptionsType):
    name = "choice"
    chart = PIE
    designer = "single"
    cell = CELL_LIST

    def schema(self, spec):
        return {"type": "string", "enum": [o["value"] for o in spec.get("options", [])]}

    def cell_offered(self, spec):
        return not specifies(spec)  # the other text has no cell

    def cell_read(self, spec, value):
        text = cell_text(value)
        if text is None:
            return None
        for option in spec.get("options", []):
            if text in (str(option["value"]), option.get("label"), option.get("label_en")):
                return option["value"]
        raise NotAChoice(value)


@register
class MultichoiceType(OptionsType):
    name = "multichoice"
    chart = BAR
    designer = "multiple"

    def schema(self, spec):
        schema = {"type": "array", "uniqueItems": True, "items": {"enum": [o["value"] for o in spec.get("options", [])]}}
        if spec.get("min_selections"):
            schema["minItems"] = spec["min_selections"]
        if spec.get("max_selections"):
            schema["maxItems"] = spec["max_selections"]
        return schema


@register
class CascadeType(FieldType):
    """地区 / 行业 / 登记注册类型: the last code of a chain of reference levels."""

    name = "cascade"

    def schema(self, spec):
        return {"type": "string", "pattern": r"^[A-Z0-9]{1,8}$"}

    def display_text(self, spec, value, answers, names=None):
        if empty(value):
            return ""
        return (names or CodeNames()).label(spec.get("source", ""), str(value))
