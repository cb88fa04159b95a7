"""`FieldType`: everything the platform knows about one field type, in one class (as SurveyJS's question classes).

A type owns its meta-schema fragment (the name of its `$defs` entry), the JSON Schema of its answer, the paths
a required answer must fill given what is hidden, the members an expression may name (`cur.<id>.<row>…`) and
their labels, the answer as text (detail page, print, Excel export, questionnaire answers — one function), its
numbers for the facts table, its cell in the Excel template (written and read back), its statistics chart and
its questionnaire-designer question type. The Django-form side stays in `formdefs.forms` (the builder's
`create_<type>_field`, or the type's own `form_adapter`).

A new type is one subclass registered with `@register`, one `$defs/type_<name>` in `meta_schema.json` (plus its
name in the `field.type` enum and dispatch), a widget template when it draws its own, and its tests.
"""
from django.utils.translation import gettext as _, pgettext

from ..engine.localize import label_names_unit, localized, unit_label
from .cells import NotAChoice, cell_text

#: Statistics charts (survey_builder.analysis): counted choices as a pie or bars, a matrix, listed texts.
PIE, BAR, MATRIX, TEXT = "pie", "bar", "matrix", "text"
#: How a template holds a single answer in one cell: a number, text, or one of a list.
CELL_INTEGER, CELL_DECIMAL, CELL_TEXT, CELL_LIST = "integer", "decimal", "text", "list"

FIELD_TYPES: dict[str, "FieldType"] = {}


def register(cls):
    """Class decorator: one instance of `cls` serves every field of its type."""
    FIELD_TYPES[cls.name] = cls()
    return cls


def field_type(spec_or_name) -> "FieldType":
    """The type of a field spec (or of a type name); KeyError for an unknown one."""
    name = spec_or_name["type"] if isinstance(spec_or_name, dict) else spec_or_name
    return FIELD_TYPES[name]


def empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


class CodeNames:
    """Labels of reference codes (region, industry, registration type), looked up once per export or page."""

    def __init__(self):
        self.children: dict = {}

    def label(self, source_name: str, code: str) -> str:
        from django.db import DatabaseError

        from ..reference import SOURCES

        source = SOURCES.get(source_name)
        if source is None or not code:
            return code
        try:
            chain = source.chain(code)
            names = []
            for position, node in enumerate(chain):
                parent = chain[position - 1] if position else ""
                if (source_name, parent) not in self.children:
                    self.children[(source_name, parent)] = dict(source.children(parent))
                names.append(self.children[(source_name, parent)].get(node, node))
        except DatabaseError:
            return code  # reference tables unavailable: the code still identifies the value
        return " / ".join(names) if names else code


def number_text(value) -> str:
    """A number as people write it: 12 not 12.0, 0.5 not 5E-1."""
    from decimal import Decimal

    if value is None or value == "":
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        number = Decimal(str(value))
        return f"{number.normalize():f}" if number == number.to_integral() else f"{number:f}".rstrip("0")
    return str(value)


class FieldType:
    """The default behaviour is that of a single scalar answer keyed by the field's id."""

    name = ""
    has_answer = True
    computed = False
    #: Statistics chart (PIE, BAR, MATRIX, TEXT); None: the question is not in the statistics.
    chart: str | None = None
    #: The questionnaire designer's question type (`survey_builder.enums.QuestionType` value) copied to this type.
    designer: str | None = None
    #: How an Excel template holds the answer in one cell (CELL_*); None: answered online (or as a grid / table).
    cell: str | None = None
    #: Keys a questionnaire design copies to the field and back (beyond text, options, rows and checks).
    design_keys: tuple = ()

    @property
    def meta_schema(self) -> str:
        """The name of this type's fragment in `meta_schema.json` (`$defs`)."""
        return f"type_{self.name}"

    # -- answers -------------------------------------------------------------------------------
    def answer_schema(self, spec: dict) -> dict:
        """{answer key: JSON Schema} of this field's answers (usually one key, the field's id)."""
        schema = self.schema(spec)
        return {} if schema is None else {spec["id"]: schema}

    def schema(self, spec: dict) -> dict | None:
        return None

    def required_paths(self, spec: dict, value, hidden: frozenset) -> list:
        """Answer paths that are required but empty (the field itself is visible)."""
        if spec.get("required") and self.has_answer and not self.computed and empty(value):
            return [spec["id"]]
        return []

    def prune(self, spec: dict, value, hidden: frozenset):
        """The answer without its hidden parts (grid rows)."""
        return value

    # -- members: expression paths and their labels ----------------------------------------------
    def member_problem(self, spec: dict, rest: list, dotted: str) -> str | None:
        """Why `cur.<id>.<rest…>` names nothing of this field (None when it does)."""
        if rest:
            return f"{spec['id']!r} has no member {rest[0]!r} ({dotted})"
        return None

    def path_names(self, spec: dict, rest: list) -> list:
        """The labels naming an answer path of this field: 营业收入 · 本年1-本月."""
        return [localized(spec)]

    # -- the answer as text ---------------------------------------------------------------------
    def display_text(self, spec: dict, value, answers: dict, names: CodeNames | None = None) -> str:
        """The answer as a person reads it (detail page, print, Excel export, questionnaire answers)."""
        if empty(value):
            return ""
        text = number_text(value)
        unit = unit_label(spec)
        if label_names_unit(localized(spec), unit):
            return text  # the label already says it: 上年营业收入(万元) 5400
        return f"{text} {unit}" if unit and text else text

    def export_lines(self, spec: dict, answers: dict, names: CodeNames) -> list:
        """Cover-sheet lines (label, value[, unit]) of the Excel export; numbers stay numbers there."""
        return [(localized(spec), self.display_text(spec, answers[spec["id"]], answers, names))]

    # -- facts ----------------------------------------------------------------------------------
    def numbers(self, spec: dict, value) -> list:
        """(row, column, value, label) of each number of the answer, for the facts table."""
        return []

    # -- the Excel template cell ----------------------------------------------------------------
    def cell_offered(self, spec: dict) -> bool:
        return self.cell is not None

    def cell_number_format(self, spec: dict) -> str:
        """The cell's number format: CELL_INTEGER, CELL_DECIMAL or CELL_TEXT."""
        return self.cell if self.cell in (CELL_INTEGER, CELL_DECIMAL) else CELL_TEXT

    def cell_choices(self, spec: dict) -> list:
        """(answer, label) pairs a list cell offers."""
        return [(option["value"], localized(option)) for option in spec.get("options", [])]

    def cell_value(self, spec: dict, value):
        """What the cell shows for an answer."""
        if value is None or self.cell != CELL_LIST:
            return value
        return next((label for answer, label in self.cell_choices(spec)
                     if answer == value and type(answer) is type(value)), None)

    def cell_read(self, spec: dict, value):
        """The answer in a cell: None when empty; NotANumber, NotAWholeNumber or NotAChoice when it cannot be."""
        text = cell_text(value)
        if self.cell != CELL_LIST or text is None:
            return text
        for answer, label in self.cell_choices(spec):
            if text in (str(answer), label):
                return answer
        raise NotAChoice(value)

    # -- statistics -----------------------------------------------------------------------------
    def chart_labels(self, spec: dict) -> dict:
        """{counted value as text: label} of a counted question, in order."""
        return {o["value"]: localized(o) for o in spec.get("options", [])}

    def chart_summary(self, spec: dict, counts: dict) -> dict:
        """Figures shown beside a counted question's chart ({name: number}), e.g. a rating's mean."""
        return {}

    # -- the form side --------------------------------------------------------------------------
    def form_adapter(self, builder, spec: dict):
        """The Django-form adapter, when the builder has no `create_<type>_field` for this type."""
        raise ValueError(f"unknown field type {self.name!r}")


def yes_no_labels() -> dict:
    return {"true": _("Yes"), "false": _("No")}


def excel_yes_no() -> list:
    return [(True, pgettext("excel", "Yes")), (False, pgettext("excel", "No"))]
