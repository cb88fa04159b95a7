"""参考值: reference values kept as data, read by rules as `ref.<key>` for the report's year.

Reads only (the values are edited in the admin: `reference_values_admin`). `reference_values_for_year`
gives a RuleContext its `ref`; `reference_values_missing` tells an administrator which values a
definition's rules need for a year and lack, so those rules would be skipped.
"""
from dataclasses import dataclass

from .engine.expressions import expression_paths

REF_ROOT = "ref"


def reference_values_for_year(year: int) -> dict[str, float]:
    """{key: value} of the values stored for `year` (an empty dict when none: rules reading one skip)."""
    from .models import ReferenceValue

    return {key: float(value) for key, value in ReferenceValue.objects.filter(year=year).values_list("key", "value")}


class YearReferenceValues(dict):
    """The reference values of one year, read from the database on first use: a RuleContext carries one for
    every report, but only the definitions whose rules read `ref.…` pay the query."""

    def __init__(self, year: int):
        super().__init__()
        self.year, self._loaded = year, False

    def _load(self):
        if not self._loaded:
            self._loaded = True
            self.update(reference_values_for_year(self.year))

    def __contains__(self, key):
        self._load()
        return super().__contains__(key)

    def __getitem__(self, key):
        self._load()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._load()
        return super().get(key, default)

    def __iter__(self):
        self._load()
        return super().__iter__()

    def __len__(self):
        self._load()
        return super().__len__()

    def keys(self):
        self._load()
        return super().keys()

    def items(self):
        self._load()
        return super().items()

    def values(self):
        self._load()
        return super().values()

    def __repr__(self):
        return f"YearReferenceValues({self.year})"


def reference_keys_needed(document: dict) -> dict[str, list[str]]:
    """{key: [rule ids]} of the `ref.<key>` values the definition's rules (and their `when`) read."""
    needed: dict[str, list[str]] = {}
    for rule in document.get("rules", []):
        for source in (rule.get("expr", ""), rule.get("when") or ""):
            for path in expression_paths(source):
                if path[0] == REF_ROOT and len(path) > 1 and rule["id"] not in needed.setdefault(path[1], []):
                    needed[path[1]].append(rule["id"])
    return needed


@dataclass(frozen=True)
class MissingReference:
    """A reference value a definition's rules read that is not stored for `year`; `rules` are skipped."""

    key: str
    year: int
    rules: tuple[str, ...]
    messages: tuple[str, ...]


def reference_values_missing(document: dict, year: int) -> list[MissingReference]:
    """The reference values the rules of `document` need for `year` and lack (rules named by their message)."""
    from .engine.definition import localized

    needed = reference_keys_needed(document)
    if not needed:
        return []
    stored = reference_values_for_year(year)
    messages = {rule["id"]: localized(rule, "message") for rule in document.get("rules", [])}
    return [MissingReference(key=key, year=year, rules=tuple(rules), messages=tuple(messages[r] for r in rules))
            for key, rules in needed.items() if key not in stored]
