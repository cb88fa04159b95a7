"""The parsed shape of a definition: steps, sections, fields in document order, and labels."""
from django.utils.translation import get_language

#: Field types that hold no answer.
NO_ANSWER_TYPES = {"static"}
#: Field types whose value the engine computes.
COMPUTED_TYPES = {"computed"}
NUMERIC_COLUMN_TYPES = {"integer", "decimal"}


def localized(node: dict, key: str = "label") -> str:
    """`label` (Chinese, what users see) or `label_en` when the UI language is English and one is given."""
    language = get_language() or ""
    if language.startswith("en") and node.get(f"{key}_en"):
        return node[f"{key}_en"]
    return node.get(key, "") or ""


def row_takes(row: dict, column: dict) -> bool:
    """Whether an indicator-grid `row` takes `column`: computed columns always (they are blank when an input they
    read is absent), input columns when the row lists them in `columns` or lists none."""
    return bool(column.get("expr")) or "columns" not in row or column["id"] in row["columns"]


def row_inputs(field: dict, row: dict) -> list[dict]:
    """The input (not computed) columns of an indicator grid that `row` takes."""
    return [c for c in field.get("columns", []) if not c.get("expr") and row_takes(row, c)]


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
        names = [localized(field)]
        rest = parts[1:]
        ftype = field["type"]
        if ftype in ("indicator_grid", "matrix_single", "matrix_multiple", "matrix_fill") and rest:
            row = next((r for r in field.get("rows", []) if r["id"] == rest[0]), None)
            names = [localized(row)] if (row and ftype == "indicator_grid") else names + ([localized(row)] if row else [rest[0]])
            rest = rest[1:]
        if ftype == "table" and rest:
            if rest[0].isdigit():
                names.append(_row_label(int(rest[0]) + 1))
                rest = rest[1:]
        if rest and ftype in ("indicator_grid", "table"):
            column = next((c for c in field.get("columns", []) if c["id"] == rest[0]), None)
            names.append(localized(column) if column else rest[0])
        return " · ".join(n for n in names if n)


def _other_label() -> str:
    from django.utils.translation import gettext

    return gettext("other, please specify")


def _row_label(number: int) -> str:
    from django.utils.translation import gettext

    return gettext("row %(number)s") % {"number": number}
