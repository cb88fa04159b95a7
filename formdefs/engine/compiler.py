"""Compile a definition once: answer schema validator, CEL programs, visibility, computed values, rules."""
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.utils.translation import gettext

from ..enums import Severity
from ..types import field_type
from .definition import COMPUTED_TYPES, NO_ANSWER_TYPES, DefinitionIndex, localized
from .expressions import ContextAbsent, Expression, Skip
from .numbers import AnswerValidator
from .results import Issue, RuleContext, ValidationResult
from .schema_messages import schema_issues

MAX_VISIBILITY_PASSES = 3


def document_checksum(document: dict) -> str:
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class CompiledRule:
    id: str
    severity: str
    expr: Expression
    when: Expression | None
    fields: tuple
    step: str | None
    node: dict

    def message(self) -> str:
        return localized(self.node, "message")


class CompiledForm:
    """Everything the engine needs to run one definition version, built once and reused."""

    def __init__(self, document: dict):
        self.document = document
        self.index = DefinitionIndex(document)
        self.tolerance = float(document.get("money_tolerance", 0.01))
        self.conditions: dict[str, Expression] = {}
        expressions: dict[str, Expression] = {}

        def compiled(source: str) -> Expression:
            if source not in expressions:
                expressions[source] = Expression(source)
            return expressions[source]

        for step in self.index.steps:
            if step.get("visible_if"):
                self.conditions[step["id"]] = compiled(step["visible_if"])
            for section in step.get("sections", []):
                if section.get("visible_if"):
                    self.conditions[section["id"]] = compiled(section["visible_if"])
        self.schemas = {}
        self.column_exprs: dict[str, list] = {}
        self.computed_exprs: dict[str, Expression] = {}
        for field in self.index.fields:
            fid = field["id"]
            if field.get("visible_if"):
                self.conditions[fid] = compiled(field["visible_if"])
            for row in field.get("rows", []):
                if row.get("visible_if"):
                    self.conditions[f"{fid}.{row['id']}"] = compiled(row["visible_if"])
            if field["type"] in COMPUTED_TYPES:
                self.computed_exprs[fid] = compiled(field["expr"])
            computed_columns = [c for c in field.get("columns", []) if c.get("expr")]
            if computed_columns:  # an indicator grid's computed columns
                self.column_exprs[fid] = [
                    (c, Expression(f"rows.map(row, {c['expr']})"), compiled(c["expr"])) for c in computed_columns
                ]
            self.schemas.update(field_type(field).answer_schema(field))
        self.computed_order = _computed_order(self.index, self.computed_exprs)
        self.schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": self.schemas,
            "additionalProperties": False,
        }
        self.validator = AnswerValidator(self.schema, format_checker=AnswerValidator.FORMAT_CHECKER)
        self.rules = [self._compile_rule(node, compiled) for node in document.get("rules", [])]
        #: Built once per step and language by the forms layer (`forms.builder.step_adapters`).
        self.form_cache: dict = {}

    def _compile_rule(self, node: dict, compiled) -> CompiledRule:
        expr = compiled(node["expr"])
        fields = tuple(node.get("fields") or [".".join(p[1:]) for p in expr.paths if p[0] == "cur" and len(p) > 1])
        steps = [self.index.step_index[self.index.step_of[f.split(".")[0]]] for f in fields if f.split(".")[0] in self.index.step_of]
        step = self.index.steps[max(steps)]["id"] if steps else None
        when = compiled(node["when"]) if node.get("when") else None
        return CompiledRule(node["id"], node.get("severity", Severity.ERROR), expr, when, fields, step, node)

    # -- visibility -------------------------------------------------------------------------
    def hidden_nodes(self, answers: dict, context: RuleContext) -> frozenset:
        """Ids of hidden steps, sections, fields and grid rows (`grid.row`); answers decide, then re-decide."""
        hidden = self._hidden_once(answers, context)
        for _ in range(MAX_VISIBILITY_PASSES - 1):
            again = self._hidden_once(self.prune(answers, hidden), context)
            if again == hidden:
                break
            hidden = again
        return hidden

    def _hidden_once(self, answers: dict, context: RuleContext) -> frozenset:
        variables = context.variables(answers)
        cache: dict[str, bool] = {}

        def visible(node_id: str) -> bool:
            expr = self.conditions.get(node_id)
            if expr is None:
                return True
            if expr.source not in cache:
                try:
                    cache[expr.source] = bool(expr.evaluate(variables))
                except ContextAbsent:
                    cache[expr.source] = True  # undecidable without the context (preview): show
                except Skip:
                    cache[expr.source] = False
            return cache[expr.source]

        hidden = set()
        skip_until, ended = None, False
        for step in self.index.steps:
            step_hidden = not visible(step["id"])
            if step_hidden:
                hidden.add(step["id"])
            for section in step.get("sections", []):
                section_hidden = step_hidden or not visible(section["id"])
                if section_hidden:
                    hidden.add(section["id"])
                for field in section.get("fields", []):
                    fid = field["id"]
                    if skip_until == fid:
                        skip_until = None
                    if ended or skip_until or section_hidden or not visible(fid):
                        hidden.add(fid)
                        continue
                    for row in field.get("rows", []):
                        if row.get("visible_if") and not visible(f"{fid}.{row['id']}"):
                            hidden.add(f"{fid}.{row['id']}")
                    branches = field.get("branches")
                    if branches and fid in answers:
                        target = branches.get(_branch_key(answers[fid]))
                        if target == "end":
                            ended = True
                        elif target:
                            skip_until = target
        return frozenset(hidden)

    def prune(self, answers: dict, hidden: frozenset) -> dict:
        """Answers without hidden fields and rows, without computed or unknown keys."""
        kept = {}
        fields = self.index.field_by_id
        for key, value in answers.items():
            field = fields.get(key)
            if field is None and key.endswith("_other"):
                base = fields.get(key[:-6])
                if base is not None and key[:-6] not in hidden and any(o.get("specify") for o in base.get("options", [])):
                    kept[key] = value
                continue
            if field is None or key in hidden or field["type"] in COMPUTED_TYPES or field["type"] in NO_ANSWER_TYPES:
                continue
            kept[key] = field_type(field).prune(field, value, hidden)
        return kept

    # -- computed values --------------------------------------------------------------------
    def compute(self, answers: dict, context: RuleContext, hidden: frozenset = frozenset()) -> dict:
        """Fill computed fields and computed grid columns (in dependency order); None when undecidable."""
        variables = context.variables(answers)
        for fid in self.computed_order:
            if fid in hidden:
                continue
            field = self.index.field_by_id[fid]
            try:
                value = self.computed_exprs[fid].evaluate(variables)
            except Skip:
                value = None
            answers[fid] = _round(value, field.get("decimals"))
        for fid, columns in self.column_exprs.items():
            grid = answers.get(fid)
            if not isinstance(grid, dict) or not grid:
                continue
            grid = {name: dict(cells) for name, cells in grid.items() if isinstance(cells, dict)}
            answers[fid] = grid
            names = list(grid)
            for column, batch, single in columns:
                try:
                    values = batch.evaluate({"rows": [grid[n] for n in names]})
                except Skip:
                    values = [_safe(single, {"row": grid[n]}) for n in names]
                for name, value in zip(names, values):
                    grid[name][column["id"]] = _round(value, column.get("decimals", 2))
        return answers

    # -- validation -------------------------------------------------------------------------
    def validate(self, answers: dict, context: RuleContext | None = None, *, steps=None,
                 check_schema: bool = True, check_required: bool = True) -> ValidationResult:
        """Full validation: visibility, answer schema, required answers, computed values, rules.

        `steps` limits required checks and rules to those steps (the wizard validates one step).
        """
        context = context or RuleContext()
        hidden = self.hidden_nodes(answers, context)
        kept = self.prune(answers, hidden)
        issues, refused = [], []
        if check_schema:
            refused = list(self.validator.iter_errors(kept))
            issues += schema_issues(self.index, refused)
        if check_required:
            issues += self.required_issues(kept, hidden, steps)
        # A value the answer schema refuses is no answer: computed values and rules do not see it, as the
        # wizard's rules do not see a cell its form refused (the issue above names it, once).
        kept = _without_refused(kept, refused)
        self.compute(kept, context, hidden)
        result = ValidationResult(answers=kept, hidden=hidden, issues=issues)
        self.run_rules(result, context, steps)
        return result

    def required_issues(self, answers: dict, hidden: frozenset, steps=None) -> list:
        issues = []
        for field in self.index.fields:
            fid = field["id"]
            if fid in hidden or (steps is not None and self.index.step_of[fid] not in steps):
                continue
            own = localized(field, "error_message")  # the question's own message (questionnaire designer)
            for path in field_type(field).required_paths(field, answers.get(fid), hidden):
                label = self.index.label(path)
                message = own or gettext("%(label)s is required.") % {"label": label}
                issues.append(Issue("required", Severity.ERROR, message, (path,), (label,)))
        return issues

    def run_rules(self, result: ValidationResult, context: RuleContext, steps=None) -> None:
        variables = context.variables(result.answers)
        variables["tol"] = self.tolerance
        for rule in self.rules:
            if steps is not None and rule.step is not None and rule.step not in steps:
                continue
            try:
                if rule.when is not None and rule.when.evaluate(variables) is not True:
                    continue
                outcome = rule.expr.evaluate(variables)
            except Skip:
                result.skipped_rules.append(rule.id)
                continue
            if outcome is False:
                labels = tuple(self.index.label(f) for f in rule.fields)
                result.issues.append(Issue(rule.id, rule.severity, rule.message(), rule.fields, labels))
            elif outcome is not True:
                result.skipped_rules.append(rule.id)


def _without_refused(answers: dict, errors: list) -> dict:
    """`answers` without the values the schema `errors` refused (containers copied on the way, never changed).

    A refused element of a list (one of several choices, a table row) takes the list with it; unknown
    keys are left to `prune`.
    """
    for error in errors:
        path = list(error.absolute_path)
        while path and isinstance(path[-1], int):
            path.pop()
        if error.validator != "additionalProperties" and path:
            answers = _without_path(answers, path)
    return answers


def _without_path(answers: dict, path: list) -> dict:
    out = dict(answers)
    container = out
    for part in path[:-1]:
        child = container.get(part) if isinstance(container, dict) else (
            container[part] if isinstance(part, int) and part < len(container) else None)
        if not isinstance(child, (dict, list)):
            return answers
        child = dict(child) if isinstance(child, dict) else list(child)
        container[part] = child
        container = child
    if isinstance(container, dict):
        container.pop(path[-1], None)
    return out


def _branch_key(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _round(value, decimals):
    if isinstance(value, float) and decimals is not None:
        return round(value, int(decimals))
    return value


def _safe(expr: Expression, variables: dict):
    try:
        return expr.evaluate(variables)
    except Skip:
        return None


def _computed_order(index: DefinitionIndex, exprs: dict) -> list:
    """Computed fields sorted so each comes after the computed fields it reads (cycles are refused at check)."""
    order, seen = [], set()

    def visit(fid, trail=()):
        if fid in seen or fid in trail:
            return
        for path in exprs[fid].paths:
            if path[0] == "cur" and len(path) > 1 and path[1] in exprs:
                visit(path[1], trail + (fid,))
        seen.add(fid)
        order.append(fid)

    for fid in exprs:
        visit(fid)
    return order


class _Cache:
    """Compiled forms by checksum: a published version is compiled once per process."""

    def __init__(self, size: int = 64):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, document: dict, checksum: str | None = None) -> CompiledForm:
        checksum = checksum or document_checksum(document)
        with self.lock:
            if checksum in self.items:
                self.items.move_to_end(checksum)
                return self.items[checksum]
        compiled = CompiledForm(document)
        with self.lock:
            self.items[checksum] = compiled
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return compiled


compiled_cache = _Cache()


def compile_document(document: dict, checksum: str | None = None) -> CompiledForm:
    """The compiled form of a document, from the per-process cache when already compiled."""
    return compiled_cache.get(document, checksum)
