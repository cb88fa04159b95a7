"""Publish checks: meta-schema, CEL compiles, references exist, branches jump ahead, no computed cycles."""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from ..types import field_type
from .analytics_checks import analytics_problems
from .expressions import Expression

META_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "meta_schema.json"
ANSWER_ROOTS = ("cur", "prev", "last_year")


@dataclass(frozen=True)
class Problem:
    """One problem, located by a JSON path in the definition (`$.steps[1].sections[0].fields[3].type`)."""

    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}"


@lru_cache(maxsize=1)
def meta_validator() -> Draft202012Validator:
    schema = json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _json_path(parts) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def definition_check(document) -> list[Problem]:
    """Every problem that keeps `document` from being published; empty when it may be published.

    The result depends only on the document (and the meta-schema, fixed per process), so it is
    remembered per canonical text: publishing or re-checking the same document again costs a hash,
    not a meta-schema walk (~0.4 s for the monthly report).
    """
    if not isinstance(document, dict):
        return [Problem("$", "a definition must be a JSON object")]
    try:
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return _definition_check(document)
    return list(_definition_check_cached(text))


@lru_cache(maxsize=64)
def _definition_check_cached(text: str) -> tuple[Problem, ...]:
    return tuple(_definition_check(json.loads(text)))


def _definition_check(document: dict) -> list[Problem]:
    problems = [Problem(_json_path(e.absolute_path), e.message) for e in _best_errors(document)]
    if problems:
        return problems
    return _semantic_problems(document)


def _best_errors(document):
    """Meta-schema errors; for a field with an unknown type report only the type."""
    errors = []
    for error in meta_validator().iter_errors(document):
        errors.extend(_leaves(error))
    unique = {}
    for error in errors:
        unique.setdefault((tuple(error.absolute_path), error.message), error)
    return list(unique.values())


def _leaves(error):
    if error.context:
        out = []
        for sub in error.context:
            out.extend(_leaves(sub))
        return out
    return [error]


def _semantic_problems(document: dict) -> list[Problem]:
    problems: list[Problem] = []
    ids: dict[str, str] = {}
    fields: dict[str, tuple] = {}  # id -> (spec, json path, position)
    expressions: list[tuple[str, str, dict | None]] = []  # (source, path, grid spec for row.* refs)

    def claim(node_id, path):
        if node_id in ids:
            problems.append(Problem(path, f"duplicate id {node_id!r} (also at {ids[node_id]})"))
        else:
            ids[node_id] = path

    for s, step in enumerate(document["steps"]):
        step_path = f"$.steps[{s}]"
        claim(step["id"], f"{step_path}.id")
        if step.get("visible_if"):
            expressions.append((step["visible_if"], f"{step_path}.visible_if", None))
        for c, section in enumerate(step["sections"]):
            section_path = f"{step_path}.sections[{c}]"
            claim(section["id"], f"{section_path}.id")
            if section.get("visible_if"):
                expressions.append((section["visible_if"], f"{section_path}.visible_if", None))
            for f, field in enumerate(section["fields"]):
                path = f"{section_path}.fields[{f}]"
                claim(field["id"], f"{path}.id")
                fields[field["id"]] = (field, path, len(fields))
                if field.get("visible_if"):
                    expressions.append((field["visible_if"], f"{path}.visible_if", None))
                if field["type"] == "computed":
                    expressions.append((field["expr"], f"{path}.expr", None))
                for r, row in enumerate(field.get("rows", [])):
                    if row.get("visible_if"):
                        expressions.append((row["visible_if"], f"{path}.rows[{r}].visible_if", None))
                    problems += _row_column_problems(field, row, f"{path}.rows[{r}].columns")
                for k, column in enumerate(field.get("columns", [])):
                    if column.get("expr"):
                        expressions.append((column["expr"], f"{path}.columns[{k}].expr", field))
                problems += _duplicates(field.get("rows", []), f"{path}.rows")
                problems += _duplicates(field.get("columns", []), f"{path}.columns")
                problems += _duplicates(field.get("options", []), f"{path}.options", key="value")
    for r, rule in enumerate(document.get("rules", [])):
        expressions.append((rule["expr"], f"$.rules[{r}].expr", None))
        if rule.get("when"):
            expressions.append((rule["when"], f"$.rules[{r}].when", None))
        for i, target in enumerate(rule.get("fields", [])):
            message = _reference_problem(("cur", *target.split(".")), fields)
            if message:
                problems.append(Problem(f"$.rules[{r}].fields[{i}]", message))
    problems += _duplicates(document.get("rules", []), "$.rules")

    compiled: dict[str, Expression] = {}
    for source, path, grid in expressions:
        try:
            expr = Expression(source)
        except (ValueError, RuntimeError) as exc:
            problems.append(Problem(path, f"CEL does not compile: {str(exc).splitlines()[0]}"))
            continue
        compiled[path] = expr
        for ref in expr.paths:
            if ref[0] in ANSWER_ROOTS:
                message = _reference_problem(ref, fields)
            elif ref[0] == "row" and grid is not None and len(ref) > 1:
                known = {c["id"] for c in grid.get("columns", [])}
                message = None if ref[1] in known else f"unknown column {ref[1]!r} in {'.'.join(ref)}"
            else:
                message = None
            if message:
                problems.append(Problem(path, message))
    problems += _branch_problems(fields)
    problems += _cycle_problems(fields, compiled)
    problems += [Problem(path, message) for path, message in analytics_problems(document)]
    return problems


def _duplicates(items, path, key="id") -> list[Problem]:
    seen, out = set(), []
    for i, item in enumerate(items):
        if item.get(key) in seen:
            out.append(Problem(f"{path}[{i}].{key}", f"duplicate {key} {item.get(key)!r}"))
        seen.add(item.get(key))
    return out


def _row_column_problems(field: dict, row: dict, path: str) -> list[Problem]:
    """A grid row's `columns` must name input columns of its grid."""
    if field["type"] != "indicator_grid" or "columns" not in row:
        return []
    columns = {c["id"]: c for c in field.get("columns", [])}
    problems = []
    for i, name in enumerate(row["columns"]):
        if name not in columns:
            problems.append(Problem(f"{path}[{i}]", f"unknown column {name!r} of {field['id']!r} in row {row['id']!r}"))
        elif columns[name].get("expr"):
            problems.append(Problem(f"{path}[{i}]", f"column {name!r} is computed; a row lists only input columns"))
    return problems


def _reference_problem(ref: tuple, fields: dict) -> str | None:
    """Why `cur.a.b.c` does not name an answer of this definition (None when it does)."""
    if len(ref) < 2:
        return None
    name = ref[1]
    dotted = ".".join(ref)
    if name not in fields:
        base = name.removesuffix("_other")
        if name.endswith("_other") and base in fields and any(o.get("specify") for o in fields[base][0].get("options", [])):
            return None
        return f"unknown field {name!r} in {dotted}"
    spec = fields[name][0]
    return field_type(spec).member_problem(spec, list(ref[2:]), dotted)


def _branch_problems(fields: dict) -> list[Problem]:
    problems = []
    for fid, (spec, path, position) in fields.items():
        branches = spec.get("branches")
        if not branches:
            continue
        values = {o["value"] for o in spec.get("options", [])} if spec["type"] != "yesno" else {"true", "false"}
        for value, target in branches.items():
            where = f"{path}.branches.{value}"
            if value not in values:
                problems.append(Problem(where, f"{value!r} is not an option of {fid!r}"))
            if target == "end":
                continue
            if target not in fields:
                problems.append(Problem(where, f"branch target {target!r} does not exist"))
            elif fields[target][2] <= position:
                problems.append(Problem(where, f"branch target {target!r} does not lie ahead of {fid!r}"))
        missing = sorted(values - set(branches))
        if missing:
            problems.append(Problem(f"{path}.branches", f"every option needs a branch once one has one; missing {', '.join(missing)}"))
    return problems


def _cycle_problems(fields: dict, compiled: dict) -> list[Problem]:
    graph = {}
    for fid, (spec, path, _) in fields.items():
        if spec["type"] == "computed" and f"{path}.expr" in compiled:
            graph[fid] = {p[1] for p in compiled[f"{path}.expr"].paths if p[0] == "cur" and len(p) > 1 and p[1] in fields
                          and fields[p[1]][0]["type"] == "computed"}
    problems, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycle = trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt]
                problems.append(Problem(f"{fields[node][1]}.expr", f"computed values form a cycle: {' -> '.join(cycle)}"))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    return problems
