"""逻辑分支定义: per-option jumps, their completeness, pruning the ones an edit breaks, and step 2's edit."""
import copy


from django.utils.translation import gettext as _

from ..enums import BRANCHING_TYPES

from .conditions import show_if_prune
from .questions import _short, DesignError, END, duplicates_check, operation_apply, question_name, questions, texts_apply


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


def questions_edit(design: dict, *, data, op: str = "", text: str = "") -> tuple[dict, list[str]]:
    """Step 2's one request: apply the typed texts, then the button's operation, then prune branches.

    Refused (DesignError) when a question would offer one option text twice. `undo` goes one edit back.
    Returns the new design and the messages naming each branch that the edit broke and dropped.
    """
    if op == "undo":
        return design_undo(design), []
    before = copy.deepcopy(design)
    after = copy.deepcopy(design)
    texts_apply(after, data)
    if op:
        operation_apply(after, op, text)
    duplicates_check(after)
    return after, branches_prune(after, before=before) + show_if_prune(after)


#: Keys of a design that are bookkeeping, not content (an undo snapshot, the revision token).
BOOKKEEPING = ("undo", "revision")


def design_content(design: dict) -> dict:
    return {k: v for k, v in design.items() if k not in BOOKKEEPING}


def design_remember(after: dict, before: dict) -> dict:
    """`after` with `before` kept as its one step of undo (when the edit changed anything)."""
    if design_content(after) != design_content(before):
        after["undo"] = copy.deepcopy(design_content(before))
    return after


def design_undo(design: dict) -> dict:
    """撤销: the design as it was before the last edit (one step back); ids retired since stay retired."""
    previous = design.get("undo")
    if not previous:
        raise DesignError([("", _("There is nothing to undo."))])
    restored = copy.deepcopy(previous)
    present = {q["id"] for q in questions(restored)}
    retired = set(design.get("retired_ids", [])) | set(restored.get("retired_ids", [])) | {q["id"] for q in questions(design)}
    restored["retired_ids"] = sorted(retired - present)
    for question in questions(restored):
        current = next((q for q in questions(design) if q["id"] == question["id"]), None)
        for kind in ("options", "rows"):
            ids = {i["id"] for i in question.get(kind, [])}
            taken = set(question.get(f"retired_{kind}", []))
            if current is not None:
                taken |= set(current.get(f"retired_{kind}", [])) | {i["id"] for i in current.get(kind, [])}
            if taken - ids:
                question[f"retired_{kind}"] = sorted(taken - ids)
    if "revision" in design:
        restored["revision"] = design["revision"]
    return restored
