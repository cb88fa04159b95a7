"""Writes of task-based reporting (填报任务): tasks and their transitions, applications, and the
enterprise's save / submit / 取消上报 of a task's report.

A task's report is a `reporting.Submission` (report_type=task.report_type, period=task.period):
saved by `reporting.services.report_save`, checked by `reporting.services.submissions.report_validate`
and moved by `workflow.services` (submit, withdraw; receive and return in the review back office).
Nothing here is specific to one report: the definition and the task drive everything.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.enums import Severity
from formdefs.selectors import version_current
from formdefs.services import answers_validate, wizard_drafts_discard
from regions.models import Industry
from reporting import excel_io
from reporting.enums import Frequency
from reporting.models import ReportType, Submission
from reporting.periods import period_key, period_label, period_of, period_start, period_valid
from reporting.selectors import report_draft_key, report_rule_context, report_version, submission_find
from reporting.services import ReportRefused, ReportStale, report_save
from reporting.services.submissions import information_change_follow, report_validate
from statemachine import StateTable
from workflow import services as workflow
from reporting.enums import EDITABLE, SubmissionStatus as S

from .enums import LEVEL_REGION, TASK_TRANSITIONS, ApplicationStatus, TaskAction, TaskLevel, TaskStatus
from .models import FilingApplication, FilingTask
from .selectors import filing_admin_scope, filing_task_get_for_enterprise, task_matches_enterprise

EXPLANATION_MAX = 500


class FilingRefused(Exception):
    """A filing action that cannot be done; `messages` say why, in the user's language.

    `unexplained` lists the severe warnings (issue dicts) that still need an explanation (审核说明).
    """

    def __init__(self, messages: list[str], *, unexplained: list[dict] | None = None):
        super().__init__("; ".join(str(m) for m in messages))
        self.messages = [str(m) for m in messages]
        self.unexplained = unexplained or []


class FilingStale(FilingRefused):
    """The task's report was saved since the writer read it (another window, device or user): nothing
    was written. `revision` is the stored one (0: no report yet)."""

    def __init__(self, messages: list[str], *, revision: int):
        super().__init__(messages)
        self.revision = revision


# -- tasks (back office) ---------------------------------------------------------------------------

def _industry_prefix_valid(prefix: str) -> bool:
    """An industry code or its beginning: a section letter, optionally followed by digits of a code in it."""
    if not prefix:
        return True
    if not prefix[0].isalpha() or not prefix[0].isupper() or not prefix[1:].isdigit() and prefix[1:]:
        return False
    qs = Industry.objects.filter(section=prefix[0])
    if prefix[1:]:
        qs = qs.filter(code__startswith=prefix[1:])
    return qs.exists()


def _period_error(frequency: str, period: datetime.date) -> str:
    """What to enter instead, naming the period meant (a quarter is its last month: see reporting.periods)."""
    meant = period_of(frequency, period)
    example = {"key": period_key(meant), "label": period_label(frequency, meant)}
    if frequency == Frequency.QUARTERLY:
        return _("A quarterly report's period is the quarter's last month (March, June, September or December): "
                 "enter %(key)s for %(label)s.") % example
    if frequency == Frequency.ANNUAL:
        return _("An annual report's period is December of the year: enter %(key)s for %(label)s.") % example
    return _("The period must be a month, such as %(key)s.") % example


def _task_clean(*, scope, report_type: ReportType, period: datetime.date, issuing_region, fill_region,
                industry_prefix: str, due_date: datetime.date) -> dict:
    errors = {}
    if not report_type.is_active or version_current(key=report_type.definition.key) is None:
        errors["report_type"] = _("This report has no published form definition.")
    if not period_valid(report_type.frequency, period):
        errors["period"] = _period_error(report_type.frequency, period)
    if issuing_region is None or issuing_region.level not in LEVEL_REGION.values():
        errors["issuing_region"] = _("A task is issued by a province or a city.")
    elif not scope.contains_region(issuing_region):
        errors["issuing_region"] = _("This region is outside your region.")
    if fill_region is not None and issuing_region is not None and not issuing_region.contains(fill_region):
        errors["fill_region"] = _("The region of the enterprises must lie in the issuing region.")
    if not _industry_prefix_valid(industry_prefix):
        errors["industry_prefix"] = _("“%(code)s” is not an industry code (e.g. I65).") % {"code": industry_prefix}
    if due_date < period_start(report_type.frequency, period):
        errors["due_date"] = _("The due date cannot be before the period.")
    if errors:
        raise ValidationError(errors)
    level = TaskLevel.PROVINCIAL if issuing_region.level == LEVEL_REGION[TaskLevel.PROVINCIAL] else TaskLevel.MUNICIPAL
    return {"level": level, "region_prefix": (fill_region or issuing_region).prefix}


@transaction.atomic
def filing_task_create(*, actor, title: str, report_type: ReportType, period: datetime.date, issuing_region,
                       due_date: datetime.date, fill_region=None, industry_prefix: str = "",
                       requires_application: bool = False) -> FilingTask:
    """New task (草稿) issued by a province (省级) or a city (市级) of the actor's scope."""
    scope = filing_admin_scope(actor)
    industry_prefix = (industry_prefix or "").strip().upper()
    derived = _task_clean(scope=scope, report_type=report_type, period=period, issuing_region=issuing_region,
                          fill_region=fill_region, industry_prefix=industry_prefix, due_date=due_date)
    task = FilingTask(title=title.strip(), report_type=report_type, period=period, issuing_region=issuing_region,
                      fill_region=fill_region, industry_prefix=industry_prefix, requires_application=requires_application,
                      due_date=due_date, created_by=actor, status=TaskStatus.DRAFT, **derived)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def filing_task_update(*, task: FilingTask, actor, title: str, report_type: ReportType, period: datetime.date,
                       issuing_region, due_date: datetime.date, fill_region=None, industry_prefix: str = "",
                       requires_application: bool = False) -> FilingTask:
    """Change a task. Its report and period only while it is a draft (reports may exist once open)."""
    scope = filing_admin_scope(actor)
    locked = FilingTask.objects.select_for_update(of=("self",)).select_related("issuing_region").get(pk=task.pk)
    if not scope.contains_region(locked.issuing_region):
        raise PermissionDenied
    if locked.status != TaskStatus.DRAFT and (report_type.pk != locked.report_type_id or period != locked.period):
        raise ValidationError({"period": _("The report and the period of an opened task cannot change.")})
    industry_prefix = (industry_prefix or "").strip().upper()
    derived = _task_clean(scope=scope, report_type=report_type, period=period, issuing_region=issuing_region,
                          fill_region=fill_region, industry_prefix=industry_prefix, due_date=due_date)
    for key, value in dict(title=title.strip(), report_type=report_type, period=period, issuing_region=issuing_region,
                           fill_region=fill_region, industry_prefix=industry_prefix,
                           requires_application=requires_application, due_date=due_date, **derived).items():
        setattr(locked, key, value)
    locked.full_clean()
    locked.save()
    return locked


def _task_refuse(action: str, current: str) -> FilingRefused:
    return FilingRefused([_("“%(action)s” is not possible for a task that is %(status)s.")
                          % {"action": TaskAction(action).label, "status": TaskStatus(current).label}])


#: The task table as the shared helper reads it (statemachine.StateTable).
TASKS = StateTable(TASK_TRANSITIONS, refuse=_task_refuse)


def _task_move(*, task: FilingTask, actor, action: str) -> FilingTask:
    scope = filing_admin_scope(actor)
    locked = FilingTask.objects.select_for_update(of=("self",)).select_related("issuing_region").get(pk=task.pk)
    if not scope.contains_region(locked.issuing_region):
        raise PermissionDenied
    TASKS.move(locked, action=action, fields=("updated_at",))
    return locked


@transaction.atomic
def filing_task_open(*, task: FilingTask, actor) -> FilingTask:
    """发布: enterprises may fill the task (again, for a closed one)."""
    return _task_move(task=task, actor=actor, action=TaskAction.OPEN)


@transaction.atomic
def filing_task_close(*, task: FilingTask, actor) -> FilingTask:
    """结束: no more filling, submitting or cancelling; reviewers go on with what was submitted."""
    return _task_move(task=task, actor=actor, action=TaskAction.CLOSE)


# -- applications ----------------------------------------------------------------------------------

@transaction.atomic
def filing_application_create(*, task: FilingTask, enterprise, actor) -> FilingApplication:
    """填报任务申请: apply for an open task that needs an application. One level is enough: an enterprise
    with a pending or accepted application for the same report and period (the other level) is refused."""
    if not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))
    locked = FilingTask.objects.select_for_update(of=("self",)).select_related("report_type").get(pk=task.pk)
    if locked.status != TaskStatus.OPEN or not locked.requires_application:
        raise FilingRefused([_("This task does not take applications.")])
    if not task_matches_enterprise(locked, enterprise):
        raise FilingRefused([_("This task is not for enterprises of your region or industry.")])
    other = (FilingApplication.objects.filter(enterprise=enterprise, task__report_type=locked.report_type,
                                              task__period=locked.period,
                                              status__in=(ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED))
             .exclude(task=locked).select_related("task").first())
    if other is not None:
        raise FilingRefused([_("You have already applied for “%(task)s”: applying for one level is enough.")
                             % {"task": other.task.title}])
    application = FilingApplication.objects.select_for_update().filter(task=locked, enterprise=enterprise).first()
    if application is None:
        return FilingApplication.objects.create(task=locked, enterprise=enterprise, applicant=actor)
    if application.status != ApplicationStatus.REJECTED:
        raise FilingRefused([_("You have already applied for this task.")])
    application.status, application.applicant, application.reason = ApplicationStatus.PENDING, actor, ""
    application.decided_by, application.decided_at = None, None
    application.save(update_fields=["status", "applicant", "reason", "decided_by", "decided_at"])
    return application


def _application_decide(*, application: FilingApplication, actor, status: str, reason: str = "") -> FilingApplication:
    scope = filing_admin_scope(actor)
    locked = (FilingApplication.objects.select_for_update(of=("self",)).select_related("task__issuing_region")
              .get(pk=application.pk))
    if not scope.contains_region(locked.task.issuing_region):
        raise PermissionDenied
    if locked.status != ApplicationStatus.PENDING:
        raise FilingRefused([_("This application has already been decided (%(status)s).")
                             % {"status": locked.get_status_display()}])
    locked.status, locked.reason = status, reason
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def filing_application_accept(*, application: FilingApplication, actor) -> FilingApplication:
    """通过: the enterprise may fill the task."""
    return _application_decide(application=application, actor=actor, status=ApplicationStatus.ACCEPTED)


@transaction.atomic
def filing_application_reject(*, application: FilingApplication, actor, reason: str) -> FilingApplication:
    """不通过, with a reason the enterprise reads."""
    reason = (reason or "").strip()
    if not reason:
        raise FilingRefused([_("Give the reason for rejecting the application.")])
    if len(reason) > EXPLANATION_MAX:
        raise FilingRefused([_("The reason may have at most %(max)d characters.") % {"max": EXPLANATION_MAX}])
    return _application_decide(application=application, actor=actor, status=ApplicationStatus.REJECTED, reason=reason)


# -- the enterprise's report of a task -------------------------------------------------------------

def _open_row(*, task: FilingTask, enterprise):
    try:
        row = filing_task_get_for_enterprise(enterprise=enterprise, pk=task.pk)
    except FilingTask.DoesNotExist:
        raise PermissionDenied(_("This task is not one of your enterprise's tasks."))
    if not row.is_open:
        raise FilingRefused([_("The task “%(task)s” is closed.") % {"task": row.task.title}])
    return row


def filing_report_save(*, task: FilingTask, enterprise, answers: dict, actor, explanation: str | None = None,
                       version=None, expected_revision: int | None = None, wizard_progress: bool = False) -> Submission:
    """Check the answers with the definition (blocking errors refuse) and keep them, computed values
    filled and hidden ones dropped, as the task's report (编辑) while the task is open. The task, not
    the report type's back-fill window, decides when it may be filled. `explanation` None keeps the
    stored filler's note.

    `expected_revision` is the report's `Submission.revision` the writer read (0: no report yet): when
    the stored one differs FilingStale is raised and nothing changes (None: no check).
    `wizard_progress`: the wizard keeping a step as it is left (`TaskReportOwner.save_progress`). Steps
    not filled yet may still miss required values, so only the step's own checks (the wizard's) apply;
    the complete answers are checked by the end of the wizard and by 上报 (`filing_report_submit`).
    The actor's own wizard draft stays, as `report_save(wizard_progress=True)` keeps it.
    """
    row = _open_row(task=task, enterprise=enterprise)
    report_type, period = row.task.report_type, row.task.period
    version = version or report_version(report_type, row.submission)
    if not wizard_progress:
        result = answers_validate(version=version, answers=answers, context=report_rule_context(
            report_type=report_type, enterprise=enterprise, period=period))
        if result.errors:
            raise FilingRefused([issue.message for issue in result.errors])
        answers = result.answers
    if explanation is None:
        explanation = row.submission.explanation if row.submission is not None else ""
    try:
        return report_save(report_type=report_type, enterprise=enterprise, period=period, answers=answers,
                           actor=actor, explanation=explanation, version=version, check_window=False,
                           expected_revision=expected_revision, wizard_progress=wizard_progress)
    except ReportStale as exc:
        raise FilingStale(exc.messages, revision=exc.revision)
    except ReportRefused as exc:
        raise FilingRefused(exc.messages)


def filing_report_import(*, task: FilingTask, enterprise, file, filler_name: str, actor) -> Submission:
    """上报导入 of a task's report: the task's Excel template (`selectors.filing_report_template`) filled in,
    read as the portal's import reads it — all or nothing, errors by sheet, row and column — and kept as the
    task's report (编辑, entry method 导入) while the task is open and the report editable. The task, not the
    report type's back-fill window, decides when it may be filled."""
    row = _open_row(task=task, enterprise=enterprise)
    if not row.can_fill:
        raise FilingRefused([_("This report is %(status)s and cannot be changed.") % {"status": row.status_label}])
    try:
        return excel_io.report_import(report_type=row.task.report_type, enterprise=enterprise, period=row.task.period,
                                      file=file, filler_name=filler_name, actor=actor, check_window=False)
    except excel_io.ImportRefused as exc:
        raise FilingRefused(exc.errors)


def _explained(issues: list[dict], explanations: dict) -> tuple[list[dict], list[dict]]:
    """Attach each severe warning's explanation (by rule code); return (kept issues, unexplained)."""
    kept, missing = [], []
    for issue in issues:
        issue = dict(issue)
        if issue["severity"] == Severity.SEVERE:
            text = (explanations.get(issue["code"]) or "").strip()
            if not text:
                missing.append(issue)
            issue["explanation"] = text[:EXPLANATION_MAX]
        kept.append(issue)
    return kept, missing


def filing_report_submit(*, task: FilingTask, enterprise, actor, explanations: dict | None = None) -> Submission:
    """上报 a task's report. Blocking errors refuse; every severe warning needs its own explanation
    (审核说明, keyed by the rule's code in `explanations`), kept on the warning in `issues` and
    gathered into the filler's note that reviewers read; warnings mark 数据异常.

    Submitting a report that is already pending is a no-op.
    """
    row = _open_row(task=task, enterprise=enterprise)
    submission = row.submission
    if submission is None:
        raise FilingRefused([_("Fill in the report before submitting it.")])
    if submission.status == S.PENDING:
        return submission
    if submission.status not in EDITABLE:
        raise FilingRefused([_("This report is %(status)s and cannot be submitted.")
                             % {"status": submission.get_status_display()}])
    # Answers kept by the wizard's steps (wizard_progress) may change the profile without a change recorded
    # yet: freeze now, as the end of the wizard would have, rather than submit past it (as report_submit).
    if information_change_follow(submission, enterprise=enterprise, actor=actor):
        raise FilingRefused([_("The enterprise name, credit code or industry was changed: the report is frozen "
                               "until the change has been checked (about two minutes).")])
    result = report_validate(submission)
    if result.errors:
        raise FilingRefused([issue.message for issue in result.errors])
    kept, missing = _explained([i.as_dict() for i in result.issues if i.severity != Severity.ERROR], explanations or {})
    if missing:
        raise FilingRefused([_("Severe warnings need an explanation (审核说明) each before submitting.")],
                            unexplained=missing)
    note = "\n".join(f"{i['message']}：{i['explanation']}" for i in kept if i["severity"] == Severity.SEVERE)
    with transaction.atomic():
        submitted = workflow.submission_submit(submission=submission, actor=actor, issues=kept,
                                               anomalous=result.is_anomalous, explanation=note or submission.explanation,
                                               final_level=LEVEL_REGION[task.level])
        # The filler's wizard draft (kept by the step saves) would come back over the submitted answers
        # if the report is returned.
        wizard_drafts_discard(owner_key=report_draft_key(task.report_type, enterprise, task.period))
    return submitted


def filing_report_cancel(*, task: FilingTask, enterprise, actor) -> Submission:
    """取消上报: take the report back for editing while the task is open and no reviewer has acted
    (the workflow's 撤销, which checks `reviewer_acted`)."""
    row = _open_row(task=task, enterprise=enterprise)
    if row.submission is None or row.submission.status != S.PENDING:
        raise FilingRefused([_("Only a submitted report waiting for review can be cancelled.")])
    return workflow.submission_withdraw(submission=row.submission, actor=actor)


def filing_report_issues(*, task: FilingTask, enterprise) -> list[dict]:
    """The non-blocking checks the task's saved report violates now (for the submit dialog)."""
    submission = submission_find(report_type=task.report_type, enterprise=enterprise, period=task.period)
    if submission is None:
        return []
    return [i.as_dict() for i in report_validate(submission).issues if i.severity != Severity.ERROR]


__all__ = ["FilingRefused", "FilingStale", "filing_application_accept", "filing_application_create", "filing_application_reject",
           "filing_report_cancel", "filing_report_import", "filing_report_issues", "filing_report_save", "filing_report_submit",
           "filing_task_close", "filing_task_create", "filing_task_open", "filing_task_update", "period_label"]
