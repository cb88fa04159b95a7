"""A design to a form definition (the engine's JSON) and back (copying a published questionnaire)."""
from dataclasses import dataclass


from django.utils.translation import gettext as _

from formdefs.types import designer_types, field_type

from ..enums import SPECIFY_TYPES, FillKind, QuestionType

from .checks import NUMBER_KEYS, per_row_applies
from .conditions import show_if_expression
from .questions import DesignError, ESSAY_MAX_LENGTH, FILL_MAX_LENGTH, questions


# -- compiling to a form definition ------------------------------------------------------------------

@dataclass
class DocumentMeta:
    key: str
    title: str
    description: str
    version: int = 1


def document_build(design: dict, meta: DocumentMeta) -> dict:
    """The form definition of a design: one step, one section, one field per question."""
    fields = [_field(q) for q in questions(design)]
    document = {"id": meta.key, "version": meta.version, "kind": "questionnaire", "title": meta.title,
                "numbering": bool(design.get("numbering", True)), "steps": _steps(design, meta, fields)}
    if meta.description:
        document["description"] = meta.description
    return document


def _steps(design: dict, meta: DocumentMeta, fields: list) -> list:
    """One step per run of questions on the same page (`design["pages"]`, e.g. an imported XLSForm's groups);
    questions on no page share the step `survey`, so a design without pages compiles to one step as before."""
    pages = {p["id"]: p for p in design.get("pages") or []}
    steps, runs = [], {}
    for question, field in zip(questions(design), fields):
        page = pages.get(question.get("page"))
        key = page["id"] if page else "survey"
        if not steps or steps[-1][0] != key:
            runs[key] = runs.get(key, 0) + 1
            sid = key if runs[key] == 1 else f"{key}_{runs[key]}"
            step = {"id": sid, "title": (page or {}).get("title") or meta.title,
                    "sections": [{"id": "questions" if sid == "survey" else f"{sid}_questions", "fields": []}]}
            for source, target in (("title_en", "title_en"), ("visible_if", "visible_if")):
                if (page or {}).get(source):
                    step[target] = page[source]
            steps.append((key, step))
        steps[-1][1]["sections"][0]["fields"].append(field)
    return [step for _key, step in steps] or [{"id": "survey", "title": meta.title, "sections": [{"id": "questions", "fields": []}]}]


#: Optional design keys copied onto the field as they are (an imported XLSForm's English label, hint, `relevant`).
FIELD_EXTRAS = (("text_en", "label_en"), ("hint", "help"), ("hint_en", "help_en"), ("visible_if", "visible_if"))


def _item(item: dict, key: str) -> dict:
    return {key: item["id"], "label": item.get("label") or item["id"], **({"label_en": item["label_en"]} if item.get("label_en") else {})}


def _field(question: dict) -> dict:
    qtype = question["type"]
    checks = question.get("validation") or {}
    field = {"id": question["id"], "label": question.get("text") or question["id"]}
    field.update({target: question[key] for key, target in FIELD_EXTRAS if question.get(key)})
    options = [{**_item(o, "value"), **({"specify": True} if o.get("specify") and qtype in SPECIFY_TYPES else {})}
               for o in question.get("options", [])]
    rows = [_item(r, "id") for r in question.get("rows", [])]
    if qtype in (QuestionType.SINGLE, QuestionType.SINGLE_OTHER):
        field.update(type="choice", options=options)
        if question.get("branches"):
            field["branches"] = dict(question["branches"])
    elif qtype in (QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER):
        field.update(type="multichoice", options=options)
        for key in ("min_selections", "max_selections"):
            if checks.get(key):
                field[key] = checks[key]
    elif qtype == QuestionType.FILL and checks.get("kind") == FillKind.NUMBER:
        field["type"] = "integer" if question.get("integer") else "decimal"
        if field["type"] == "decimal":
            field["decimals"] = 4
        for key in NUMBER_KEYS:
            if checks.get(key) is not None:
                field[key] = checks[key]
    elif qtype == QuestionType.FILL:
        field.update(type="text", max_length=checks.get("max_length") or FILL_MAX_LENGTH)
        if checks.get("min_length"):
            field["min_length"] = checks["min_length"]
        if checks.get("pattern"):
            field["pattern"] = checks["pattern"]
    elif qtype == QuestionType.ESSAY:
        field.update(type="textarea", max_length=checks.get("max_length") or ESSAY_MAX_LENGTH)
        if checks.get("min_length"):
            field["min_length"] = checks["min_length"]
    elif qtype in (QuestionType.MATRIX_SINGLE, QuestionType.MATRIX_MULTIPLE):
        field.update(type=qtype, rows=rows, options=options)
    elif qtype == QuestionType.MATRIX_FILL:
        field.update(type="matrix_fill", rows=rows, max_length=checks.get("max_length") or FILL_MAX_LENGTH)
    elif qtype in TO_ENGINE:  # a type the registry maps to the designer (formdefs.types, e.g. 评分题 → rating)
        field["type"] = TO_ENGINE[qtype]
        field.update({key: question[key] for key in field_type(field).design_keys if key in question})
    if per_row_applies(question) and question.get("per_row"):
        field["options_per_row"] = question["per_row"]
    if question.get("show_if"):
        field["visible_if"] = show_if_expression(question["show_if"])
    if checks.get("required"):
        field["required"] = True
    if checks.get("message"):
        field["error_message"] = checks["message"]
    return field


#: Engine field type → designer question type (each type's `designer`), for copying a questionnaire shipped as a definition.
FROM_ENGINE = {name: QuestionType(qtype) for name, qtype in designer_types().items()}
#: Designer question type → the one engine type it compiles to, for types the chain in `_field` does not spell out.
TO_ENGINE = {qtype: name for name, qtype in designer_types().items() if list(designer_types().values()).count(qtype) == 1}


def design_from_document(document: dict) -> dict:
    """A design equivalent to a questionnaire definition (e.g. the shipped 001), for 复制.

    Fields of other types (static text, computed values, grids) have no designer question and are refused.
    """
    design = {"numbering": bool(document.get("numbering", True)), "questions": []}
    unsupported = []
    for step in document.get("steps", []):
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                qtype = FROM_ENGINE.get(field["type"])
                if qtype is None or field.get("visible_if"):
                    unsupported.append(field.get("label", field["id"]))
                    continue
                if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) and any(o.get("specify") for o in field.get("options", [])):
                    qtype = QuestionType.SINGLE_OTHER if qtype == QuestionType.SINGLE else QuestionType.MULTIPLE_OTHER
                question = {"id": field["id"], "type": str(qtype), "text": field.get("label", ""), "validation": {}}
                if field.get("options"):
                    question["options"] = [{"id": o["value"], "label": o["label"], **({"specify": True} if o.get("specify") else {})}
                                           for o in field["options"]]
                if field.get("rows"):
                    question["rows"] = [{"id": r["id"], "label": r["label"]} for r in field["rows"]]
                if field.get("branches"):
                    question["branches"] = dict(field["branches"])
                if field.get("options_per_row"):
                    question["per_row"] = field["options_per_row"]
                question.update({key: field[key] for key in field_type(field).design_keys if key in field})
                checks = question["validation"]
                if field.get("required"):
                    checks["required"] = True
                if field.get("error_message"):
                    checks["message"] = field["error_message"]
                for key in ("min_selections", "max_selections", "min_length", "max_length", "pattern", "minimum", "maximum"):
                    if field.get(key) is not None:
                        checks[key] = field[key]
                if qtype == QuestionType.FILL:
                    checks["kind"] = FillKind.NUMBER if field["type"] in ("integer", "decimal") else FillKind.TEXT
                design["questions"].append(question)
    if unsupported:
        raise DesignError([("", _("These questions cannot be edited in the designer: %(names)s.") % {"names": "、".join(unsupported)})])
    return design
