"""XLSForm `relevant` expressions ↔ the engine's visibility (CEL), through one small tree.

XLSForm (XPath) side, what the platform can express:
    ${q1} = 'a'   ${q1} != 'a'   selected(${q2}, 'b')   ${n} >= 10   ${q1} != ''   ${q1} = ''
    joined with `and` / `or`, grouped with parentheses, negated with not(...).

CEL side, written so that an unanswered question behaves as XLSForm's empty value does (a comparison
with an empty answer is false, `!=` true): `${q1} = 'a'` is `(has(cur.q1) && cur.q1 == 'a')`.
Reading CEL back accepts those shapes and plain comparisons over `cur.<question>`.
"""
import re
from dataclasses import dataclass


class ExpressionRefused(ValueError):
    """An expression outside what the platform can express; the message says what (in English, for the log)."""


@dataclass(frozen=True)
class Compare:
    qid: str
    op: str  # = != > >= < <=
    value: object  # str or float


@dataclass(frozen=True)
class Selected:
    qid: str
    value: str


@dataclass(frozen=True)
class Answered:
    qid: str


@dataclass(frozen=True)
class Not:
    node: object


@dataclass(frozen=True)
class Join:
    op: str  # and / or
    nodes: tuple


# -- tokens ---------------------------------------------------------------------------------------

_XPATH_TOKEN = re.compile(r"""\s*(?:(?P<ref>\$\{[A-Za-z_][\w.-]*\})|(?P<str>'[^']*'|"[^"]*")|(?P<num>-?\d+(?:\.\d+)?)
                               |(?P<op>!=|>=|<=|=|>|<|\(|\)|,)|(?P<word>[A-Za-z_][\w:-]*)|(?P<dot>\.))""", re.X)
_CEL_TOKEN = re.compile(r"""\s*(?:(?P<path>cur\.[a-z][a-z0-9_]*)|(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
                             |(?P<num>-?\d+(?:\.\d+)?)|(?P<op>&&|\|\||==|!=|>=|<=|>|<|!|\(|\)|,)|(?P<word>[A-Za-z_]\w*))""", re.X)


def _tokens(pattern, source: str) -> list[tuple[str, str]]:
    out, position = [], 0
    source = source.strip()
    while position < len(source):
        match = pattern.match(source, position)
        if not match or match.end() == position:
            raise ExpressionRefused(f"cannot read “{source[position:position + 20]}”")
        kind = match.lastgroup
        out.append((kind, match.group(kind)))
        position = match.end()
        while position < len(source) and source[position].isspace():
            position += 1
    return out


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else (None, None)

    def take(self, kind=None, text=None):
        token = self.peek()
        if token[0] is None or (kind and token[0] != kind) or (text is not None and token[1] != text):
            raise ExpressionRefused(f"expected {text or kind}, found “{token[1] or 'the end'}”")
        self.i += 1
        return token

    def done(self):
        if self.i != len(self.tokens):
            raise ExpressionRefused(f"unexpected “{self.peek()[1]}”")


def _literal(kind: str, text: str):
    if kind == "str":
        return text[1:-1]
    return float(text)


# -- XLSForm → tree ---------------------------------------------------------------------------------

def xpath_parse(source: str) -> object:
    """The tree of an XLSForm `relevant` expression (ExpressionRefused when it goes beyond the subset)."""
    parser = _Parser(_tokens(_XPATH_TOKEN, source))
    node = _xpath_or(parser)
    parser.done()
    return node


def _xpath_or(p):
    nodes = [_xpath_and(p)]
    while p.peek() == ("word", "or"):
        p.take()
        nodes.append(_xpath_and(p))
    return nodes[0] if len(nodes) == 1 else Join("or", tuple(nodes))


def _xpath_and(p):
    nodes = [_xpath_unary(p)]
    while p.peek() == ("word", "and"):
        p.take()
        nodes.append(_xpath_unary(p))
    return nodes[0] if len(nodes) == 1 else Join("and", tuple(nodes))


def _ref(text: str) -> str:
    return text[2:-1]


def _xpath_unary(p):
    kind, text = p.peek()
    if kind == "word" and text == "not" and p.peek(1) == ("op", "("):
        p.take(), p.take()
        node = _xpath_or(p)
        p.take("op", ")")
        return Not(node)
    if kind == "word" and text == "selected" and p.peek(1) == ("op", "("):
        p.take(), p.take()
        qid = _ref(p.take("ref")[1])
        p.take("op", ",")
        value = p.take("str")[1][1:-1]
        p.take("op", ")")
        return Selected(qid, value)
    if kind == "op" and text == "(":
        p.take()
        node = _xpath_or(p)
        p.take("op", ")")
        return node
    if kind == "ref":
        qid = _ref(p.take()[1])
        op = p.take("op")[1]
        if op not in ("=", "!=", ">", ">=", "<", "<="):
            raise ExpressionRefused(f"unknown comparison “{op}”")
        lkind, ltext = p.peek()
        if lkind not in ("str", "num"):
            raise ExpressionRefused("a question is compared with a text in quotes or a number")
        p.take()
        value = _literal(lkind, ltext)
        if value == "" and op in ("=", "!="):
            return Answered(qid) if op == "!=" else Not(Answered(qid))
        if isinstance(value, str) and op not in ("=", "!="):
            raise ExpressionRefused("only numbers are compared with > >= < <=")
        return Compare(qid, op, value)
    raise ExpressionRefused(f"“{text}” is not supported" if text else "the expression ends too early")


# -- CEL → tree -------------------------------------------------------------------------------------

def cel_parse(source: str) -> object:
    """The tree of a visibility expression written by this module or the designer (ExpressionRefused otherwise)."""
    parser = _Parser(_tokens(_CEL_TOKEN, source))
    node = _cel_or(parser)
    parser.done()
    return _cel_simplify(node)


def _cel_or(p):
    nodes = [_cel_and(p)]
    while p.peek() == ("op", "||"):
        p.take()
        nodes.append(_cel_and(p))
    return nodes[0] if len(nodes) == 1 else Join("or", tuple(nodes))


def _cel_and(p):
    nodes = [_cel_unary(p)]
    while p.peek() == ("op", "&&"):
        p.take()
        nodes.append(_cel_unary(p))
    return nodes[0] if len(nodes) == 1 else Join("and", tuple(nodes))


_CEL_OPS = {"==": "=", "!=": "!=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
_FLIP = {"=": "=", "!=": "!=", ">": "<", ">=": "<=", "<": ">", "<=": ">="}


def _cel_unary(p):
    kind, text = p.peek()
    if kind == "op" and text == "!":
        p.take()
        return Not(_cel_unary(p))
    if kind == "op" and text == "(":
        p.take()
        node = _cel_or(p)
        p.take("op", ")")
        return node
    if kind == "word" and text == "has":
        p.take(), p.take("op", "(")
        qid = p.take("path")[1][4:]
        p.take("op", ")")
        return Answered(qid)
    if kind == "path":
        qid = p.take()[1][4:]
        op = p.take("op")[1]
        if op not in _CEL_OPS:
            raise ExpressionRefused(f"unknown comparison “{op}”")
        lkind, ltext = p.take()
        if lkind not in ("str", "num") and (lkind, ltext) not in (("word", "true"), ("word", "false")):
            raise ExpressionRefused("a question is compared with a text or a number")
        value = _literal(lkind, ltext) if lkind in ("str", "num") else ltext
        return Compare(qid, _CEL_OPS[op], value)
    if kind in ("str", "num"):
        p.take()
        value = _literal(kind, text)
        if p.peek() == ("word", "in"):
            p.take()
            return Selected(p.take("path")[1][4:], str(value))
        op = p.take("op")[1]
        qid = p.take("path")[1][4:]
        return Compare(qid, _FLIP[_CEL_OPS[op]], value)
    raise ExpressionRefused(f"“{text}” is not supported" if text else "the expression ends too early")


def _cel_simplify(node):
    """Fold the empty-answer guards this module writes back into the comparison they guard."""
    if isinstance(node, Not):
        return Not(_cel_simplify(node.node))
    if not isinstance(node, Join):
        return node
    nodes = tuple(_cel_simplify(n) for n in node.nodes)
    if len(nodes) == 2:
        first, second = nodes
        if node.op == "and" and first == Answered(getattr(second, "qid", None)) and isinstance(second, (Compare, Selected)) \
                and not (isinstance(second, Compare) and second.op == "!="):
            return second
        if node.op == "or" and first == Not(Answered(getattr(second, "qid", None))) and isinstance(second, Compare) \
                and second.op == "!=":
            return second
    return Join(node.op, nodes)


# -- tree → text ------------------------------------------------------------------------------------

def _quote(value: str) -> str:
    if "'" in value:
        raise ExpressionRefused("a value with a quote cannot be written")
    return f"'{value}'"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_cel(node, *, multiple: frozenset = frozenset()) -> str:
    """CEL for the engine; `multiple` holds the multiple-choice question ids (selected() means `in` there)."""
    if isinstance(node, Join):
        joiner = " && " if node.op == "and" else " || "
        return "(" + joiner.join(to_cel(n, multiple=multiple) for n in node.nodes) + ")"
    if isinstance(node, Not):
        return f"!{to_cel(node.node, multiple=multiple)}" if isinstance(node.node, Join) else f"!({to_cel(node.node, multiple=multiple)})"
    if isinstance(node, Answered):
        return f"has(cur.{node.qid})"
    if isinstance(node, Selected):
        test = f"{_quote(node.value)} in cur.{node.qid}" if node.qid in multiple else f"cur.{node.qid} == {_quote(node.value)}"
        return f"(has(cur.{node.qid}) && {test})"
    if isinstance(node, Compare):
        if isinstance(node.value, str):
            value = _quote(node.value) if node.value not in ("true", "false") else node.value
        else:
            value = f"{float(node.value)!r}"
        op = "==" if node.op == "=" else node.op
        if node.op == "!=":
            return f"(!has(cur.{node.qid}) || cur.{node.qid} != {value})"
        return f"(has(cur.{node.qid}) && cur.{node.qid} {op} {value})"
    raise ExpressionRefused("unknown expression")


def to_xpath(node, *, top: bool = True) -> str:
    """The XLSForm spelling of a tree."""
    if isinstance(node, Join):
        text = f" {node.op} ".join(to_xpath(n, top=False) for n in node.nodes)
        return text if top else f"({text})"
    if isinstance(node, Not):
        if isinstance(node.node, Answered):
            return f"${{{node.node.qid}}} = ''"
        return f"not({to_xpath(node.node)})"
    if isinstance(node, Answered):
        return f"${{{node.qid}}} != ''"
    if isinstance(node, Selected):
        return f"selected(${{{node.qid}}}, {_quote(node.value)})"
    if isinstance(node, Compare):
        if isinstance(node.value, str):
            value = {"true": "'true'", "false": "'false'"}.get(node.value) or _quote(node.value)
        else:
            value = _number(node.value)
        return f"${{{node.qid}}} {node.op} {value}"
    raise ExpressionRefused("unknown expression")


def references(node) -> list[str]:
    """The question ids an expression reads, in order."""
    if isinstance(node, Join):
        return [q for n in node.nodes for q in references(n)]
    if isinstance(node, Not):
        return references(node.node)
    return [node.qid]


def selections(node) -> list[tuple[str, str]]:
    """(question id, value) pairs an expression compares with a choice."""
    if isinstance(node, Join):
        return [s for n in node.nodes for s in selections(n)]
    if isinstance(node, Not):
        return selections(node.node)
    if isinstance(node, Selected) or (isinstance(node, Compare) and isinstance(node.value, str)):
        return [(node.qid, node.value)]
    return []
