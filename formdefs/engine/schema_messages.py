"""Turn a jsonschema error on the answers into an Issue naming the field."""
from django.utils.translation import gettext

from ..enums import Severity
from .results import Issue


def schema_issue(index, error) -> Issue:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path = ".".join([path, *extra[:1]]) if path else (extra[0] if extra else "")
    label = index.label(path) if path else gettext("answers")
    message = _message(error, label)
    return Issue(f"schema.{error.validator}", Severity.ERROR, message, (path,) if path else (), (label,))


def _message(error, label: str) -> str:
    v, value = error.validator, error.validator_value
    if v == "minimum":
        if value == 0:
            return gettext("%(label)s must not be negative.") % {"label": label}
        return gettext("%(label)s must be at least %(limit)s.") % {"label": label, "limit": value}
    if v == "exclusiveMinimum":
        return gettext("%(label)s must be greater than %(limit)s.") % {"label": label, "limit": value}
    if v in ("maximum", "exclusiveMaximum"):
        return gettext("%(label)s must be at most %(limit)s.") % {"label": label, "limit": value}
    if v == "enum":
        return gettext("%(label)s: select a valid choice.") % {"label": label}
    if v == "maxLength":
        return gettext("%(label)s must have at most %(limit)s characters.") % {"label": label, "limit": value}
    if v == "minLength":
        return gettext("%(label)s must have at least %(limit)s characters.") % {"label": label, "limit": value}
    if v == "minItems":
        return gettext("%(label)s: select at least %(limit)s.") % {"label": label, "limit": value}
    if v == "maxItems":
        return gettext("%(label)s: select at most %(limit)s.") % {"label": label, "limit": value}
    if v == "additionalProperties":
        return gettext("%(label)s is not part of this form.") % {"label": label}
    return gettext("%(label)s: enter a valid value.") % {"label": label}
