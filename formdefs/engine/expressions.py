"""CEL expressions: compile once, evaluate against a small context plucked from the answers.

The `common-expression-language` binding converts every variable on each execution, so a
whole report passed as `cur` costs far more than the rule itself. Each expression therefore
records the paths it reads (`cur.ind.sales.ytd`) and gets only those values.
"""
import math
import re
from dataclasses import dataclass, field

import cel

#: Variables a rule may need; when one is absent (None) the expression is skipped, not failed.
CONTEXT_ROOTS = ("cur", "prev", "last_year", "enterprise", "period", "ref")
ROOTS = ("last_year", "enterprise", "period", "prev", "rows", "row", "cur", "tol", "ref")
#: Functions available to every expression besides CEL's standard library.
FUNCTIONS = {"abs": abs}

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PATH = re.compile(r"(?<![\w.])(" + "|".join(ROOTS) + r")\b((?:\.[A-Za-z_]\w*\b(?!\s*\())*)")


class Skip(Exception):
    """The expression cannot be decided: a context it needs is absent or a value it reads is missing."""


class ContextAbsent(Skip):
    """A root variable (`prev`, `last_year`, `enterprise`, ...) is not available for this evaluation."""


class ValueMissing(Skip):
    """A value the expression reads was not answered (or is hidden)."""


def expression_paths(source: str) -> list[tuple[str, ...]]:
    """The variable paths an expression reads, e.g. ('cur', 'ind', 'sales', 'ytd')."""
    text = _STRING.sub("''", source)
    paths = []
    for match in _PATH.finditer(text):
        segments = tuple(s for s in match.group(2).split(".") if s)
        path = (match.group(1), *segments)
        if path not in paths:
            paths.append(path)
    return paths


def to_cel(value):
    """Numbers become doubles (CEL does not mix int and double); containers are converted deeply."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:  # an integer beyond any float: the answer schema refuses it, rules see ±inf
            return math.inf if value > 0 else -math.inf
    if isinstance(value, dict):
        return {k: to_cel(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_cel(v) for v in value]
    return str(value)


@dataclass
class Expression:
    """A compiled CEL program plus the paths it reads. Raises ValueError on a syntax error."""

    source: str
    program: object = field(init=False, repr=False)
    paths: list = field(init=False)
    roots: frozenset = field(init=False)
    functions: frozenset = field(init=False)

    def __post_init__(self):
        self.program = cel.compile(self.source)
        self.paths = expression_paths(self.source)
        self.roots = frozenset(v for v in self.program.variables() if v in CONTEXT_ROOTS)
        self.functions = frozenset(f for f in self.program.functions() if f in FUNCTIONS)

    def evaluate(self, variables: dict):
        """Run with the values this expression reads; raise Skip when a root is absent or a value missing."""
        context = {}
        for root in self.roots:
            if variables.get(root) is None:
                raise ContextAbsent(root)
        for path in self.paths:
            node = variables.get(path[0])
            if node is None:
                continue
            walked = [path[0]]
            for segment in path[1:]:
                if not isinstance(node, dict) or segment not in node:
                    break
                node = node[segment]
                walked.append(segment)
            if len(walked) == len(path) or not isinstance(node, dict):
                _assign(context, walked, node)
            else:
                # The map exists but lacks the key: keep an empty map so `has()` answers false.
                _assign_container(context, walked)
        if self.functions:
            ctx = cel.Context()
            for name in self.functions:
                ctx.add_function(name, FUNCTIONS[name])
            for key, value in context.items():
                ctx.add_variable(key, value)
            context = ctx
        try:
            return self.program.execute(context)
        except KeyError as exc:
            raise ValueMissing(str(exc)) from None
        except TypeError as exc:
            # Mixed types (a text where a number belongs): the answer shape is reported elsewhere.
            raise ValueMissing(str(exc)) from None
        except RuntimeError as exc:
            # "No such key" / undefined variable: a value the expression reads is missing.
            raise ValueMissing(str(exc)) from None


def _assign(context: dict, path: tuple, value) -> None:
    target = context
    for segment in path[:-1]:
        target = target.setdefault(segment, {})
    target[path[-1]] = to_cel(value)


def _assign_container(context: dict, path: tuple) -> None:
    target = context
    for segment in path:
        target = target.setdefault(segment, {})


def compile_expression(source: str) -> Expression:
    return Expression(source)
