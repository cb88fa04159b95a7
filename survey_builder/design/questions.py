"""Questions, options and rows of a questionnaire design: add, copy, delete, reorder, edit texts."""
import copy
import re


from django.utils.translation import gettext as _, pgettext

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
    # Texts start empty: the editor shows 「题目」, 「选项1」 … as placeholders, so nobody has to delete a default.
    question = {"id": _new_id("q", _question_ids(design)), "type": qtype, "text": "", "validation": {}}
    if has_options(question):
        question["options"] = [{"id": "o1", "label": ""}, {"id": "o2", "label": ""}]
        if qtype in SPECIFY_TYPES:
            question["options"].append({"id": "o3", "label": _("Other (please specify)"), "specify": True})
    if has_rows(question):
        question["rows"] = [{"id": "r1", "label": ""}, {"id": "r2", "label": ""}]
    questions(design).append(question)
    return question


def question_insert(design: dict, question: dict) -> dict:
    """A question from elsewhere (the question bank) at the end, with fresh question, option and row ids."""
    twin = copy.deepcopy(question)
    twin["id"] = _new_id("q", _question_ids(design))
    twin.pop("branches", None)
    twin.pop("show_if", None)
    for key in list(twin):
        if key.startswith("retired_"):
            del twin[key]
    for kind, prefix in ITEM_KINDS.items():
        if kind in twin:
            twin[kind] = [dict(item, id=f"{prefix}{n}") for n, item in enumerate(twin[kind], 1)]
    if twin.get("type") not in QuestionType.values:
        raise DesignError([("", _("Unknown question type."))])
    twin.setdefault("validation", {})
    questions(design).append(twin)
    return twin


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
    item = {"id": _item_new_id(question, kind), "label": ""}
    items.append(item)
    return item


def _item_new_id(question: dict, kind: str) -> str:
    return _new_id(ITEM_KINDS[kind], [i["id"] for i in question.get(kind, [])] + question.get(f"retired_{kind}", []))


def item_insert_after(design: dict, qid: str, kind: str, item_id: str, labels=("",)) -> list[dict]:
    """New options or rows right after `item_id`, one per label (Enter in an option; a pasted list)."""
    question = question_get(design, qid)
    items = _items(question, kind)
    index = _item_index(items, item_id, qid)
    created = []
    for label in labels:
        item = {"id": _item_new_id(question, kind), "label": label}
        created.append(item)
        items.insert(index + len(created), item)
    return created


def item_paste(design: dict, qid: str, kind: str, item_id: str, text: str) -> list[dict]:
    """A multi-line paste into one option: this option takes the first line, the empty options after it the next
    ones, and each further line becomes a new option after them."""
    lines = text_lines(text)
    if not lines:
        return []
    question = question_get(design, qid)
    items = _items(question, kind)
    index = _item_index(items, item_id, qid)
    items[index]["label"] = lines[0]
    rest = lines[1:]
    # the empty options that follow (a new question's placeholders) take the next lines first
    while rest and index + 1 < len(items) and not items[index + 1].get("label", "").strip():
        index += 1
        items[index]["label"] = rest.pop(0)
    return item_insert_after(design, qid, kind, items[index]["id"], rest)


def question_paste(design: dict, qid: str, text: str) -> None:
    """A question copied from a paper form pasted into a new question's text box: the first line is the question,
    the lines after it its options (a question without options keeps the whole text)."""
    question = question_get(design, qid)
    first, _newline, rest = (text or "").strip().partition("\n")
    if not has_options(question) or not text_lines(rest):
        question["text"] = (text or "").strip()[:MAX_TEXT]
        return
    question["text"] = first.strip()[:MAX_TEXT]
    options = _items(question, "options")
    start = next((o for o in options if not o.get("label", "").strip()), None)
    if start is None:
        item_insert_after(design, qid, "options", options[-1]["id"], text_lines(rest))
    else:
        item_paste(design, qid, "options", start["id"], rest)


def text_lines(text: str) -> list[str]:
    """The non-empty lines of a pasted or typed list (a leading bullet or number such as 「1.」 or 「A、」 is dropped)."""
    lines = []
    for line in re.split(r"[\r\n]+", text or ""):
        line = re.sub(r"^\s*(?:[-*•·■□○●]|[0-9A-Za-z]{1,2}[.、)）])\s*", "", line).strip()
        if line:
            lines.append(line[:MAX_LABEL])
    return lines


def items_from_text(design: dict, qid: str, kind: str, text: str) -> None:
    """「按文本编辑选项」: one option (or row) per line. A line equal to an existing option's text keeps that
    option (its id, so branches and statistics stay); other lines become new options; the rest are removed."""
    question = question_get(design, qid)
    items = _items(question, kind)
    lines = text_lines(text)
    if not lines:
        raise DesignError([(qid, _("%(question)s needs at least one option or row.") % {"question": question_name(design, qid)})])
    by_label = {}
    for item in items:
        by_label.setdefault(item.get("label", ""), item)
    kept, result = set(), []
    for line in lines:
        old = by_label.get(line)
        if old is not None and old["id"] not in kept:
            kept.add(old["id"])
            result.append(old)
        else:
            result.append(None)
    for item in items:
        if item["id"] not in kept:
            question.setdefault(f"retired_{kind}", []).append(item["id"])
    question[kind] = []
    for line, item in zip(lines, result):
        question[kind].append(item if item is not None else {"id": _item_new_id(question, kind), "label": line})


def items_order(design: dict, qid: str, kind: str, order: str) -> None:
    """Drag and drop: the options (or rows) in the order of the ids given (`o3,o1,o2`); the same ids, or refused."""
    question = question_get(design, qid)
    items = _items(question, kind)
    wanted = [i for i in (order or "").split(",") if i]
    if sorted(wanted) != sorted(i["id"] for i in items):
        raise DesignError([(qid, _("The list changed meanwhile; reload the page and try again."))])
    by_id = {i["id"]: i for i in items}
    question[kind] = [by_id[i] for i in wanted]


def questions_order(design: dict, order: str) -> None:
    """Drag and drop: the questions in the order of the ids given (`q3,q1,q2`); the same ids, or refused."""
    wanted = [i for i in (order or "").split(",") if i]
    if sorted(wanted) != sorted(q["id"] for q in questions(design)):
        raise DesignError([("", _("The questions changed meanwhile; reload the page and try again."))])
    by_id = {q["id"]: q for q in questions(design)}
    design["questions"] = [by_id[i] for i in wanted]


def item_copy(design: dict, qid: str, kind: str, item_id: str) -> dict:
    question = question_get(design, qid)
    items = _items(question, kind)
    index = _item_index(items, item_id, qid)
    twin = dict(items[index], id=_item_new_id(question, kind))
    if twin.get("label"):  # two options with one text would be refused
        twin["label"] = (_("%(label)s (copy)") % {"label": twin["label"]})[:MAX_LABEL]
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
        for kind in ("options", "rows"):
            # A list pasted into one box without the page's script: one option per line.
            for item in list(question.get(kind, [])):
                if "\n" in item["label"] or "\r" in item["label"]:
                    item_paste(design, question["id"], kind, item["id"], item["label"])
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
    "item_after": lambda d, qid, kind, iid: item_insert_after(d, qid, kind, iid),
    "order": lambda d, order: questions_order(d, order),
    "item_order": lambda d, qid, kind, order: items_order(d, qid, kind, order),
}

#: Operations that take a posted text besides the op string (`op_text`): a paste, the options as text.
TEXT_OPERATIONS = {
    "item_paste": lambda d, text, qid, kind, iid: item_paste(d, qid, kind, iid, text),
    "items_text": lambda d, text, qid, kind: items_from_text(d, qid, kind, text),
    "question_paste": lambda d, text, qid: question_paste(d, qid, text),
}


def duplicate_labels(question: dict) -> dict[str, list[str]]:
    """Option (or row) texts used twice in one question, by list: {"options": ["良好"]}."""
    found = {}
    for kind in ("options", "rows"):
        seen, twice = set(), []
        for item in question.get(kind, []):
            label = (item.get("label") or "").strip()
            if label and label in seen and label not in twice:
                twice.append(label)
            seen.add(label)
        if twice:
            found[kind] = twice
    return found


def duplicates_check(design: dict) -> None:
    """Refuse a design in which one question offers the same option (or row) text twice."""
    problems = []
    for question in questions(design):
        for kind, labels in duplicate_labels(question).items():
            what = _("option") if kind == "options" else pgettext("matrix", "row")
            problems.append((question["id"], _("%(question)s: the %(what)s “%(label)s” appears twice.") % {
                "question": question_name(design, question["id"]), "what": what, "label": "、".join(labels)}))
    if problems:
        raise DesignError(problems)


def operation_apply(design: dict, op: str, text: str = "") -> None:
    """One button of step 2, e.g. `add:single`, `copy:q2`, `item_delete:q2:options:o3`; `text` for a paste."""
    name, *args = (op or "").split(":")
    if name in TEXT_OPERATIONS:
        args = [text, *args]
    function = OPERATIONS.get(name) or TEXT_OPERATIONS.get(name)
    if function is None:
        raise DesignError([("", _("Unknown action."))])
    try:
        function(design, *args)
    except TypeError:
        raise DesignError([("", _("Unknown action."))])
