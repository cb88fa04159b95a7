"""The layering of the apps, read from the source (no Django needed, a fraction of a second).

- accounts sits below the domain: none of its modules imports enterprises, reporting, workflow,
  filing or any other domain app (its demo seed, which builds every app's demo data, excepted).
- statemachine, the transition helper every app uses, imports no app at all.
- No import inside a function hides a cycle: a function-level import of module T from module M is
  refused when T, through module-level imports, already imports M (the function lives in the wrong
  place, or the import could be at the top). `deferred_cycles()` lists them; run this file as a
  script to print every function-level import and whether it hides a cycle.
"""
import ast
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Source roots on sys.path (pytest.ini: `. platform`) and the top-level apps that live beside platform/.
SOURCES = [ROOT / "platform", ROOT]
TOP_LEVEL_APPS = ("formdefs", "survey_builder", "cms")

DOMAIN_APPS = {"enterprises", "reporting", "workflow", "filing", "reminders", "imports", "api", "analytics",
               "exports", "formdefs", "survey_builder", "cms"}

#: Function-level imports that still close a cycle, each inside one app (none crosses apps any more).
#: A new one fails the test; remove an entry when its cycle is gone.
ALLOWED_CYCLES = {
    # A Celery task module imports the service it wraps and the service queues the task (with a broker
    # only); breaking these means queuing by task name through ops.queue, for all five apps at once.
    ("reporting.services.changes", "reporting.tasks"),
    ("exports.services", "exports.tasks"),
    ("imports.services", "imports.tasks"),
    ("reminders.services", "reminders.tasks"),
    ("workflow.notifications", "workflow.tasks"),
    # Inside formdefs (its owners registry and views) and cms (pages and their selectors).
    ("formdefs.owners", "formdefs.views"),
    ("formdefs.owners", "formdefs.views.preview"),
    ("cms.models.pages", "cms.selectors"),
}


def _module_files() -> dict[str, Path]:
    files = {}
    for path in (ROOT / "platform").rglob("*.py"):
        files[_dotted(path.relative_to(ROOT / "platform"))] = path
    for app in TOP_LEVEL_APPS:
        for path in (ROOT / app).rglob("*.py"):
            files[_dotted(path.relative_to(ROOT))] = path
    return {name: path for name, path in files.items() if ".migrations." not in f".{name}." and name}


def _dotted(relative: Path) -> str:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = _module_files()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The project modules an import statement in `module` loads (parents included)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if _is_package(module) else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        names = [base] + [f"{base}.{alias.name}" for alias in node.names]
    loaded = []
    for name in names:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            candidate = ".".join(parts[:i])
            if candidate in MODULES:
                loaded.append(candidate)
    return list(dict.fromkeys(loaded))


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@cache
def _imports(module: str) -> tuple[frozenset, tuple]:
    """(modules imported when `module` is imported, [(line, target) imported inside functions])."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top, deferred = set(), []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, True)
            elif isinstance(child, ast.If) and _type_checking(child):
                continue
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                targets = [t for t in _resolve(module, child) if t != module]
                if in_function:
                    deferred.extend((child.lineno, t) for t in targets)
                else:
                    top.update(targets)
            else:
                visit(child, in_function)

    visit(tree, False)
    # Importing a module runs its packages' __init__ first.
    parts = module.split(".")
    top.update(p for p in (".".join(parts[:i]) for i in range(1, len(parts))) if p in MODULES)
    return frozenset(top), tuple(deferred)


@cache
def _closure(module: str) -> frozenset:
    """Every project module loaded by importing `module` (module-level imports only)."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(_imports(current)[0])
    return frozenset(seen)


def deferred_imports() -> list[tuple[str, int, str, bool]]:
    """Every function-level import: (module, line, target, hides a cycle)."""
    rows = []
    for module in sorted(MODULES):
        for line, target in _imports(module)[1]:
            rows.append((module, line, target, module in _closure(target)))
    return rows


def deferred_cycles() -> set[tuple[str, str]]:
    return {(module, target) for module, _line, target, cycle in deferred_imports() if cycle}


def test_the_remaining_cycles_stay_inside_their_app():
    assert all(_app(module) == _app(target) for module, target in ALLOWED_CYCLES)


def _app(module: str) -> str:
    return module.split(".")[0]


def test_no_function_level_import_hides_a_cycle():
    assert deferred_cycles() - ALLOWED_CYCLES == set()


def test_accounts_imports_no_domain_app():
    offending = []
    for module in MODULES:
        if _app(module) != "accounts" or module in ("accounts.demo",) or ".management." in module:
            continue
        top, deferred = _imports(module)
        offending += [(module, t) for t in top if _app(t) in DOMAIN_APPS]
        offending += [(module, t) for _line, t in deferred if _app(t) in DOMAIN_APPS]
    assert offending == []


def test_accounts_selectors_load_no_domain_app():
    assert {_app(m) for m in _closure("accounts.selectors")} <= {"accounts", "regions"}


def test_the_transition_helper_imports_no_app():
    assert _closure("statemachine") == {"statemachine"}


def test_the_checker_sees_a_hidden_cycle(tmp_path):
    """The check itself: a deferred import back into a module that imports the deferring one."""
    MODULES["_layering_a"] = tmp_path / "a.py"
    MODULES["_layering_b"] = tmp_path / "b.py"
    (tmp_path / "a.py").write_text("import _layering_b\n")
    (tmp_path / "b.py").write_text("def f():\n    import _layering_a\n")
    try:
        assert ("_layering_b", "_layering_a") in deferred_cycles()
    finally:
        del MODULES["_layering_a"], MODULES["_layering_b"]
        _imports.cache_clear(), _closure.cache_clear()


if __name__ == "__main__":
    for module, line, target, cycle in deferred_imports():
        if len(sys.argv) < 2 or cycle:
            print(f"{'CYCLE ' if cycle else '      '}{module}:{line} imports {target}")
