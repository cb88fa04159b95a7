"""The survey sheet's `relevant` column read into visibility: the designer's own 显示条件 (`show_if`) when the
condition is one it can edit, else a CEL `visible_if`; conditions read earlier questions only, typed as they are."""
from django.utils.translation import gettext as _

from ..enums import FillKind, QuestionType
from .expressions import Answered, Compare, ExpressionRefused, Join, Not, Selected, references, to_cel, xpath_parse


class RelevanceReader:
    """Part of the survey sheet's reader (`reading._Reader`): a row's or a page's condition."""

    def _relevant(self, sheet, number, row, target, order):
        source = (row.get("relevant") or "").strip()
        if not source:
            return
        try:
            tree = _renamed(xpath_parse(source), self.ids)
        except ExpressionRefused as exc:
            sheet.refuse(number, "relevant", _("this condition cannot be expressed (%(reason)s); write comparisons of "
                                               "earlier questions, selected(), and, or, not().") % {"reason": str(exc)})
            return
        ids = list(order)
        if "title" in target:  # a page: its condition reads questions before its first one
            own = [qid for qid, q in order.items() if q.get("page") == target["id"]]
            limit = ids.index(own[0]) if own else len(ids)
        else:
            limit = ids.index(target["id"]) if target["id"] in ids else 0
        earlier = set(ids[:limit])
        for qid in references(tree):
            question = order.get(qid)
            if qid not in earlier or question is None:
                sheet.refuse(number, "relevant", _("“%(name)s” is not a question before this one.") % {"name": qid})
                return
            if question["type"] in (QuestionType.MATRIX_SINGLE, QuestionType.MATRIX_MULTIPLE, QuestionType.MATRIX_FILL):
                sheet.refuse(number, "relevant", _("a condition cannot read a table (“%(name)s”).") % {"name": qid})
                return
        if not self._typed(sheet, number, tree, order):
            return
        condition = None if "title" in target else _show_if(tree, order)
        if condition is not None:
            target["show_if"] = condition  # the designer's own 显示条件, editable in step 3
        else:
            multiple = frozenset(q for q, item in order.items() if item["type"] in (QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER))
            target["visible_if"] = to_cel(tree, multiple=multiple)

    def _typed(self, sheet, number, node, order) -> bool:
        """Comparisons fit the question they read: choices with their options, numbers with numbers."""
        if isinstance(node, Join):
            return all(self._typed(sheet, number, n, order) for n in node.nodes)
        if isinstance(node, Not):
            return self._typed(sheet, number, node.node, order)
        if isinstance(node, Answered):
            return True
        question = order[node.qid]
        choice = "options" in question
        multiple = question["type"] in (QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER)
        numeric = (question.get("validation") or {}).get("kind") == FillKind.NUMBER
        values = {o["id"] for o in question.get("options", [])}
        if isinstance(node, Selected) and not choice:
            sheet.refuse(number, "relevant", _("selected() reads a choice question; “%(name)s” is not one.") % {"name": node.qid})
            return False
        if isinstance(node, Compare) and multiple:
            sheet.refuse(number, "relevant", _("a multiple choice is tested with selected(${%(name)s}, '…').") % {"name": node.qid})
            return False
        if isinstance(node, Compare) and isinstance(node.value, float) and not numeric:
            sheet.refuse(number, "relevant", _("“%(name)s” is not a number question.") % {"name": node.qid})
            return False
        if isinstance(node, Compare) and isinstance(node.value, str) and numeric:
            sheet.refuse(number, "relevant", _("“%(name)s” is a number: compare it with a number.") % {"name": node.qid})
            return False
        value = node.value
        if choice and isinstance(value, str) and value not in values:
            sheet.refuse(number, "relevant", _("“%(value)s” is not a choice of “%(name)s”.") % {"value": value, "name": node.qid})
            return False
        return True


def _show_if_rule(node, order: dict) -> dict | None:
    """One rule of the designer's show-if for a leaf that means the same there (an unanswered question fails it)."""
    from ..design.conditions import condition_kind

    if not isinstance(node, (Compare, Selected)):
        return None
    kind = condition_kind(order[node.qid])
    if isinstance(node, Selected):
        return {"q": node.qid, "op": "includes" if kind == "multi" else "is", "value": node.value} if kind in ("choice", "multi") else None
    if kind == "choice" and node.op == "=" and isinstance(node.value, str):
        return {"q": node.qid, "op": "is", "value": node.value}
    ops = {"=": "eq", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
    if kind == "number" and node.op in ops and isinstance(node.value, float):
        value = int(node.value) if node.value.is_integer() else node.value
        return {"q": node.qid, "op": ops[node.op], "value": value}
    return None  # `!=`, not(): XLSForm shows the question while unanswered, the designer's rules do not


def _show_if(tree, order: dict) -> dict | None:
    """The designer's `show_if` (all / any of simple rules) when the condition is one, else None (kept as CEL)."""
    leaves = tree.nodes if isinstance(tree, Join) else (tree,)
    rules = [_show_if_rule(leaf, order) for leaf in leaves]
    if not rules or any(rule is None for rule in rules) or len(rules) > 10:
        return None
    return {"join": "any" if isinstance(tree, Join) and tree.op == "or" else "all", "rules": rules}


def _renamed(node, ids: dict):
    """The tree with XLSForm names replaced by platform ids (names not in the survey stay, to be refused)."""
    if isinstance(node, Join):
        return Join(node.op, tuple(_renamed(n, ids) for n in node.nodes))
    if isinstance(node, Not):
        return Not(_renamed(node.node, ids))
    return type(node)(ids.get(node.qid, node.qid), *[getattr(node, f) for f in node.__dataclass_fields__ if f != "qid"])
