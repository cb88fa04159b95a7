"""The one table of allowed transitions: action → (statuses it may start from, status it ends in).

`None` as a source means "no submission row yet" (未填报). RECEIVE ends in PENDING with the next
holder, or in APPROVED at the top of the tree; the function decides which, the table allows both.
"""
from django.utils.translation import gettext as _

from reporting.enums import SubmissionStatus as S
from statemachine import StateTable

from .enums import Action

TRANSITIONS: dict[str, tuple[frozenset, frozenset]] = {
    Action.SUBMIT: (frozenset({S.EDITING, S.RETURNED, S.UNFROZEN}), frozenset({S.PENDING})),
    Action.WITHDRAW: (frozenset({S.PENDING}), frozenset({S.EDITING})),
    Action.RECEIVE: (frozenset({S.PENDING}), frozenset({S.PENDING, S.APPROVED})),
    Action.SKIP_RECEIVE: (frozenset({S.PENDING}), frozenset({S.APPROVED})),
    Action.RETURN: (frozenset({S.PENDING}), frozenset({S.RETURNED})),
    Action.FREEZE: (frozenset({S.EDITING, S.RETURNED, S.UNFROZEN}), frozenset({S.FROZEN})),
    Action.UNFREEZE: (frozenset({S.FROZEN}), frozenset({S.UNFROZEN})),
    # 企业信息变更退回: the reviewer refuses the changed name / credit code / industry; the report goes
    # back to the enterprise for editing.
    Action.CHANGE_RETURN: (frozenset({S.FROZEN}), frozenset({S.RETURNED})),
    # 更换直接审核员: a pending report moves to another holder and stays pending.
    Action.REASSIGN: (frozenset({S.PENDING}), frozenset({S.PENDING})),
}


class TransitionRefused(Exception):
    """A transition that is not allowed from the current status, or not for this actor."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _refuse(action: str, current) -> TransitionRefused:
    return TransitionRefused(
        _("“%(action)s” is not possible for a report that is %(status)s.")
        % {"action": Action(action).label, "status": S(current).label if current else _("not filled")})


#: The table as the shared helper reads it (statemachine.StateTable): check, available actions, move.
SUBMISSIONS = StateTable(TRANSITIONS, refuse=_refuse)


def transition_check(action: str, current: str, target: str) -> None:
    SUBMISSIONS.check(action, current, target)
