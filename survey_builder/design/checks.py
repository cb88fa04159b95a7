"""数据校验定义 and 布局定义: per-question validation, layout, and the problems that block enabling."""
import copy
import re

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _, pgettext

from ..enums import CHOICE_TYPES, MULTI_TYPES, SPECIFY_TYPES, FillKind, QuestionType

from .branches import branch_problems
from .questions import DesignError, duplicate_labels, has_options, has_rows, MAX_MESSAGE, MAX_PER_ROW, question_name, questions


def validation_keys(question: dict) -> list[str]:
    """The checks a question type offers (数据校验定义)."""
    qtype = question["type"]
    keys = ["required"]
    if qtype in MULTI_TYPES and qtype != QuestionType.MATRIX_MULTIPLE:
        keys += ["min_selections", "max_selections"]
    if qtype == QuestionType.FILL:
        keys += ["kind", "minimum", "maximum", "min_length", "max_length", "pattern"]
    if qtype == QuestionType.ESSAY:
        keys += ["min_length", "max_length"]
    if qtype == QuestionType.MATRIX_FILL:
        keys += ["max_length"]
    return keys + ["message"]


INTEGER_KEYS = ("min_selections", "max_selections", "min_length", "max_length")
NUMBER_KEYS = ("minimum", "maximum")


def _as_int(value, name, errors):
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors.append(_("%(name)s must be a whole number.") % {"name": name})
        return None
    if number < 0:
        errors.append(_("%(name)s must not be negative.") % {"name": name})
        return None
    return number


def _as_number(value, name, errors):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors.append(_("%(name)s must be a number.") % {"name": name})
        return None
    if not number.is_finite():
        errors.append(_("%(name)s must be a number.") % {"name": name})
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def validation_clean(design: dict, question: dict, raw: dict) -> tuple[dict, list[str]]:
    """One question's checks from raw form values: the clean dict and the problems (both may be partial)."""
    names = {"min_selections": _("At least (selections)"), "max_selections": _("At most (selections)"),
             "min_length": _("Minimum length"), "max_length": _("Maximum length"),
             "minimum": _("Minimum value"), "maximum": _("Maximum value")}
    keys = validation_keys(question)
    errors, clean = [], {}
    if raw.get("required"):
        clean["required"] = True
    for key in INTEGER_KEYS:
        if key in keys:
            value = _as_int(raw.get(key), names[key], errors)
            if value is not None:
                clean[key] = value
    kind = raw.get("kind") or FillKind.TEXT
    if "kind" in keys:
        if kind not in FillKind.values:
            errors.append(_("Choose text or number."))
            kind = FillKind.TEXT
        clean["kind"] = kind
        if kind == FillKind.NUMBER:
            for key in NUMBER_KEYS:
                value = _as_number(raw.get(key), names[key], errors)
                if value is not None:
                    clean[key] = value
            for key in ("min_length", "max_length"):
                clean.pop(key, None)
        else:
            pattern = (raw.get("pattern") or "").strip()
            if pattern:
                try:
                    re.compile(pattern)
                except re.error:
                    errors.append(_("The pattern is not a valid regular expression."))
                else:
                    clean["pattern"] = pattern
    message = (raw.get("message") or "").strip()
    if message:
        clean["message"] = message[:MAX_MESSAGE]
    errors += _validation_conflicts(question, clean)
    return clean, [f"{question_name(design, question['id'])}: {e}" for e in errors]


def _validation_conflicts(question: dict, checks: dict) -> list[str]:
    problems = []
    low, high = checks.get("min_selections"), checks.get("max_selections")
    count = len(question.get("options", []))
    if high == 0:
        problems.append(_("at most must be at least 1."))
    if low is not None and high is not None and low > high:
        problems.append(_("at least is more than at most."))
    if has_options(question) and low is not None and low > count:
        problems.append(_("at least %(n)s selections, but there are only %(count)s options.") % {"n": low, "count": count})
    if has_options(question) and high is not None and high > count:
        problems.append(_("at most %(n)s selections, but there are only %(count)s options.") % {"n": high, "count": count})
    if checks.get("min_length") is not None and checks.get("max_length") is not None and checks["min_length"] > checks["max_length"]:
        problems.append(_("the minimum length is more than the maximum length."))
    if checks.get("max_length") == 0:
        problems.append(_("the maximum length must be at least 1."))
    if checks.get("minimum") is not None and checks.get("maximum") is not None and checks["minimum"] > checks["maximum"]:
        problems.append(_("the minimum value is more than the maximum value."))
    return problems


def validation_set(design: dict, raw: dict[str, dict]) -> dict:
    """Step 4: `{question id: raw values}`; refused (nothing changes) when any question's checks are wrong."""
    after = copy.deepcopy(design)
    problems = []
    for question in questions(after):
        if question["id"] not in raw:
            continue
        clean, errors = validation_clean(after, question, raw[question["id"]])
        problems += [(question["id"], e) for e in errors]
        question["validation"] = clean
    if problems:
        raise DesignError(problems)
    return after


# -- step 5: layout ----------------------------------------------------------------------------------

def per_row_applies(question: dict) -> bool:
    return question["type"] in CHOICE_TYPES


def layout_set(design: dict, *, numbering: bool, per_row: dict[str, int]) -> dict:
    after = copy.deepcopy(design)
    after["numbering"] = bool(numbering)
    for question in questions(after):
        if per_row_applies(question) and question["id"] in per_row:
            value = per_row[question["id"]]
            if value and not 1 <= value <= MAX_PER_ROW:
                raise DesignError([(question["id"], _("Options per row: 1 to %(n)s.") % {"n": MAX_PER_ROW})])
            if value:
                question["per_row"] = value
            else:
                question.pop("per_row", None)
    return after


# -- checks before enabling --------------------------------------------------------------------------

def question_problems(design: dict) -> list[tuple[str, str]]:
    """Step 2's problems: texts, options and rows that a respondent could not answer."""
    problems = []
    if not questions(design):
        problems.append(("", _("Add at least one question.")))
    for question in questions(design):
        name = question_name(design, question["id"])
        if not question.get("text", "").strip():
            problems.append((question["id"], _("%(question)s: write the question.") % {"question": name}))
        if has_options(question):
            options = question.get("options", [])
            if len(options) < 2:
                problems.append((question["id"], _("%(question)s: give at least two options.") % {"question": name}))
            if any(not o.get("label", "").strip() for o in options):
                problems.append((question["id"], _("%(question)s: every option needs a text.") % {"question": name}))
            if question["type"] in SPECIFY_TYPES and not any(o.get("specify") for o in options):
                problems.append((question["id"], _("%(question)s: mark the option that asks for text.") % {"question": name}))
        for kind, labels in duplicate_labels(question).items():
            what = _("option") if kind == "options" else pgettext("matrix", "row")
            problems.append((question["id"], _("%(question)s: the %(what)s “%(label)s” appears twice.") % {
                "question": name, "what": what, "label": "、".join(labels)}))
        if has_rows(question):
            rows = question.get("rows", [])
            if not rows:
                problems.append((question["id"], _("%(question)s: give at least one row.") % {"question": name}))
            if any(not r.get("label", "").strip() for r in rows):
                problems.append((question["id"], _("%(question)s: every row needs a text.") % {"question": name}))
    return problems


def design_problems(design: dict) -> list[tuple[str, str]]:
    """Everything that keeps a design from being enabled (steps 2–5)."""
    problems = question_problems(design) + branch_problems(design)
    for question in questions(design):
        checks = question.get("validation") or {}
        problems += [(question["id"], f"{question_name(design, question['id'])}: {p}") for p in _validation_conflicts(question, checks)]
    return problems
