"""One transition helper for every state table of the platform (STYLE.md "One transition, one function").

Each app keeps its own table (workflow.transitions for reports, enterprises' registration, filing's
tasks, formdefs' versions, survey_builder's questionnaires, ops' background tasks), its own refusal
(the exception and message its pages show) and its own audit record; this module only says, the
same way for all of them, whether an action is allowed from a status, which actions a status
offers, and makes the move on a locked row: check, set, save with `update_fields`, record.

It imports Django only: every app may use it, and it knows none of them.
"""
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import models, transaction

#: Raise a refusal for (action, current status); each app words its own.
Refuse = Callable[[str, Any], Exception]


class StateTable:
    """A table of allowed transitions: action → (statuses it may start from, statuses it may end in).

    `None` may stand for "no row yet" among the sources, or "deleted" as a target. A table written
    as status → next statuses (no separate action names) is read with `StateTable.of_statuses`:
    the action is then the status moved to.
    """

    def __init__(self, table: Mapping[str, tuple[Iterable, Iterable | str | None]], *, refuse: Refuse,
                 status_field: str = "status"):
        self.table = {action: (frozenset(sources), _targets(targets)) for action, (sources, targets) in table.items()}
        self.refuse = refuse
        self.status_field = status_field

    @classmethod
    def of_statuses(cls, table: Mapping[str, Iterable[str]], *, refuse: Refuse, status_field: str = "status"
                    ) -> "StateTable":
        """From status → the statuses it may move to: the action "to X" starts from every status listing X."""
        moves: dict[str, set] = {}
        for source, targets in table.items():
            for target in targets:
                moves.setdefault(target, set()).add(source)
        return cls({target: (sources, {target}) for target, sources in moves.items()}, refuse=refuse,
                   status_field=status_field)

    def allows(self, action: str, current, target=...) -> bool:
        """Whether `action` may start from `current` (and end in `target`, when given)."""
        if action not in self.table:
            return False
        sources, targets = self.table[action]
        return current in sources and (target is ... or target in targets)

    def actions_from(self, current) -> list[str]:
        """The actions whose sources include `current`, in the table's order (before permissions)."""
        return [action for action, (sources, _targets) in self.table.items() if current in sources]

    def check(self, action: str, current, target=...):
        """The status `action` ends in from `current`; the app's refusal when the table does not allow it.

        Without `target` the action must have a single target (which is returned).
        """
        if not self.allows(action, current, target):
            raise self.refuse(action, current)
        if target is ...:
            targets = self.table[action][1]
            if len(targets) != 1:
                raise ValueError(f"{action} has several targets; name the one meant")
            (target,) = targets
        return target

    def move(self, obj: models.Model, *, action: str, to=..., changes: Mapping[str, Any] | None = None,
             fields: Iterable[str] = (), record: Callable[[Any, Any], Any] | None = None):
        """Make `action` on `obj`, a row the caller locked (`select_for_update`) in its atomic block.

        Checks the table from the row's status, sets the status and `changes`, saves them and `fields`
        (already set by the caller) with `update_fields`, then calls `record(from_status, to_status)`,
        where the app writes its audit event. Returns the status moved to.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("StateTable.move runs inside transaction.atomic, on a locked row")
        current = getattr(obj, self.status_field)
        target = self.check(action, current, to)
        setattr(obj, self.status_field, target)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        obj.save(update_fields=list(dict.fromkeys([self.status_field, *(changes or {}), *fields])))
        if record is not None:
            record(current, target)
        return target


def _targets(targets) -> frozenset:
    if targets is None or isinstance(targets, str):
        return frozenset({targets})
    return frozenset(targets)
