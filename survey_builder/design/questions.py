"""Questions, options and rows of a questionnaire design: add, copy, delete, reorder, edit texts."""
import copy
import re


from django.utils.translation import gettext as _

from ..enums import CHOICE_TYPES, MATRIX_TYPES, SPECIFY_TYPES, QuestionType


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
