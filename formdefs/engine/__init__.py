"""The form-definition engine: compile, validate, evaluate rules and computed values, branch.

The names are loaded on first use (PEP 562), so the field types (`formdefs.types`) can use the engine's
leaf modules (`localize`, `numbers`) without importing the compiler, which itself uses the types.
"""
from importlib import import_module

_EXPORTS = {"Problem": "checks", "definition_check": "checks", "CompiledForm": "compiler", "compile_document": "compiler",
            "document_checksum": "compiler", "Issue": "results", "RuleContext": "results", "ValidationResult": "results"}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
