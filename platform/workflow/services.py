"""The review workflow: one function per transition (SPEC §5 statuses, §6 review).

Each function checks the transition table and the actor's permission, locks the report row,
saves with `update_fields`, writes a `ReviewEvent` and keeps the facts' status in step, all in one
transaction. Callers (portal, back office, imports, commands) get the same rules.
"""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AdministratorProfile
from accounts.selectors import admin_scope
from enterprises.selectors import enterprise_can_fill
from enterprises.services import direct_reviewer_for
from reporting.models import IndicatorFact, Submission

from .enums import Action, EntryMethod, Screening, SubmissionStatus as S
from .models import ReviewEvent
from .transitions import TransitionRefused, transition_check

RETURN_REASON_MAX = 500


def _lock(submission: Submission) -> Submission:
    return (Submission.objects.select_for_update(of=("self",))
            .select_related("enterprise__region", "holder__region").get(pk=submission.pk))


def _move(locked: Submission, *, action: str, actor, to_status: str, to_holder, reason: str = "",
          fields: tuple = ()) -> Submission:
    transition_check(action, locked.status, to_status)
    event = ReviewEvent(submission=locked, action=action, actor=actor if getattr(actor, "pk", None) else None,
                        from_status=locked.status, to_status=to_status, from_holder=locked.holder,
                        to_holder=to_holder, reason=reason)
    locked.status, locked.holder = to_status, to_holder
    locked.save(update_fields=["status", "holder", "updated_at", *fields])
    event.save()
    IndicatorFact.objects.filter(submission=locked).update(status=to_status)
    return locked


def _filler_check(actor, submission: Submission) -> None:
    if not enterprise_can_fill(actor, submission.enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))


def _reviewer(actor) -> AdministratorProfile:
    profile = admin_scope(actor).profile
    if profile is None or not profile.can_review_report:
        raise PermissionDenied(_("You do not have the report review permission."))
    return profile


@transaction.atomic
def submission_submit(*, submission: Submission, actor, issues: list, anomalous: bool,
                      explanation: str | None = None) -> Submission:
    """上报: send the report to the enterprise's direct reviewer, with the screening outcome.

    Submitting a report that is already pending is a no-op (a double click, a resent form).
    """
    locked = _lock(submission)
    if locked.entry_method == EntryMethod.ADMIN_IMPORT:
        if not admin_scope(actor).contains_region(locked.enterprise.region):
            raise PermissionDenied(_("This enterprise is outside your region."))
    else:
        _filler_check(actor, locked)
    if locked.status == S.PENDING:
        return locked
    enterprise = locked.enterprise
    holder = enterprise.direct_reviewer or direct_reviewer_for(enterprise.region)
    if holder is None:
        raise TransitionRefused(_("No administrator reviews this region yet; the report cannot be submitted."))
    locked.issues = issues
    locked.screening = Screening.ANOMALOUS if anomalous else Screening.PASSED
    if explanation is not None:
        locked.explanation = explanation
    locked.submitted_at = timezone.now()
    locked.reviewer_acted = False
    locked.return_reason = ""
    return _move(locked, action=Action.SUBMIT, actor=actor, to_status=S.PENDING, to_holder=holder,
                 fields=("issues", "screening", "explanation", "submitted_at", "reviewer_acted", "return_reason"))


@transaction.atomic
def submission_withdraw(*, submission: Submission, actor) -> Submission:
    """撤销: take a submission back while no administrator has acted on it."""
    locked = _lock(submission)
    _filler_check(actor, locked)
    if locked.status == S.PENDING and locked.reviewer_acted:
        raise TransitionRefused(_("An administrator has already acted on this report; it can no longer be withdrawn."))
    return _move(locked, action=Action.WITHDRAW, actor=actor, to_status=S.EDITING, to_holder=None)


@transaction.atomic
def submission_receive(*, submission: Submission, actor) -> Submission:
    """接收: pass the report to the holder's parent; at the top of the tree it is approved (审核通过)."""
    profile = _reviewer(actor)
    locked = _lock(submission)
    if locked.status == S.PENDING and locked.holder_id != profile.pk:
        raise PermissionDenied(_("Only the administrator holding the report can receive it."))
    parent = profile.get_parent()
    locked.reviewer_acted = True
    if parent is None:
        locked.approved_at = timezone.now()
        return _move(locked, action=Action.RECEIVE, actor=actor, to_status=S.APPROVED, to_holder=None,
                     fields=("reviewer_acted", "approved_at"))
    return _move(locked, action=Action.RECEIVE, actor=actor, to_status=S.PENDING, to_holder=parent,
                 fields=("reviewer_acted",))


@transaction.atomic
def submission_skip_receive(*, submission: Submission, actor) -> Submission:
    """越级接收: a province administrator with the flag approves a pending report that passed screening."""
    profile = _reviewer(actor)
    if not profile.can_skip_level:
        raise PermissionDenied(_("You do not have the skip-level receive permission."))
    locked = _lock(submission)
    if not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    if locked.status == S.PENDING and locked.screening != Screening.PASSED:
        raise TransitionRefused(_("Reports with a data anomaly must be received one by one."))
    locked.reviewer_acted = True
    locked.approved_at = timezone.now()
    return _move(locked, action=Action.SKIP_RECEIVE, actor=actor, to_status=S.APPROVED, to_holder=None,
                 fields=("reviewer_acted", "approved_at"))


@transaction.atomic
def submission_return(*, submission: Submission, actor, reason: str) -> Submission:
    """退回: send the report back to the enterprise with a reason.

    The holder may return it; before anyone has received it, so may any reviewer whose region
    contains the enterprise. Once received, only the current holder can.
    """
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for returning the report."))
    if len(reason) > RETURN_REASON_MAX:
        raise TransitionRefused(_("The reason may have at most %(max)d characters.") % {"max": RETURN_REASON_MAX})
    profile = _reviewer(actor)
    locked = _lock(submission)
    if locked.status == S.PENDING and locked.holder_id != profile.pk:
        if locked.reviewer_acted or not admin_scope(actor).contains_region(locked.enterprise.region):
            raise PermissionDenied(_("Only the administrator holding the report can return it."))
    locked.reviewer_acted = True
    locked.return_reason = reason
    return _move(locked, action=Action.RETURN, actor=actor, to_status=S.RETURNED, to_holder=None, reason=reason,
                 fields=("reviewer_acted", "return_reason"))


@transaction.atomic
def submission_freeze(*, submission: Submission, actor, reason: str) -> Submission:
    """冻结: the enterprise changed its name, credit code or industry; hold the report until checked."""
    locked = _lock(submission)
    if actor is not None:
        _filler_check(actor, locked)
    return _move(locked, action=Action.FREEZE, actor=actor, to_status=S.FROZEN, to_holder=None, reason=reason)


@transaction.atomic
def submission_unfreeze(*, submission: Submission, actor, reason: str = "") -> Submission:
    """解除冻结: by the automatic check (actor None) or a reviewer of the enterprise's region."""
    if actor is not None:
        _reviewer(actor)
    locked = _lock(submission)
    if actor is not None and not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    return _move(locked, action=Action.UNFREEZE, actor=actor, to_status=S.UNFROZEN, to_holder=None, reason=reason)


@dataclass
class BulkOutcome:
    """What a bulk action moved and what it did not, and why."""

    moved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (submission, message)
