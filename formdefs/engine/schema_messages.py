"""Turn a jsonschema error on the answers into an Issue naming the field."""
from django.utils.translation import gettext

from ..enums import Severity
from .definition import localized, row_takes
from .numbers import SCHEMA_CODES, number_message
from .results import Issue


def schema_issues(index, errors) -> list[Issue]:
    """One issue per error, but one per number answer: the wizard names a number's first refusal only
    (too many digits before too low: `NumberRule.problem`), so the schema does too."""
    issues, numbers = [], set()
    for error in errors:
        issue = schema_issue(index, error)
        if error.validator in SCHEMA_CODES:
            if issue.fields in numbers:
                continue
            numbers.add(issue.fields)
        issues.append(issue)
    return issues


def schema_issue(index, error) -> Issue:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path = ".".join([path, *extra[:1]]) if path else (extra[0] if extra else "")
    label = index.label(path) if path else gettext("answers")
    if error.validator == "additionalProperties" and _cell_not_taken(index, path):
        message = gettext("%(label)s: this indicator does not take this column") % {"label": label}
        return Issue("schema.not_applicable", Severity.ERROR, message, (path,), (label,))
    message = _own_message(index, path, error) or _message(error, label)
    return Issue(f"schema.{error.validator}", Severity.ERROR, message, (path,) if path else (), (label,))


def _cell_not_taken(index, path: str) -> bool:
    """Whether `path` is a grid cell of a known row and column that the row does not take (its `columns`)."""
    parts = path.split(".")
    field = index.field_by_id.get(parts[0])
    if field is None or len(parts) != 3 or field["type"] != "indicator_grid":
        return False
    row = next((r for r in field.get("rows", []) if r["id"] == parts[1]), None)
    column = next((c for c in field.get("columns", []) if c["id"] == parts[2]), None)
    return row is not None and column is not None and not row_takes(row, column)


def _own_message(index, path: str, error) -> str:
    """The question's own `error_message` (questionnaire designer), as the wizard shows it for any refusal of
    the question's answer; not for its “other, please specify” text nor for keys outside the form."""
    field = index.field_by_id.get(path.split(".")[0]) if path else None
    if field is None or error.validator == "additionalProperties":
        return ""
    return localized(field, "error_message")


def _message(error, label: str) -> str:
    v, value = error.validator, error.validator_value
    if v in SCHEMA_CODES:
        return number_message(SCHEMA_CODES[v], label, value)
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
