"""The field-type registry: one class per field type (`base.FieldType`), registered by name.

Importing the package imports every module in it, so each `@register`ed class is known (a new type is a new
module here, nothing else to list); `field_type(spec)` finds a field's type.
"""
import pkgutil
from importlib import import_module

from .base import BAR, FIELD_TYPES, MATRIX, PIE, TEXT, CodeNames, FieldType, field_type, register
from .grids import row_inputs, row_takes

for _module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{_module.name}")

__all__ = ["BAR", "FIELD_TYPES", "MATRIX", "PIE", "TEXT", "CodeNames", "FieldType", "field_type", "register",
           "row_inputs", "row_takes", "display_text", "designer_types"]


def display_text(spec: dict, value, answers: dict, names: CodeNames | None = None) -> str:
    """The answer of one field as a person reads it (the one "answer as text" function)."""
    return field_type(spec).display_text(spec, value, answers, names)


def designer_types() -> dict:
    """{engine type name: the questionnaire designer's question type} of the types a questionnaire can use."""
    return {name: t.designer for name, t in FIELD_TYPES.items() if t.designer}
