"""Information changes (企业信息变更) recorded by a freeze, and the automatic check that unfreezes."""
import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import admin_scope
from enterprises.models import Enterprise
from enterprises.validators import validate_uscc
from ops.queue import task_enqueue_on_commit
from regions.selectors import industry_by_full_code
from workflow import services as workflow
from workflow.transitions import TransitionRefused

from ..enums import ChangeStatus, SubmissionStatus
from ..models import InformationChange, Submission

CHECK_DELAY = datetime.timedelta(seconds=getattr(settings, "INFORMATION_CHANGE_CHECK_SECONDS", 120))


def information_change_record(*, submission: Submission, before: dict, after: dict, actor) -> InformationChange:
    """冻结 the report and record the change; the automatic check runs about two minutes later."""
    change = InformationChange.objects.create(submission=submission, enterprise=submission.enterprise, before=before,
                                              after=after, check_after=timezone.now() + CHECK_DELAY)
    # The fields by their names as the enterprise's pages say them (企业名称), not the model's (name).
    changed = _(", ").join(str(_field_label(key)) for key in after if after[key] != before.get(key))
    workflow.submission_freeze(submission=submission, actor=actor, reason=_("Changed: %(fields)s") % {"fields": changed})
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from ..tasks import information_change_check_task  # the task module imports this one

        # Without a broker the check is only logged as not queued: the sweep (beat) and every read settle it.
        task_enqueue_on_commit(information_change_check_task, change.pk, countdown=CHECK_DELAY.total_seconds())
    return change


def _field_label(key: str) -> str:
    try:
        return Enterprise._meta.get_field(key).verbose_name
    except FieldDoesNotExist:  # a key that is not an enterprise field stays as it is
        return key


def information_change_problems(change: InformationChange) -> list[str]:
    """What makes the new values inconsistent: taken by another enterprise, malformed, unknown."""
    after, others = change.after, Enterprise.objects.exclude(pk=change.enterprise_id)
    problems = []
    if after["name"] != change.before["name"] and others.filter(name=after["name"]).exists():
        problems.append(_("An enterprise with this name already exists."))
    if after["credit_code"] != change.before["credit_code"]:
        try:
            validate_uscc(after["credit_code"])
        except ValidationError as exc:
            problems += exc.messages
        if others.filter(credit_code=after["credit_code"]).exists():
            problems.append(_("An enterprise with this credit code already exists."))
    if industry_by_full_code(after["industry"]) is None:
        problems.append(_("Unknown industry code %(code)s.") % {"code": after["industry"]})
    return problems


@transaction.atomic
def information_change_check(*, change: InformationChange) -> InformationChange:
    """The automatic check: consistent values update the profile and unfreeze the report (解除冻结);
    otherwise the change waits for the reviewer (held) and the report stays frozen."""
    change = InformationChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PENDING:
        return change
    problems = information_change_problems(change)
    if problems:
        change.problems, change.resolved_at, change.status = problems, timezone.now(), ChangeStatus.HELD
        change.save(update_fields=["problems", "status", "resolved_at"])
        return change
    return _change_apply(change, status=ChangeStatus.AUTO_APPROVED, actor=None, reason=_("Automatic check passed."))


def _change_apply(change: InformationChange, *, status: str, actor, reason: str) -> InformationChange:
    """Take the new values into the enterprise's profile, settle the change as `status` and unfreeze
    the report (解除冻结): the automatic check and the reviewer's 通过 alike. `change` is locked."""
    enterprise = Enterprise.objects.select_for_update().get(pk=change.enterprise_id)
    enterprise.name, enterprise.credit_code = change.after["name"], change.after["credit_code"]
    enterprise.industry = industry_by_full_code(change.after["industry"])
    enterprise.save(update_fields=["name", "credit_code", "industry"])
    change.status, change.resolved_at, change.resolved_by, change.problems = status, timezone.now(), actor, []
    change.save(update_fields=["status", "resolved_at", "resolved_by", "problems"])
    if change.submission.status == SubmissionStatus.FROZEN:
        workflow.submission_unfreeze(submission=change.submission, actor=actor, reason=reason)
    return change


#: Changes a reviewer can still decide on: waiting for the check, or held by it.
REVIEWABLE = (ChangeStatus.PENDING, ChangeStatus.HELD)


def _change_lock(change: InformationChange, actor) -> InformationChange:
    workflow.reviewer_check(actor)
    # The row alone, as workflow's _lock: its enterprise and report are read after the lock.
    locked = InformationChange.objects.select_for_update().get(pk=change.pk)
    if not admin_scope(actor).contains_region(locked.enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your region."))
    if locked.status not in REVIEWABLE:
        raise TransitionRefused(_("This information change has already been settled."))
    return locked


@transaction.atomic
def information_change_approve(*, change: InformationChange, actor) -> InformationChange:
    """企业信息变更 通过: update the enterprise profile (name, credit code, industry) and unfreeze the report.

    Values that the automatic check finds inconsistent (taken by another enterprise, malformed,
    unknown industry) cannot be approved; return the change instead.
    """
    locked = _change_lock(change, actor)
    problems = information_change_problems(locked)
    if problems:
        raise TransitionRefused(" ".join(problems))
    return _change_apply(locked, status=ChangeStatus.APPROVED, actor=actor, reason=_("Information change approved."))


@transaction.atomic
def information_change_return(*, change: InformationChange, actor, reason: str) -> InformationChange:
    """企业信息变更 退回: refuse the changed values; the frozen report goes back to the enterprise (退回)."""
    reason = workflow.return_reason_clean(reason)
    locked = _change_lock(change, actor)
    locked.status, locked.resolved_at, locked.resolved_by, locked.reason = (
        ChangeStatus.RETURNED, timezone.now(), actor, reason)
    locked.save(update_fields=["status", "resolved_at", "resolved_by", "reason"])
    workflow.submission_change_return(submission=locked.submission, actor=actor, reason=reason)
    return locked


def information_changes_settle(*, enterprise=None, now: datetime.datetime | None = None) -> int:
    """Run the automatic check on every change whose time has come (the periodic sweep, and the
    check done when a report is next read, so the embedded default needs no scheduler)."""
    due = InformationChange.objects.filter(status=ChangeStatus.PENDING, check_after__lte=now or timezone.now())
    if enterprise is not None:
        due = due.filter(enterprise=enterprise)
    count = 0
    for change in due.select_related("submission"):
        information_change_check(change=change)
        count += 1
    return count
