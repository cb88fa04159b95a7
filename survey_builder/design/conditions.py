"""显示条件 (show-if): a question shown only when earlier answers match, all (AND) or any (OR) of its rules.

Stored on the question as `{"join": "all" | "any", "rules": [{"q": "q1", "op": "is", "value": "o2"}, …]}` and
compiled to the engine's own visibility expression (`visible_if`, CEL over `cur`), so the wizard hides and
prunes such a question exactly as it does any hidden field. A rule reads an earlier single choice (is / is
not), multiple choice (includes / excludes) or number fill-in (=, ≠, >, ≥, <, ≤).
"""
import copy
import json
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _, gettext_lazy

from ..enums import FillKind, MULTI_TYPES, QuestionType

from .questions import DesignError, question_name, questions

JOINS = {"all": " && ", "any": " || "}
CHOICE_OPS = {"is": gettext_lazy("is"), "is_not": gettext_lazy("is not")}
MULTI_OPS = {"includes": gettext_lazy("includes"), "excludes": gettext_lazy("does not include")}
NUMBER_OPS = {"eq": "=", "ne": "≠", "gt": ">", "ge": "≥", "lt": "<", "le": "≤"}
CEL_NUMBER = {"eq": "==", "ne": "!=", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
MAX_RULES = 10


def condition_kind(question: dict) -> str | None:
    """What a rule over this question compares: "choice", "multi", "number", or None (it cannot be a condition)."""
    qtype = question["type"]
    if qtype in (QuestionType.SINGLE, QuestionType.SINGLE_OTHER):
        return "choice"
    if qtype in MULTI_TYPES and qtype != QuestionType.MATRIX_MULTIPLE:
        return "multi"
    if qtype == QuestionType.FILL and (question.get("validation") or {}).get("kind") == FillKind.NUMBER:
        return "number"
    return None


def condition_sources(design: dict, qid: str) -> list[dict]:
    """The earlier questions a rule of `qid` may read, with their operators and options (for step 3's editor)."""
    sources = []
    for question in questions(design):
        if question["id"] == qid:
            break
        kind = condition_kind(question)
        if kind is None:
            continue
        ops = {"choice": CHOICE_OPS, "multi": MULTI_OPS, "number": NUMBER_OPS}[kind]
        sources.append({"id": question["id"], "label": question_name(design, question["id"]), "kind": kind,
                        "ops": [{"value": k, "label": str(v)} for k, v in ops.items()],
                        "options": [{"value": o["id"], "label": o.get("label") or o["id"]} for o in question.get("options", [])]})
    return sources


def _rule_break(design: dict, qid: str, rule: dict) -> str | None:
    ids = [q["id"] for q in questions(design)]
    if rule.get("q") not in ids:
        return _("the question it reads was deleted")
    if ids.index(rule["q"]) >= ids.index(qid):
        return _("the question it reads no longer comes before it")
    source = questions(design)[ids.index(rule["q"])]
    kind = condition_kind(source)
    if kind is None:
        return _("the question it reads can no longer be a condition")
    ops = {"choice": CHOICE_OPS, "multi": MULTI_OPS, "number": NUMBER_OPS}[kind]
    if rule.get("op") not in ops:
        return _("the comparison no longer fits the question it reads")
    if kind in ("choice", "multi") and rule.get("value") not in {o["id"] for o in source.get("options", [])}:
        return _("the option it reads was deleted")
    if kind == "number" and not isinstance(rule.get("value"), (int, float)):
        return _("the comparison needs a number")
    return None


def show_if_clean(design: dict, qid: str, raw: dict) -> tuple[dict | None, list[str]]:
    """One question's condition from raw form values (`join`, `rules`: [{q, op, value}]): clean dict or None, problems."""
    rules, problems = [], []
    for number, item in enumerate((raw or {}).get("rules", [])[:MAX_RULES], 1):
        source_id, op, value = item.get("q", ""), item.get("op", ""), (item.get("value") or "").strip()
        if not source_id:
            continue
        rule = {"q": source_id, "op": op, "value": value}
        source = next((q for q in questions(design) if q["id"] == source_id), None)
        if source is not None and condition_kind(source) == "number":
            try:
                number_value = Decimal(value)
                if not number_value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(_("condition %(n)s: write a number to compare with.") % {"n": number})
                continue
            rule["value"] = int(number_value) if number_value == number_value.to_integral_value() else float(number_value)
        reason = _rule_break(design, qid, rule)
        if reason:
            problems.append(_("condition %(n)s: %(reason)s.") % {"n": number, "reason": reason})
            continue
        rules.append(rule)
    if not rules:
        return None, problems
    join = raw.get("join") if raw.get("join") in JOINS else "all"
    return {"join": join, "rules": rules}, problems


def show_if_set(design: dict, raw: dict[str, dict]) -> dict:
    """Step 3: `{question id: {"join": …, "rules": […]}}`; refused (nothing changes) when a rule is wrong."""
    after = copy.deepcopy(design)
    problems = []
    for question in questions(after):
        if question["id"] not in raw:
            continue
        clean, errors = show_if_clean(after, question["id"], raw[question["id"]])
        problems += [(question["id"], f"{question_name(after, question['id'])}: {e}") for e in errors]
        if clean:
            question["show_if"] = clean
        else:
            question.pop("show_if", None)
    if problems:
        raise DesignError(problems)
    return after


def show_if_prune(design: dict) -> list[str]:
    """Drop the rules an edit broke (a deleted or moved question, a deleted option); one message per rule."""
    messages = []
    for question in questions(design):
        condition = question.get("show_if")
        if not condition:
            continue
        kept = []
        for rule in condition.get("rules", []):
            reason = _rule_break(design, question["id"], rule)
            if reason is None:
                kept.append(rule)
            else:
                messages.append(_("Show-if condition dropped: %(question)s (%(reason)s).") % {
                    "question": question_name(design, question["id"]), "reason": reason})
        if kept:
            condition["rules"] = kept
        else:
            question.pop("show_if", None)
    return messages


def show_if_expression(condition: dict | None) -> str:
    """The engine's `visible_if` for a condition ("" for none), e.g. `(has(cur.q1) && cur.q1 == "o2") || …`."""
    parts = []
    for rule in (condition or {}).get("rules", []):
        path = f"cur.{rule['q']}"
        value = rule["value"]
        if rule["op"] in CHOICE_OPS:
            test = f"{path} {'==' if rule['op'] == 'is' else '!='} {json.dumps(value)}"
        elif rule["op"] == "includes":
            test = f"{json.dumps(value)} in {path}"
        elif rule["op"] == "excludes":
            test = f"!({json.dumps(value)} in {path})"
        else:
            test = f"{path} {CEL_NUMBER[rule['op']]} {float(value)!r}"
        parts.append(f"(has({path}) && {test})")
    return JOINS.get((condition or {}).get("join"), " && ").join(parts)


def show_if_text(design: dict, condition: dict | None) -> str:
    """The condition in the user's words: 「Q1「…」 是 一般 且 Q3「…」 > 5」."""
    words = []
    by_id = {q["id"]: q for q in questions(design)}
    for rule in (condition or {}).get("rules", []):
        source = by_id.get(rule["q"])
        if source is None:
            continue
        ops = {**CHOICE_OPS, **MULTI_OPS, **NUMBER_OPS}
        value = rule["value"]
        if rule["op"] in CHOICE_OPS or rule["op"] in MULTI_OPS:
            value = next((o.get("label") or o["id"] for o in source.get("options", []) if o["id"] == value), value)
        words.append(f"{question_name(design, rule['q'])} {ops[rule['op']]} {value}")
    return (_(" and ") if (condition or {}).get("join") != "any" else _(" or ")).join(words)
