"""The designer's state (问卷设计) and what can be done to it, as plain functions over a dict.

A design is what the six designer steps edit; nobody types JSON. Enabling compiles it into a form
definition (`document_build`) that the engine runs and `formdef check` accepts:

    {"numbering": true,
     "questions": [{"id": "q1", "type": "single", "text": "…",
                    "options": [{"id": "o1", "label": "良好", "specify": false}, …],   # choice and matrix types
                    "rows": [{"id": "r1", "label": "…"}],                             # matrix types
                    "branches": {"o1": "q3", "o2": "end"},                            # single-choice types
                    "validation": {"required": true, "min_selections": 1, "message": "…"},
                    "per_row": 2}]}

Question, option and row ids are stable: they are the answers' keys and values, so editing texts or
order keeps branches and statistics meaningful. New ids are never reused within a design.
"""
import copy
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .enums import (BRANCHING_TYPES, CHOICE_TYPES, MATRIX_TYPES, MULTI_TYPES, SPECIFY_TYPES, FillKind,
                    QuestionType)

END = "end"
MAX_TEXT = 500
MAX_LABEL = 200
MAX_MESSAGE = 200
MAX_PER_ROW = 6
FILL_MAX_LENGTH = 200
ESSAY_MAX_LENGTH = 4000
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class DesignError(Exception):
    """A designer request refused; `problems` are (question id or "", message) pairs for the page."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(m for _q, m in problems))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [m for _q, m in self.problems]


def design_new() -> dict:
    return {"numbering": True, "questions": []}


# -- reading ----------------------------------------------------------------------------------------

def questions(design: dict) -> list[dict]:
    return design.setdefault("questions", [])


def question_get(design: dict, qid: str) -> dict:
    for question in questions(design):
        if question["id"] == qid:
            return question
    raise DesignError([(qid, _("That question no longer exists."))])


def question_number(design: dict, qid: str) -> int:
    return [q["id"] for q in questions(design)].index(qid) + 1


def question_name(design: dict, qid: str) -> str:
    """`Q3「本月企业招工情况」`: how messages name a question."""
    question = question_get(design, qid)
    return f"Q{question_number(design, qid)}「{_short(question.get('text', ''))}」"


def _short(text: str, size: int = 20) -> str:
    text = (text or "").strip() or "…"
    return text if len(text) <= size else text[:size] + "…"


def has_options(question: dict) -> bool:
    return question["type"] in CHOICE_TYPES or question["type"] in (QuestionType.MATRIX_SINGLE, QuestionType.MATRIX_MULTIPLE)


def has_rows(question: dict) -> bool:
    return question["type"] in MATRIX_TYPES


def _new_id(prefix: str, taken) -> str:
    taken = set(taken)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _question_ids(design: dict) -> set:
    return {q["id"] for q in questions(design)} | set(design.get("retired_ids", []))


# -- step 2: questions -------------------------------------------------------------------------------

def question_add(design: dict, qtype: str) -> dict:
    """A new question of `qtype` at the end, with two options / rows where it needs them."""
    if qtype not in QuestionType.values:
        raise DesignError([("", _("Unknown question type."))])
    question = {"id": _new_id("q", _question_ids(design)), "type": qtype, "text": _("Question"), "validation": {}}
    if has_options(question):
        question["options"] = [{"id": "o1", "label": _("Option %(n)s") % {"n": 1}}, {"id": "o2", "label": _("Option %(n)s") % {"n": 2}}]
        if qtype in SPECIFY_TYPES:
            question["options"].append({"id": "o3", "label": _("Other (please specify)"), "specify": True})
    if has_rows(question):
        question["rows"] = [{"id": "r1", "label": _("Row %(n)s") % {"n": 1}}, {"id": "r2", "label": _("Row %(n)s") % {"n": 2}}]
    questions(design).append(question)
    return question


def question_copy(design: dict, qid: str) -> dict:
    original = question_get(design, qid)
    twin = copy.deepcopy(original)
    twin["id"] = _new_id("q", _question_ids(design))
    position = question_number(design, qid)
    questions(design).insert(position, twin)
    return twin


def question_delete(design: dict, qid: str) -> None:
    question_get(design, qid)
    design["questions"] = [q for q in questions(design) if q["id"] != qid]
    design.setdefault("retired_ids", []).append(qid)


def _move(items: list, index: int, delta: int) -> None:
    target = index + delta
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def question_move(design: dict, qid: str, delta: int) -> None:
    _move(questions(design), question_number(design, qid) - 1, delta)


ITEM_KINDS = {"options": "o", "rows": "r"}


def _items(question: dict, kind: str) -> list:
    if kind not in ITEM_KINDS or (kind == "options" and not has_options(question)) or (kind == "rows" and not has_rows(question)):
        raise DesignError([(question["id"], _("This question has no such list."))])
    return question.setdefault(kind, [])


def _item_index(items: list, item_id: str, qid: str) -> int:
    for i, item in enumerate(items):
        if item["id"] == item_id:
            return i
    raise DesignError([(qid, _("That option or row no longer exists."))])


def item_add(design: dict, qid: str, kind: str) -> dict:
    question = question_get(design, qid)
    items = _items(question, kind)
    item = {"id": _new_id(ITEM_KINDS[kind], [i["id"] for i in items] + question.get(f"retired_{kind}", []))}
    n = len(items) + 1
    item["label"] = _("Option %(n)s") % {"n": n} if kind == "options" else _("Row %(n)s") % {"n": n}
    items.append(item)
    return item


def item_copy(design: dict, qid: str, kind: str, item_id: str) -> dict:
    question = question_get(design, qid)
    items = _items(question, kind)
    index = _item_index(items, item_id, qid)
    twin = dict(items[index], id=_new_id(ITEM_KINDS[kind], [i["id"] for i in items] + question.get(f"retired_{kind}", [])))
    items.insert(index + 1, twin)
    return twin


def item_delete(design: dict, qid: str, kind: str, item_id: str) -> None:
    question = question_get(design, qid)
    items = _items(question, kind)
    index = _item_index(items, item_id, qid)
    if len(items) <= 1:
        raise DesignError([(qid, _("%(question)s needs at least one option or row.") % {"question": question_name(design, qid)})])
    del items[index]
    question.setdefault(f"retired_{kind}", []).append(item_id)


def item_move(design: dict, qid: str, kind: str, item_id: str, delta: int) -> None:
    question = question_get(design, qid)
    items = _items(question, kind)
    _move(items, _item_index(items, item_id, qid), delta)


def texts_apply(design: dict, data) -> None:
    """Typed texts of step 2 (`q-<id>-text`, `q-<id>-options-<oid>`, `q-<id>-rows-<rid>`, `q-<id>-specify-<oid>`).

    Only questions present in the posted form are touched, so a stale page cannot blank others.
    """
    for question in questions(design):
        prefix = f"q-{question['id']}-"
        if f"{prefix}text" not in data:
            continue
        question["text"] = data.get(f"{prefix}text", "").strip()[:MAX_TEXT]
        for kind in ("options", "rows"):
            for item in question.get(kind, []):
                name = f"{prefix}{kind}-{item['id']}"
                if name in data:
                    item["label"] = data.get(name, "").strip()[:MAX_LABEL]
        if question["type"] in SPECIFY_TYPES:
            for option in question.get("options", []):
                option["specify"] = data.get(f"{prefix}specify-{option['id']}") in ("on", "true", "1")


OPERATIONS = {
    # op name: (function, arguments taken from the op string after the name)
    "add": lambda d, qtype: question_add(d, qtype),
    "copy": lambda d, qid: question_copy(d, qid),
    "delete": lambda d, qid: question_delete(d, qid),
    "up": lambda d, qid: question_move(d, qid, -1),
    "down": lambda d, qid: question_move(d, qid, +1),
    "item_add": lambda d, qid, kind: item_add(d, qid, kind),
    "item_copy": lambda d, qid, kind, iid: item_copy(d, qid, kind, iid),
    "item_delete": lambda d, qid, kind, iid: item_delete(d, qid, kind, iid),
    "item_up": lambda d, qid, kind, iid: item_move(d, qid, kind, iid, -1),
    "item_down": lambda d, qid, kind, iid: item_move(d, qid, kind, iid, +1),
}


def operation_apply(design: dict, op: str) -> None:
    """One button of step 2, e.g. `add:single`, `copy:q2`, `item_delete:q2:options:o3`."""
    name, *args = (op or "").split(":")
    function = OPERATIONS.get(name)
    if function is None:
        raise DesignError([("", _("Unknown action."))])
    try:
        function(design, *args)
    except TypeError:
        raise DesignError([("", _("Unknown action."))])


def questions_edit(design: dict, *, data, op: str = "") -> tuple[dict, list[str]]:
    """Step 2's one request: apply the typed texts, then the button's operation, then prune branches.

    Returns the new design and the messages naming each branch that the edit broke and dropped.
    """
    before = copy.deepcopy(design)
    after = copy.deepcopy(design)
    texts_apply(after, data)
    if op:
        operation_apply(after, op)
    return after, branches_prune(after, before=before)


# -- step 3: branches --------------------------------------------------------------------------------

def branch_targets(design: dict, qid: str) -> list[dict]:
    """Where a question may jump: any later question, or the end."""
    ids = [q["id"] for q in questions(design)]
    later = ids[ids.index(qid) + 1:]
    return [{"value": t, "label": question_name(design, t)} for t in later] + [{"value": END, "label": _("End the questionnaire")}]


def _branch_break(design: dict, question: dict, option_id: str, target: str) -> str | None:
    """Why a kept branch no longer makes sense (None when it still does)."""
    if question["type"] not in BRANCHING_TYPES:
        return _("the question is no longer a single choice")
    if option_id not in {o["id"] for o in question.get("options", [])}:
        return _("the option was deleted")
    if target == END:
        return None
    ids = [q["id"] for q in questions(design)]
    if target not in ids:
        return _("the target question was deleted")
    if ids.index(target) <= ids.index(question["id"]):
        return _("the target question no longer comes after it")
    return None


def branches_prune(design: dict, *, before: dict | None = None) -> list[str]:
    """Drop the branches an edit broke, keep every other one; one message per dropped branch.

    `before` (the design before the edit) names options and targets that no longer exist.
    """
    before = before or design
    old_questions = {q["id"]: q for q in questions(before)}
    messages = []
    for question in questions(design):
        branches = question.get("branches") or {}
        for option_id, target in list(branches.items()):
            reason = _branch_break(design, question, option_id, target)
            if reason is None:
                continue
            del branches[option_id]
            old = old_questions.get(question["id"], question)
            option = next((o for o in old.get("options", []) + question.get("options", []) if o["id"] == option_id), {})
            if target == END:
                target_name = _("end")
            elif target in old_questions:
                target_name = f"Q{[q['id'] for q in questions(before)].index(target) + 1}「{_short(old_questions[target].get('text', ''))}」"
            else:
                target_name = target
            messages.append(_("Branch dropped: %(question)s, option “%(option)s” → %(target)s (%(reason)s).") % {
                "question": question_name(design, question["id"]), "option": option.get("label", option_id),
                "target": target_name, "reason": reason})
        if branches:
            question["branches"] = branches
        else:
            question.pop("branches", None)
    return messages


def branch_problems(design: dict) -> list[tuple[str, str]]:
    """Branches that cannot be published: bad targets, or some options of a question branching and others not."""
    problems = []
    for question in questions(design):
        branches = question.get("branches") or {}
        if not branches:
            continue
        for option_id, target in branches.items():
            reason = _branch_break(design, question, option_id, target)
            if reason:
                problems.append((question["id"], f"{question_name(design, question['id'])}: {reason}"))
        missing = [o["label"] or o["id"] for o in question.get("options", []) if o["id"] not in branches]
        if missing:
            problems.append((question["id"], _("%(question)s: once one option has a branch every option needs one; "
                                               "missing: %(options)s.") % {
                "question": question_name(design, question["id"]), "options": "、".join(missing)}))
    return problems


def branches_set(design: dict, chosen: dict[str, dict[str, str]]) -> dict:
    """Step 3: `{question id: {option id: target or ""}}` for the single-choice questions; refused when incomplete."""
    after = copy.deepcopy(design)
    for question in questions(after):
        if question["type"] not in BRANCHING_TYPES or question["id"] not in chosen:
            continue
        branches = {oid: target for oid, target in chosen[question["id"]].items() if target}
        if branches:
            question["branches"] = branches
        else:
            question.pop("branches", None)
    problems = branch_problems(after)
    if problems:
        raise DesignError(problems)
    return after


# -- step 4: validation ------------------------------------------------------------------------------

def validation_keys(question: dict) -> list[str]:
    """The checks a question type offers (数据校验定义)."""
    qtype = question["type"]
    keys = ["required"]
    if qtype in MULTI_TYPES and qtype != QuestionType.MATRIX_MULTIPLE:
        keys += ["min_selections", "max_selections"]
    if qtype == QuestionType.FILL:
        keys += ["kind", "minimum", "maximum", "min_length", "max_length", "pattern"]
    if qtype == QuestionType.ESSAY:
        keys += ["min_length", "max_length"]
    if qtype == QuestionType.MATRIX_FILL:
        keys += ["max_length"]
    return keys + ["message"]


INTEGER_KEYS = ("min_selections", "max_selections", "min_length", "max_length")
NUMBER_KEYS = ("minimum", "maximum")


def _as_int(value, name, errors):
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.append(_("%(name)s must be a whole number.") % {"name": name})
        return None
    if number < 0:
        errors.append(_("%(name)s must not be negative.") % {"name": name})
        return None
    return number


def _as_number(value, name, errors):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(_("%(name)s must be a number.") % {"name": name})
        return None
    if not number.is_finite():
        errors.append(_("%(name)s must be a number.") % {"name": name})
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def validation_clean(design: dict, question: dict, raw: dict) -> tuple[dict, list[str]]:
    """One question's checks from raw form values: the clean dict and the problems (both may be partial)."""
    names = {"min_selections": _("At least (selections)"), "max_selections": _("At most (selections)"),
             "min_length": _("Minimum length"), "max_length": _("Maximum length"),
             "minimum": _("Minimum value"), "maximum": _("Maximum value")}
    keys = validation_keys(question)
    errors, clean = [], {}
    if raw.get("required"):
        clean["required"] = True
    for key in INTEGER_KEYS:
        if key in keys:
            value = _as_int(raw.get(key), names[key], errors)
            if value is not None:
                clean[key] = value
    kind = raw.get("kind") or FillKind.TEXT
    if "kind" in keys:
        if kind not in FillKind.values:
            errors.append(_("Choose text or number."))
            kind = FillKind.TEXT
        clean["kind"] = kind
        if kind == FillKind.NUMBER:
            for key in NUMBER_KEYS:
                value = _as_number(raw.get(key), names[key], errors)
                if value is not None:
                    clean[key] = value
            for key in ("min_length", "max_length"):
                clean.pop(key, None)
        else:
            pattern = (raw.get("pattern") or "").strip()
            if pattern:
                try:
                    re.compile(pattern)
                except re.error:
                    errors.append(_("The pattern is not a valid regular expression."))
                else:
                    clean["pattern"] = pattern
    message = (raw.get("message") or "").strip()
    if message:
        clean["message"] = message[:MAX_MESSAGE]
    errors += _validation_conflicts(question, clean)
    return clean, [f"{question_name(design, question['id'])}: {e}" for e in errors]


def _validation_conflicts(question: dict, checks: dict) -> list[str]:
    problems = []
    low, high = checks.get("min_selections"), checks.get("max_selections")
    count = len(question.get("options", []))
    if high == 0:
        problems.append(_("at most must be at least 1."))
    if low is not None and high is not None and low > high:
        problems.append(_("at least is more than at most."))
    if has_options(question) and low is not None and low > count:
        problems.append(_("at least %(n)s selections, but there are only %(count)s options.") % {"n": low, "count": count})
    if has_options(question) and high is not None and high > count:
        problems.append(_("at most %(n)s selections, but there are only %(count)s options.") % {"n": high, "count": count})
    if checks.get("min_length") is not None and checks.get("max_length") is not None and checks["min_length"] > checks["max_length"]:
        problems.append(_("the minimum length is more than the maximum length."))
    if checks.get("max_length") == 0:
        problems.append(_("the maximum length must be at least 1."))
    if checks.get("minimum") is not None and checks.get("maximum") is not None and checks["minimum"] > checks["maximum"]:
        problems.append(_("the minimum value is more than the maximum value."))
    return problems


def validation_set(design: dict, raw: dict[str, dict]) -> dict:
    """Step 4: `{question id: raw values}`; refused (nothing changes) when any question's checks are wrong."""
    after = copy.deepcopy(design)
    problems = []
    for question in questions(after):
        if question["id"] not in raw:
            continue
        clean, errors = validation_clean(after, question, raw[question["id"]])
        problems += [(question["id"], e) for e in errors]
        question["validation"] = clean
    if problems:
        raise DesignError(problems)
    return after


# -- step 5: layout ----------------------------------------------------------------------------------

def per_row_applies(question: dict) -> bool:
    return question["type"] in CHOICE_TYPES


def layout_set(design: dict, *, numbering: bool, per_row: dict[str, int]) -> dict:
    after = copy.deepcopy(design)
    after["numbering"] = bool(numbering)
    for question in questions(after):
        if per_row_applies(question) and question["id"] in per_row:
            value = per_row[question["id"]]
            if value and not 1 <= value <= MAX_PER_ROW:
                raise DesignError([(question["id"], _("Options per row: 1 to %(n)s.") % {"n": MAX_PER_ROW})])
            if value:
                question["per_row"] = value
            else:
                question.pop("per_row", None)
    return after


# -- checks before enabling --------------------------------------------------------------------------

def question_problems(design: dict) -> list[tuple[str, str]]:
    """Step 2's problems: texts, options and rows that a respondent could not answer."""
    problems = []
    if not questions(design):
        problems.append(("", _("Add at least one question.")))
    for question in questions(design):
        name = question_name(design, question["id"])
        if not question.get("text", "").strip():
            problems.append((question["id"], _("%(question)s: write the question.") % {"question": name}))
        if has_options(question):
            options = question.get("options", [])
            if len(options) < 2:
                problems.append((question["id"], _("%(question)s: give at least two options.") % {"question": name}))
            if any(not o.get("label", "").strip() for o in options):
                problems.append((question["id"], _("%(question)s: every option needs a text.") % {"question": name}))
            if question["type"] in SPECIFY_TYPES and not any(o.get("specify") for o in options):
                problems.append((question["id"], _("%(question)s: mark the option that asks for text.") % {"question": name}))
        if has_rows(question):
            rows = question.get("rows", [])
            if not rows:
                problems.append((question["id"], _("%(question)s: give at least one row.") % {"question": name}))
            if any(not r.get("label", "").strip() for r in rows):
                problems.append((question["id"], _("%(question)s: every row needs a text.") % {"question": name}))
    return problems


def design_problems(design: dict) -> list[tuple[str, str]]:
    """Everything that keeps a design from being enabled (steps 2–5)."""
    problems = question_problems(design) + branch_problems(design)
    for question in questions(design):
        checks = question.get("validation") or {}
        problems += [(question["id"], f"{question_name(design, question['id'])}: {p}") for p in _validation_conflicts(question, checks)]
    return problems


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
                "numbering": bool(design.get("numbering", True)),
                "steps": [{"id": "survey", "title": meta.title, "sections": [{"id": "questions", "fields": fields}]}]}
    if meta.description:
        document["description"] = meta.description
    return document


def _field(question: dict) -> dict:
    qtype = question["type"]
    checks = question.get("validation") or {}
    field = {"id": question["id"], "label": question.get("text") or question["id"]}
    options = [{"value": o["id"], "label": o.get("label") or o["id"], **({"specify": True} if o.get("specify") and qtype in SPECIFY_TYPES else {})}
               for o in question.get("options", [])]
    rows = [{"id": r["id"], "label": r.get("label") or r["id"]} for r in question.get("rows", [])]
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
        field["type"] = "decimal"
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
    if per_row_applies(question) and question.get("per_row"):
        field["options_per_row"] = question["per_row"]
    if checks.get("required"):
        field["required"] = True
    if checks.get("message"):
        field["error_message"] = checks["message"]
    return field


#: Engine field type → designer question type, for copying a questionnaire that was shipped as a definition.
FROM_ENGINE = {"choice": QuestionType.SINGLE, "multichoice": QuestionType.MULTIPLE, "text": QuestionType.FILL,
               "integer": QuestionType.FILL, "decimal": QuestionType.FILL, "textarea": QuestionType.ESSAY,
               "matrix_single": QuestionType.MATRIX_SINGLE, "matrix_multiple": QuestionType.MATRIX_MULTIPLE,
               "matrix_fill": QuestionType.MATRIX_FILL}


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
