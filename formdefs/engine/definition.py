"""The parsed shape of a definition: steps, sections, fields in document order, and labels."""
from ..types import FIELD_TYPES, field_type, row_inputs, row_takes  # noqa: F401 (row_* re-exported)
from .localize import localized  # noqa: F401 (re-exported: most modules import it from here)

#: Field types that hold no answer.
NO_ANSWER_TYPES = {name for name, t in FIELD_TYPES.items() if not t.has_answer}
#: Field types whose value the engine computes.
COMPUTED_TYPES = {name for name, t in FIELD_TYPES.items() if t.computed}
NUMERIC_COLUMN_TYPES = {"integer", "decimal"}


class DefinitionIndex:
    """Steps, sections and fields of a definition document, in document order."""

    def __init__(self, document: dict):
        self.document = document
        self.key = document["id"]
        self.steps = document.get("steps", [])
        self.fields: list[dict] = []
        self.field_by_id: dict[str, dict] = {}
        self.step_of: dict[str, str] = {}
        self.section_of: dict[str, str] = {}
        self.position: dict[str, int] = {}
        self.step_index = {step["id"]: i for i, step in enumerate(self.steps)}
        for step in self.steps:
            for section in step.get("sections", []):
                for field in section.get("fields", []):
                    self.position[field["id"]] = len(self.fields)
                    self.fields.append(field)
                    self.field_by_id[field["id"]] = field
                    self.step_of[field["id"]] = step["id"]
                    self.section_of[field["id"]] = section["id"]

    def step_fields(self, step_id: str) -> list[dict]:
        return [f for f in self.fields if self.step_of[f["id"]] == step_id]

    def label(self, path: str) -> str:
        """A human label for an answer path: `ind.sales.ytd` → 营业收入 · 本年1-本月."""
        parts = path.split(".")
        field = self.field_by_id.get(parts[0])
        if field is None:
            base = parts[0][: -len("_other")] if parts[0].endswith("_other") else None
            if base and base in self.field_by_id:
                return f"{localized(self.field_by_id[base])} · {_other_label()}"
            return path
        names = field_type(field).path_names(field, parts[1:])
        return " · ".join(n for n in names if n)


def _other_label() -> str:
    from django.utils.translation import gettext

    return gettext("other, please specify")
