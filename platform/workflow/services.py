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
from reporting.selectors import submission_status_label

from .enums import Action
from reporting.enums import EntryMethod, Screening, SubmissionStatus as S
from .models import ReviewEvent
from .transitions import TransitionRefused, transition_check

RETURN_REASON_MAX = 500


def _lock(submission: Submission, *, action: str) -> Submission:
    """Lock the report's row, alone, and refuse when it changed since the caller read `submission`.

    No joins in the locking query: when it waits for a concurrent transition, PostgreSQL re-reads the
    locked row but not the rows joined to it, and a LEFT JOIN to a holder that changed comes back
    empty while `holder_id` is set. The enterprise and the holder are read after the lock, by their
    own queries, so they are the committed ones.

    The caller decided on the status and holder it read (the page or the API call it answers); if
    another transition moved the report in between (a double click, the county receiving while the
    city returns), this one is refused with what the report is now, instead of acting on a state
    nobody chose.
    """
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if (locked.status, locked.holder_id) != (submission.status, submission.holder_id):
        raise TransitionRefused(
            _("“%(action)s” was not done: the report changed in the meantime and is now “%(status)s”. "
              "Reload the page to see it.")
            % {"action": Action(action).label, "status": submission_status_label(locked)})
    return locked


def _move(locked: Submission, *, seen: Submission, action: str, actor, to_status: str, to_holder, reason: str = "",
          fields: tuple = ()) -> Submission:
    """Make the transition on the locked row; `seen`, the caller's instance, is brought up to date too,
    so a caller going on with it (receive, then return) acts on the state it made."""
    transition_check(action, locked.status, to_status)
    event = ReviewEvent(submission=locked, action=action, actor=actor if getattr(actor, "pk", None) else None,
                        from_status=locked.status, to_status=to_status, from_holder=locked.holder,
                        to_holder=to_holder, reason=reason)
    locked.status, locked.holder = to_status, to_holder
    locked.save(update_fields=["status", "holder", "updated_at", *fields])
    event.save()
    IndicatorFact.objects.filter(submission=locked).update(status=to_status)
    if seen is not locked:
        seen.holder = locked.holder
        for name in ("status", "updated_at", *fields):
            setattr(seen, name, getattr(locked, name))
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
                      explanation: str | None = None, final_level: int | None = None) -> Submission:
    """上报: send the report to the enterprise's direct reviewer, with the screening outcome.

    `final_level` (a region level) ends the review there instead of at the top of the tree: a
    municipal filing task is approved when the city receives it. Submitting a report that is already
    pending is a no-op (a double click, a resent form).
    """
    locked = _lock(submission, action=Action.SUBMIT)
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
    locked.final_level = final_level
    return _move(locked, seen=submission, action=Action.SUBMIT, actor=actor, to_status=S.PENDING, to_holder=holder,
                 fields=("issues", "screening", "explanation", "submitted_at", "reviewer_acted", "return_reason",
                         "final_level"))


@transaction.atomic
def submission_withdraw(*, submission: Submission, actor) -> Submission:
    """撤销: take a submission back while no administrator has acted on it."""
    locked = _lock(submission, action=Action.WITHDRAW)
    _filler_check(actor, locked)
    if locked.status == S.PENDING and locked.reviewer_acted:
        raise TransitionRefused(_("An administrator has already acted on this report; it can no longer be withdrawn."))
    return _move(locked, seen=submission, action=Action.WITHDRAW, actor=actor, to_status=S.EDITING, to_holder=None)


@transaction.atomic
def submission_receive(*, submission: Submission, actor) -> Submission:
    """接收: pass the report to the holder's parent; at the top of the tree, or at the level where its
    review ends (`final_level`), it is approved (审核通过)."""
    profile = _reviewer(actor)
    locked = _lock(submission, action=Action.RECEIVE)
    if locked.status == S.PENDING and locked.holder_id != profile.pk:
        raise PermissionDenied(_("Only the administrator holding the report can receive it."))
    parent = profile.get_parent()
    locked.reviewer_acted = True
    ends_here = (locked.final_level is not None and profile.region is not None
                 and profile.region.level <= locked.final_level)
    if parent is None or ends_here:
        locked.approved_at = timezone.now()
        return _move(locked, seen=submission, action=Action.RECEIVE, actor=actor, to_status=S.APPROVED, to_holder=None,
                     fields=("reviewer_acted", "approved_at"))
    return _move(locked, seen=submission, action=Action.RECEIVE, actor=actor, to_status=S.PENDING, to_holder=parent,
                 fields=("reviewer_acted",))


@transaction.atomic
def submission_skip_receive(*, submission: Submission, actor) -> Submission:
    """越级接收: a province administrator with the flag approves a pending report that passed screening."""
    profile = _reviewer(actor)
    if not profile.can_skip_level:
        raise PermissionDenied(_("You do not have the skip-level receive permission."))
    locked = _lock(submission, action=Action.SKIP_RECEIVE)
    if not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    if locked.status == S.PENDING and locked.screening != Screening.PASSED:
        raise TransitionRefused(_("Reports with a data anomaly must be received one by one."))
    locked.reviewer_acted = True
    locked.approved_at = timezone.now()
    return _move(locked, seen=submission, action=Action.SKIP_RECEIVE, actor=actor, to_status=S.APPROVED, to_holder=None,
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
    locked = _lock(submission, action=Action.RETURN)
    if locked.status == S.PENDING and locked.holder_id != profile.pk:
        if locked.reviewer_acted or not admin_scope(actor).contains_region(locked.enterprise.region):
            raise PermissionDenied(_("Only the administrator holding the report can return it."))
    locked.reviewer_acted = True
    locked.return_reason = reason
    return _move(locked, seen=submission, action=Action.RETURN, actor=actor, to_status=S.RETURNED, to_holder=None,
                 reason=reason, fields=("reviewer_acted", "return_reason"))


@transaction.atomic
def submission_freeze(*, submission: Submission, actor, reason: str) -> Submission:
    """冻结: the enterprise changed its name, credit code or industry; hold the report until checked."""
    locked = _lock(submission, action=Action.FREEZE)
    if actor is not None:
        _filler_check(actor, locked)
    return _move(locked, seen=submission, action=Action.FREEZE, actor=actor, to_status=S.FROZEN, to_holder=None,
                 reason=reason)


@transaction.atomic
def submission_unfreeze(*, submission: Submission, actor, reason: str = "") -> Submission:
    """解除冻结: by the automatic check (actor None) or a reviewer of the enterprise's region."""
    if actor is not None:
        _reviewer(actor)
    locked = _lock(submission, action=Action.UNFREEZE)
    if actor is not None and not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    return _move(locked, seen=submission, action=Action.UNFREEZE, actor=actor, to_status=S.UNFROZEN, to_holder=None,
                 reason=reason)


@dataclass
class BulkOutcome:
    """What a bulk action moved and what it did not, and why."""

    moved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (submission, message)
    remaining: int = 0  # left for the next action (over the limit)


BULK_LIMIT = 200


def _bulk_run(outcome: BulkOutcome, submissions, move) -> BulkOutcome:
    """Move each report in its own transaction (the transition function's), so one refusal or a
    concurrent change (the enterprise withdrawing) stops only that report."""
    for submission in submissions:
        try:
            outcome.moved.append(move(submission))
        except (TransitionRefused, PermissionDenied) as exc:
            outcome.refused.append((submission, getattr(exc, "message", None) or str(exc)))
    return outcome


def submissions_receive_all(*, actor, limit: int = BULK_LIMIT) -> BulkOutcome:
    """一键接收: receive every report waiting for the actor (at most `limit` per action)."""
    profile = _reviewer(actor)
    if not profile.can_one_click:
        raise PermissionDenied(_("You do not have the one-click receive permission."))
    waiting = (Submission.objects.filter(holder=profile, status=S.PENDING)
               .select_related("enterprise").order_by("period", "pk"))
    batch = list(waiting[:limit])
    outcome = BulkOutcome(remaining=max(waiting.count() - len(batch), 0))
    return _bulk_run(outcome, batch, lambda s: submission_receive(submission=s, actor=actor))


def submissions_skip_receive(*, actor, report_type=None, period=None, limit: int = BULK_LIMIT) -> BulkOutcome:
    """越级接收: every pending report in the actor's region that passed screening goes to 审核通过;
    reports with a data anomaly stay (listed as refused) for one-by-one review."""
    profile = _reviewer(actor)
    if not profile.can_skip_level:
        raise PermissionDenied(_("You do not have the skip-level receive permission."))
    pending = Submission.objects.filter(admin_scope(actor).region_q("region_code"), status=S.PENDING)
    if report_type is not None:
        pending = pending.filter(report_type=report_type)
    if period is not None:
        pending = pending.filter(period=period)
    pending = pending.select_related("enterprise").order_by("period", "pk")
    passed = pending.filter(screening=Screening.PASSED)
    batch = list(passed[:limit])
    outcome = BulkOutcome(remaining=max(passed.count() - len(batch), 0))
    outcome.refused = [(s, _("Data anomaly: receive it one by one."))
                       for s in pending.exclude(screening=Screening.PASSED)[:limit]]
    return _bulk_run(outcome, batch, lambda s: submission_skip_receive(submission=s, actor=actor))


# -- 企业信息变更 review ----------------------------------------------------------------------------

def _change_lock(change, actor):
    from reporting.enums import ChangeStatus
    from reporting.models import InformationChange

    _reviewer(actor)
    # The row alone, as _lock: its enterprise and report are read after the lock.
    locked = InformationChange.objects.select_for_update().get(pk=change.pk)
    if not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    if locked.status not in (ChangeStatus.PENDING, ChangeStatus.HELD):
        raise TransitionRefused(_("This information change has already been settled."))
    return locked


@transaction.atomic
def information_change_approve(*, change, actor):
    """企业信息变更 通过: update the enterprise profile (name, credit code, industry) and unfreeze the report.

    Values that the automatic check finds inconsistent (taken by another enterprise, malformed,
    unknown industry) cannot be approved; return the change instead.
    """
    from enterprises.models import Enterprise
    from regions.selectors import industry_by_full_code
    from reporting.enums import ChangeStatus
    from reporting.services.changes import information_change_problems

    locked = _change_lock(change, actor)
    problems = information_change_problems(locked)
    if problems:
        raise TransitionRefused(" ".join(problems))
    enterprise = Enterprise.objects.select_for_update().get(pk=locked.enterprise_id)
    enterprise.name, enterprise.credit_code = locked.after["name"], locked.after["credit_code"]
    enterprise.industry = industry_by_full_code(locked.after["industry"])
    enterprise.save(update_fields=["name", "credit_code", "industry"])
    locked.status, locked.resolved_at, locked.resolved_by, locked.problems = (
        ChangeStatus.APPROVED, timezone.now(), actor, [])
    locked.save(update_fields=["status", "resolved_at", "resolved_by", "problems"])
    if locked.submission.status == S.FROZEN:
        submission_unfreeze(submission=locked.submission, actor=actor, reason=_("Information change approved."))
    return locked


@transaction.atomic
def information_change_return(*, change, actor, reason: str):
    """企业信息变更 退回: refuse the changed values; the frozen report goes back to the enterprise (退回)."""
    from reporting.enums import ChangeStatus

    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for returning the report."))
    if len(reason) > RETURN_REASON_MAX:
        raise TransitionRefused(_("The reason may have at most %(max)d characters.") % {"max": RETURN_REASON_MAX})
    locked = _change_lock(change, actor)
    locked.status, locked.resolved_at, locked.resolved_by, locked.reason = (
        ChangeStatus.RETURNED, timezone.now(), actor, reason)
    locked.save(update_fields=["status", "resolved_at", "resolved_by", "reason"])
    frozen = _lock(locked.submission, action=Action.CHANGE_RETURN)
    if frozen.status == S.FROZEN:
        frozen.return_reason = reason
        _move(frozen, seen=locked.submission, action=Action.CHANGE_RETURN, actor=actor, to_status=S.RETURNED,
              to_holder=None, reason=reason, fields=("return_reason",))
    return locked


@transaction.atomic
def submissions_reassign(*, enterprise, to_holder: AdministratorProfile, actor) -> list[Submission]:
    """更换直接审核员: every pending report of `enterprise` held by its direct reviewer moves to `to_holder`.

    Call it before the enterprise's `direct_reviewer` changes (enterprises.services.enterprises_reviewer_change
    does): the reports to move are those held by the reviewer `enterprise` names. The status stays
    待审核; each move writes a ReviewEvent with Action.REASSIGN. The actor is an administrator whose
    region contains the enterprise's, and `to_holder` one of its subtree whose region contains it too.
    """
    scope = admin_scope(actor)
    if scope.is_empty or not scope.contains_region(enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    if not scope.administrators().filter(pk=to_holder.pk).exists():
        raise PermissionDenied(_("%(admin)s is not one of your administrators.") % {"admin": to_holder})
    if to_holder.region is not None and not to_holder.region.contains(enterprise.region):
        raise PermissionDenied(_("%(admin)s does not manage this enterprise's region.") % {"admin": to_holder})
    previous = enterprise.direct_reviewer_id
    if previous is None or previous == to_holder.pk:
        return []
    # The rows alone (see _lock); the filter is re-checked on the rows as they are once locked.
    held = (Submission.objects.select_for_update()
            .filter(enterprise=enterprise, status=S.PENDING, holder_id=previous).order_by("pk"))
    from_holder = AdministratorProfile.objects.select_related("user").get(pk=previous)
    moved = []
    for locked in held:
        ReviewEvent.objects.create(submission=locked, action=Action.REASSIGN, actor=actor, from_status=locked.status,
                                   to_status=locked.status, from_holder=from_holder, to_holder=to_holder,
                                   reason=_("Direct reviewer changed: %(old)s → %(new)s")
                                   % {"old": from_holder, "new": to_holder})
        locked.holder = to_holder
        locked.save(update_fields=["holder", "updated_at"])
        moved.append(locked)
    return moved
