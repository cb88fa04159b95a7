"""Definition texts in templates, in the UI language (issue 21 §5)."""
from django import template

from ..engine.localize import localized as _localized

register = template.Library()


@register.filter
def localized(node, key: str = "label") -> str:
    """`{{ step|localized:"title" }}`: a definition node's text, its `_en` twin in English when it has one."""
    return _localized(node, key) if isinstance(node, dict) else ""
