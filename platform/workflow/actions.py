"""What an actor may do with a report now: `available_actions(submission, actor)` (a selector).

The review page's buttons, the portal's 撤销 and the API's `actions` field ask this one function
instead of writing their own `status == … and holder == …` rules. It reads the transition table
(`workflow.transitions.SUBMISSIONS`) for the report's status, then runs, for each action the table
offers, the same permission check the transition function runs on the locked row (`action_check`),
so a button is shown exactly when pressing it would be accepted (barring a change in between).
"""
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.enums import UserKind
from accounts.models import AdministratorProfile
from accounts.selectors import AdminScope, admin_scope
from enterprises.selectors import enterprise_can_fill
from reporting.enums import EntryMethod, Screening, SubmissionStatus as S
from reporting.models import Submission

from .enums import Action
from .transitions import SUBMISSIONS, TransitionRefused


class ActionSet(frozenset):
    """The actions (Action values) allowed now; `actions.receive` reads `Action.RECEIVE in actions`
    (templates cannot write the dotted codes)."""

    def __getattr__(self, name: str) -> bool:
        try:
            return Action[name.upper()] in self
        except KeyError:
            raise AttributeError(name) from None


class Acting:
    """The actor with its administrator scope, read once and only when an action needs it."""

    def __init__(self, actor, scope: AdminScope | None = None):
        self.actor = actor
        if scope is not None:
            self.__dict__["scope"] = scope

    @cached_property
    def scope(self) -> AdminScope:
        if getattr(self.actor, "kind", None) not in (None, UserKind.ADMINISTRATOR):
            return AdminScope(profile=None)  # an enterprise user or an editor: no query
        return admin_scope(self.actor)

    def reviewer(self) -> AdministratorProfile:
        """The actor's profile when it may review reports (报表审核权)."""
        profile = self.scope.profile
        if profile is None or not profile.can_review_report:
            raise PermissionDenied(_("You do not have the report review permission."))
        return profile

    def in_region(self, submission: Submission) -> None:
        if not self.scope.contains_region(submission.enterprise.region):
            raise PermissionDenied(_("This enterprise is outside your region."))

    def filler(self, submission: Submission) -> None:
        if not enterprise_can_fill(self.actor, submission.enterprise):
            raise PermissionDenied(_("Only the enterprise's filler can do this."))


def _submit(submission: Submission, who: Acting) -> None:
    if submission.entry_method == EntryMethod.ADMIN_IMPORT:
        who.in_region(submission)
    else:
        who.filler(submission)


def _withdraw(submission: Submission, who: Acting) -> None:
    who.filler(submission)
    if submission.status == S.PENDING and submission.reviewer_acted:
        raise TransitionRefused(_("An administrator has already acted on this report; it can no longer be withdrawn."))


def _receive(submission: Submission, who: Acting) -> None:
    profile = who.reviewer()
    if submission.status == S.PENDING and submission.holder_id != profile.pk:
        raise PermissionDenied(_("Only the administrator holding the report can receive it."))


def _skip_receive(submission: Submission, who: Acting) -> None:
    profile = who.reviewer()
    if not profile.can_skip_level:
        raise PermissionDenied(_("You do not have the skip-level receive permission."))
    who.in_region(submission)
    if submission.status == S.PENDING and submission.screening != Screening.PASSED:
        raise TransitionRefused(_("Reports with a data anomaly must be received one by one."))


def _return(submission: Submission, who: Acting) -> None:
    """The holder may return it; before anyone has received it, so may any reviewer whose region
    contains the enterprise. Once received, only the current holder can."""
    profile = who.reviewer()
    if submission.status == S.PENDING and submission.holder_id != profile.pk:
        if submission.reviewer_acted or not who.scope.contains_region(submission.enterprise.region):
            raise PermissionDenied(_("Only the administrator holding the report can return it."))


def _freeze(submission: Submission, who: Acting) -> None:
    if who.actor is not None:  # None: the platform itself, recording an information change
        who.filler(submission)


def _unfreeze(submission: Submission, who: Acting) -> None:
    if who.actor is not None:  # None: the automatic check
        who.reviewer()
        who.in_region(submission)


def _change_return(submission: Submission, who: Acting) -> None:
    who.reviewer()
    who.in_region(submission)


#: The permission part of each transition. REASSIGN is checked per enterprise, not per report
#: (workflow.services.submissions_reassign), so no single report offers it.
CHECKS = {
    Action.SUBMIT: _submit,
    Action.WITHDRAW: _withdraw,
    Action.RECEIVE: _receive,
    Action.SKIP_RECEIVE: _skip_receive,
    Action.RETURN: _return,
    Action.FREEZE: _freeze,
    Action.UNFREEZE: _unfreeze,
    Action.CHANGE_RETURN: _change_return,
}

#: What people choose on a page or through the API; the others happen as a consequence (a freeze
#: when the enterprise's information changes, an unfreeze or 变更退回 when the change is decided).
CHOSEN = (Action.SUBMIT, Action.WITHDRAW, Action.RECEIVE, Action.SKIP_RECEIVE, Action.RETURN)


def action_check(action: str, submission: Submission, actor, *, acting: Acting | None = None) -> None:
    """PermissionDenied or TransitionRefused when `actor` may not make `action` on `submission`
    (beyond the table, which the move checks). The transition functions call it on the locked row."""
    CHECKS[action](submission, acting or Acting(actor))


def available_actions(submission: Submission | None, actor, *, scope: AdminScope | None = None,
                      among=CHOSEN) -> ActionSet:
    """The actions of `among` that `actor` may make on `submission` now (empty for 未填报).

    Pass `scope` (the actor's `admin_scope`) when asking for many reports, so it is read once.
    """
    if submission is None:
        return ActionSet()
    acting = Acting(actor, scope)
    allowed = set()
    for action in SUBMISSIONS.actions_from(submission.status):
        if action not in among or action not in CHECKS:
            continue
        try:
            CHECKS[action](submission, acting)
        except (PermissionDenied, TransitionRefused):
            continue
        allowed.add(Action(action))
    return ActionSet(allowed)
