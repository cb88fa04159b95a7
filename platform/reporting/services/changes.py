"""Information changes (企业信息变更) recorded by a freeze, and the automatic check that unfreezes."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.validators import validate_uscc
from regions.selectors import industry_by_full_code
from workflow import services as workflow
from reporting.enums import SubmissionStatus

from ..enums import ChangeStatus
from ..models import InformationChange, Submission

CHECK_DELAY = datetime.timedelta(seconds=getattr(settings, "INFORMATION_CHANGE_CHECK_SECONDS", 120))


def information_change_record(*, submission: Submission, before: dict, after: dict, actor) -> InformationChange:
    """冻结 the report and record the change; the automatic check runs about two minutes later."""
    change = InformationChange.objects.create(submission=submission, enterprise=submission.enterprise, before=before,
                                              after=after, check_after=timezone.now() + CHECK_DELAY)
    changed = ", ".join(key for key in after if after[key] != before.get(key))
    workflow.submission_freeze(submission=submission, actor=actor, reason=_("Changed: %(fields)s") % {"fields": changed})
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        from ..tasks import information_change_check_task

        from ops.queue import task_enqueue_on_commit

        # Without a broker the check is only logged as not queued: the sweep (beat) and every read settle it.
        task_enqueue_on_commit(information_change_check_task, change.pk, countdown=CHECK_DELAY.total_seconds())
    return change


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
    change.problems = problems
    change.resolved_at = timezone.now()
    if problems:
        change.status = ChangeStatus.HELD
        change.save(update_fields=["problems", "status", "resolved_at"])
        return change
    enterprise = Enterprise.objects.select_for_update().get(pk=change.enterprise_id)
    enterprise.name, enterprise.credit_code = change.after["name"], change.after["credit_code"]
    enterprise.industry = industry_by_full_code(change.after["industry"])
    enterprise.save(update_fields=["name", "credit_code", "industry"])
    change.status = ChangeStatus.AUTO_APPROVED
    change.save(update_fields=["problems", "status", "resolved_at"])
    if change.submission.status == SubmissionStatus.FROZEN:
        workflow.submission_unfreeze(submission=change.submission, actor=None, reason=_("Automatic check passed."))
    return change


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
