"""The review workflow: one function per transition (SPEC §5 statuses, §6 review).

Each function locks the report row, checks the actor's permission (`workflow.actions.action_check`,
the same check `available_actions` runs for the pages and the API) and makes the move through the
table (`workflow.transitions.SUBMISSIONS`, a `statemachine.StateTable`): saved with `update_fields`,
a `ReviewEvent` written and the facts' status kept in step, all in one transaction. Callers
(portal, back office, imports, commands) get the same rules.
"""
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AdministratorProfile
from accounts.selectors import admin_scope, direct_reviewer_for
from reporting.enums import Screening, SubmissionStatus as S
from reporting.models import IndicatorFact, Submission
from reporting.selectors import submission_status_label

from .actions import Acting, action_check
from .enums import Action
from .models import ReviewEvent
from .notifications import submission_returned_notify
from .review_values import flaggable_cells
from .selectors import one_click_candidates, skip_receive_candidates
from .transitions import SUBMISSIONS, TransitionRefused

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
          fields: tuple = (), snapshot: dict | None = None, flagged: list | None = None) -> Submission:
    """Make the transition on the locked row through the shared helper (statemachine: table check,
    save with `update_fields`, then the ReviewEvent and the facts' status); `seen`, the caller's
    instance, is brought up to date too, so a caller going on with it (receive, then return) acts on
    the state it made."""
    from_holder = locked.holder

    def record(from_status, to):
        ReviewEvent.objects.create(submission=locked, action=action, actor=actor if getattr(actor, "pk", None) else None,
                                   from_status=from_status, to_status=to, from_holder=from_holder,
                                   to_holder=to_holder, reason=reason, answers=snapshot, flagged_fields=flagged or [])
        if from_status != to:
            IndicatorFact.objects.filter(submission=locked).update(status=to)

    SUBMISSIONS.move(locked, action=action, to=to_status, changes={"holder": to_holder},
                     fields=("updated_at", *fields), record=record)
    if seen is not locked:
        seen.holder = locked.holder
        for name in ("status", "updated_at", *fields):
            setattr(seen, name, getattr(locked, name))
    return locked


def reviewer_check(actor) -> AdministratorProfile:
    """The actor's administrator profile when it may review reports (报表审核权); PermissionDenied otherwise."""
    return Acting(actor).reviewer()


def return_reason_clean(reason: str) -> str:
    """A return reason as stored: stripped, required, at most RETURN_REASON_MAX characters."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_("Give the reason for returning the report."))
    if len(reason) > RETURN_REASON_MAX:
        raise TransitionRefused(_("The reason may have at most %(max)d characters.") % {"max": RETURN_REASON_MAX})
    return reason


def flagged_fields_clean(submission: Submission, paths) -> list[str]:
    """A return's flagged cells as stored: known paths of the report's version (grid.row.column or a field
    id), once each, in definition order; an unknown path is refused, naming it."""
    paths = [str(p).strip() for p in (paths or ()) if str(p).strip()]
    if not paths:
        return []
    known = flaggable_cells(submission.version)
    unknown = [p for p in dict.fromkeys(paths) if p not in known]
    if unknown:
        raise TransitionRefused(_("These cells are not in the report and cannot be flagged: %(cells)s.")
                                % {"cells": "、".join(unknown[:5])})
    wanted = set(paths)
    return [path for path in known if path in wanted]


@transaction.atomic
def submission_submit(*, submission: Submission, actor, issues: list, anomalous: bool,
                      explanation: str | None = None, final_level: int | None = None) -> Submission:
    """上报: send the report to the enterprise's direct reviewer, with the screening outcome.

    `final_level` (a region level) ends the review there instead of at the top of the tree: a
    municipal filing task is approved when the city receives it. Submitting a report that is already
    pending is a no-op (a double click, a resent form).
    """
    locked = _lock(submission, action=Action.SUBMIT)
    action_check(Action.SUBMIT, locked, actor)
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
    action_check(Action.WITHDRAW, locked, actor)
    return _move(locked, seen=submission, action=Action.WITHDRAW, actor=actor, to_status=S.EDITING, to_holder=None)


@transaction.atomic
def submission_receive(*, submission: Submission, actor) -> Submission:
    """接收: pass the report to the holder's parent; at the top of the tree, or at the level where its
    review ends (`final_level`), it is approved (审核通过)."""
    acting = Acting(actor)
    profile = acting.reviewer()
    locked = _lock(submission, action=Action.RECEIVE)
    action_check(Action.RECEIVE, locked, actor, acting=acting)
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


def _skip_level_check(acting: Acting) -> AdministratorProfile:
    profile = acting.reviewer()
    if not profile.can_skip_level:
        raise PermissionDenied(_("You do not have the skip-level receive permission."))
    return profile


@transaction.atomic
def submission_skip_receive(*, submission: Submission, actor) -> Submission:
    """越级接收: a province administrator with the flag approves a pending report that passed screening."""
    acting = Acting(actor)
    _skip_level_check(acting)
    locked = _lock(submission, action=Action.SKIP_RECEIVE)
    action_check(Action.SKIP_RECEIVE, locked, actor, acting=acting)
    locked.reviewer_acted = True
    locked.approved_at = timezone.now()
    return _move(locked, seen=submission, action=Action.SKIP_RECEIVE, actor=actor, to_status=S.APPROVED, to_holder=None,
                 fields=("reviewer_acted", "approved_at"))


@transaction.atomic
def submission_return(*, submission: Submission, actor, reason: str, flagged_fields=()) -> Submission:
    """退回: send the report back to the enterprise with a reason, and the cells the reviewer questions
    (`flagged_fields`, answer paths; the wizard marks them and the SMS links to the first).

    The holder may return it; before anyone has received it, so may any reviewer whose region
    contains the enterprise. Once received, only the current holder can.
    """
    reason = return_reason_clean(reason)
    flagged = flagged_fields_clean(submission, flagged_fields)
    acting = Acting(actor)
    acting.reviewer()
    locked = _lock(submission, action=Action.RETURN)
    action_check(Action.RETURN, locked, actor, acting=acting)
    locked.reviewer_acted = True
    locked.return_reason = reason
    # The answers as returned: the resubmitted report's review page shows what changed since.
    # The fillers get an SMS once the return commits (退回通知).
    return submission_returned_notify(_move(
        locked, seen=submission, action=Action.RETURN, actor=actor, to_status=S.RETURNED, to_holder=None,
        reason=reason, fields=("reviewer_acted", "return_reason"), snapshot=locked.answers, flagged=flagged))


@transaction.atomic
def submission_freeze(*, submission: Submission, actor, reason: str) -> Submission:
    """冻结: the enterprise changed its name, credit code or industry; hold the report until checked."""
    locked = _lock(submission, action=Action.FREEZE)
    action_check(Action.FREEZE, locked, actor)
    return _move(locked, seen=submission, action=Action.FREEZE, actor=actor, to_status=S.FROZEN, to_holder=None,
                 reason=reason)


@transaction.atomic
def submission_unfreeze(*, submission: Submission, actor, reason: str = "") -> Submission:
    """解除冻结: by the automatic check (actor None) or a reviewer of the enterprise's region."""
    acting = Acting(actor)
    if actor is not None:
        acting.reviewer()
    locked = _lock(submission, action=Action.UNFREEZE)
    action_check(Action.UNFREEZE, locked, actor, acting=acting)
    return _move(locked, seen=submission, action=Action.UNFREEZE, actor=actor, to_status=S.UNFROZEN, to_holder=None,
                 reason=reason)


@transaction.atomic
def submission_change_return(*, submission: Submission, actor, reason: str) -> Submission:
    """企业信息变更退回: the reviewer refused the changed information; a frozen report goes back to the
    enterprise (退回) with the reason. A report no longer frozen is left as it is."""
    locked = _lock(submission, action=Action.CHANGE_RETURN)
    if locked.status != S.FROZEN:
        return locked
    action_check(Action.CHANGE_RETURN, locked, actor)
    locked.return_reason = reason
    # The report goes back to the enterprise like a 退回: its fillers get the same SMS once this commits.
    return submission_returned_notify(_move(
        locked, seen=submission, action=Action.CHANGE_RETURN, actor=actor, to_status=S.RETURNED, to_holder=None,
        reason=reason, fields=("return_reason",), snapshot=locked.answers), Action.CHANGE_RETURN)


@dataclass
class BulkOutcome:
    """What a bulk action moved and what it did not, and why."""

    moved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (submission, message)
    remaining: int = 0  # left for the next action (over the limit)
    outside: int = 0  # chosen reports not found in the actor's region (not named)


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


def submissions_receive_all(*, actor, report_type=None, period=None, limit: int = BULK_LIMIT) -> BulkOutcome:
    """一键接收: receive the reports waiting for the actor (of `report_type` and `period` when given, at
    most `limit` per action); reports with a data anomaly stay (listed as refused) for one-by-one review."""
    profile = reviewer_check(actor)
    if not profile.can_one_click:
        raise PermissionDenied(_("You do not have the one-click receive permission."))
    waiting, anomalous = one_click_candidates(profile, report_type=report_type, period=period)
    batch = list(waiting[:limit])
    outcome = BulkOutcome(remaining=max(waiting.count() - len(batch), 0))
    outcome.refused = [(s, _("Data anomaly: receive it one by one.")) for s in anomalous[:limit]]
    return _bulk_run(outcome, batch, lambda s: submission_receive(submission=s, actor=actor))


def submissions_skip_receive(*, actor, report_type=None, period=None, limit: int = BULK_LIMIT) -> BulkOutcome:
    """越级接收: every pending report in the actor's region that passed screening goes to 审核通过;
    reports with a data anomaly stay (listed as refused) for one-by-one review."""
    acting = Acting(actor)
    _skip_level_check(acting)
    passed, others = skip_receive_candidates(acting.scope, report_type=report_type, period=period)
    batch = list(passed[:limit])
    outcome = BulkOutcome(remaining=max(passed.count() - len(batch), 0))
    outcome.refused = [(s, _("Data anomaly: receive it one by one.")) for s in others[:limit]]
    return _bulk_run(outcome, batch, lambda s: submission_skip_receive(submission=s, actor=actor))


def submissions_return(*, actor, submission_ids, reason: str, limit: int = BULK_LIMIT) -> BulkOutcome:
    """批量退回: return the chosen reports with one reason, each through `submission_return` in its own
    transaction. A report outside the actor's region is refused without its name (the actor may not
    see it); one that moved meanwhile or that the actor may not return is refused with why."""
    reason = return_reason_clean(reason)
    acting = Acting(actor)
    acting.reviewer()
    ids = list(dict.fromkeys(int(pk) for pk in submission_ids if str(pk).isdigit()))[:limit]
    found = {s.pk: s for s in Submission.objects.filter(acting.scope.region_q("region_code"), pk__in=ids)
             .select_related("enterprise", "holder")}
    outcome = BulkOutcome()
    missing = [pk for pk in ids if pk not in found]
    if missing:
        outcome.outside = len(missing)
    return _bulk_run(outcome, [found[pk] for pk in ids if pk in found],
                     lambda s: submission_return(submission=s, actor=actor, reason=reason))


def submissions_receive(*, actor, submission_ids, limit: int = BULK_LIMIT) -> BulkOutcome:
    """批量接收: receive the ticked reports, each through `submission_receive` in its own transaction. As
    for 一键接收, a report with a data anomaly is not received in bulk (refused with why: one by one); one
    outside the actor's region is refused without its name; one that moved meanwhile is refused with why."""
    acting = Acting(actor)
    acting.reviewer()
    ids = list(dict.fromkeys(int(pk) for pk in submission_ids if str(pk).isdigit()))[:limit]
    found = {s.pk: s for s in Submission.objects.filter(acting.scope.region_q("region_code"), pk__in=ids)
             .select_related("enterprise", "holder")}
    outcome = BulkOutcome(outside=len([pk for pk in ids if pk not in found]))
    chosen = [found[pk] for pk in ids if pk in found]
    outcome.refused = [(s, _("Data anomaly: receive it one by one.")) for s in chosen
                       if s.screening == Screening.ANOMALOUS]
    return _bulk_run(outcome, [s for s in chosen if s.screening != Screening.ANOMALOUS],
                     lambda s: submission_receive(submission=s, actor=actor))


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
    reason = _("Direct reviewer changed: %(old)s → %(new)s") % {"old": from_holder, "new": to_holder}
    moved = []
    for locked in held:
        locked.holder = from_holder  # the row's holder (the filter), read once for all of them
        moved.append(_move(locked, seen=locked, action=Action.REASSIGN, actor=actor, to_status=S.PENDING,
                           to_holder=to_holder, reason=reason))
    return moved
