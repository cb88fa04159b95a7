"""Reads of task-based reporting (填报任务): what an enterprise may see and fill, what an administrator
manages. Enterprise reads start from the enterprise (its region and industry); administrator reads
from `accounts.selectors.admin_scope`.

Public interface (used by the portal, the back office and the API):
`filing_tasks_for_enterprise`, `filing_task_get_for_enterprise` → `EnterpriseTask` rows.
"""
import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from accounts.selectors import AdminScope, admin_scope
from enterprises.enums import RegistrationStatus
from formdefs.reference_values import MissingReference, reference_values_missing
from formdefs.selectors import version_current
from reporting.excel_io import report_template
from reporting.models import Submission
from reporting.periods import period_label
from reporting.selectors import submission_level_label
from reporting.enums import EDITABLE, NOT_FILLED, NOT_FILLED_LABEL, SubmissionStatus as S
from workflow.actions import available_actions

from .enums import NOT_APPLIED_LABEL, ApplicationStatus, TaskStatus
from .models import FilingApplication, FilingTask

#: The statuses an enterprise sees its tasks in (drafts are the administrators' own).
VISIBLE_STATUSES = (TaskStatus.OPEN, TaskStatus.CLOSED)
#: 已上报: what 填报数据查询 lists.
REPORTED = (S.PENDING, S.APPROVED)


def _can_fill_tasks(enterprise) -> bool:
    return enterprise.status == RegistrationStatus.APPROVED and not enterprise.is_disabled


def task_matches_enterprise_q(enterprise) -> Q:
    """Tasks whose region subtree and industry prefix include the enterprise (any status)."""
    code = enterprise.region_code
    full = enterprise.industry.full_code
    return Q(region_prefix__in=[code[:2], code[:4], code]) & Q(industry_prefix__in=["", *(full[:n] for n in range(1, len(full) + 1))])


def task_matches_enterprise(task: FilingTask, enterprise) -> bool:
    return (enterprise.region_code.startswith(task.region_prefix)
            and enterprise.industry.full_code.startswith(task.industry_prefix))


def _visible_tasks(enterprise) -> QuerySet[FilingTask]:
    if not _can_fill_tasks(enterprise):
        return FilingTask.objects.none()
    accepted = FilingApplication.objects.filter(enterprise=enterprise, status=ApplicationStatus.ACCEPTED).values("task_id")
    return (FilingTask.objects.filter(task_matches_enterprise_q(enterprise), status__in=VISIBLE_STATUSES)
            .filter(Q(requires_application=False) | Q(pk__in=accepted)))


@dataclass
class EnterpriseTask:
    """One task as an enterprise sees it, with its report for the task's period (None: 未填报), for
    `actor` (the user looking: what they may do with the report comes from `available_actions`)."""

    task: FilingTask
    submission: Submission | None
    actor: object = None

    @property
    def status(self) -> str:
        """The report's status (reporting.enums.SubmissionStatus) or NOT_FILLED."""
        return self.submission.status if self.submission is not None else NOT_FILLED

    @property
    def status_label(self) -> str:
        """未填报 / 编辑 / 已上报至县级 (市级, 省级…) / 退回 / 审核通过 / 冻结 / 解除冻结."""
        if self.submission is None:
            return str(NOT_FILLED_LABEL)
        if self.submission.status == S.PENDING:
            return submission_level_label(self.submission) or self.submission.get_status_display()
        return self.submission.get_status_display()

    @property
    def period_label(self) -> str:
        return period_label(self.task.report_type.frequency, self.task.period)

    @property
    def is_open(self) -> bool:
        return self.task.status == TaskStatus.OPEN

    @property
    def can_fill(self) -> bool:
        """The task is open and its report is not filled yet or editable (编辑, 退回, 解除冻结)."""
        return self.is_open and (self.submission is None or self.submission.status in EDITABLE)

    @property
    def can_submit(self) -> bool:
        return self.is_open and self.submission is not None and self.submission.status in EDITABLE

    @cached_property
    def actions(self):
        """What the actor may do with the task's report now (workflow.actions.ActionSet)."""
        return available_actions(self.submission, self.actor)

    @property
    def can_cancel(self) -> bool:
        """取消上报 (the workflow's 撤销): the task is open and the actor may withdraw the report, i.e.
        the actor is its filler and no reviewer has acted on it yet."""
        return self.is_open and self.actions.withdraw

    @property
    def submitted_at(self):
        return self.submission.submitted_at if self.submission is not None else None


def _rows(enterprise, tasks: list[FilingTask], actor=None) -> list[EnterpriseTask]:
    if not tasks:
        return []
    found = {(s.report_type_id, s.period): s for s in Submission.objects.filter(
        enterprise=enterprise, report_type__in={t.report_type_id for t in tasks}, period__in={t.period for t in tasks})
        .select_related("holder__user", "holder__region", "version", "report_type")}
    return [EnterpriseTask(task=t, submission=found.get((t.report_type_id, t.period)), actor=actor) for t in tasks]


def filing_tasks_for_enterprise(*, enterprise, period: datetime.date | None = None, status: str | None = None,
                                name: str | None = None, actor=None) -> list[EnterpriseTask]:
    """我的填报任务: the open and closed tasks the enterprise may fill (region, industry and, where the
    task asks, an accepted application), newest period first, with the report of each.

    `status` is a report status (reporting.enums.SubmissionStatus) or `NOT_FILLED`; `name` a part
    of the task name.
    """
    qs = _visible_tasks(enterprise)
    if period is not None:
        qs = qs.filter(period=period)
    if name and name.strip():
        qs = qs.filter(title__icontains=name.strip())
    rows = _rows(enterprise, list(qs.select_related("report_type__definition", "issuing_region")
                                  .order_by("-period", "due_date", "pk")), actor)
    if status:
        rows = [r for r in rows if r.status == status]
    return rows


def filing_task_get_for_enterprise(*, enterprise, pk: int, actor=None) -> EnterpriseTask:
    """One task the enterprise may see (FilingTask.DoesNotExist otherwise), as `actor` sees it."""
    task = _visible_tasks(enterprise).select_related("report_type__definition", "issuing_region").get(pk=pk)
    return _rows(enterprise, [task], actor)[0]


def filing_task_periods_for_enterprise(*, enterprise) -> list[tuple[str, str]]:
    """The periods of the enterprise's tasks, newest first, as (YYYY-MM-DD, label) for a filter."""
    seen, out = set(), []
    for period, frequency in _visible_tasks(enterprise).order_by("-period").values_list("period", "report_type__frequency"):
        if period not in seen:
            seen.add(period)
            out.append((period.isoformat(), period_label(frequency, period)))
    return out


def filing_tasks_due(*, enterprise, limit: int = 5) -> list[EnterpriseTask]:
    """The home page's 待填报任务: open tasks whose report is not submitted yet, soonest due first."""
    tasks = list(_visible_tasks(enterprise).filter(status=TaskStatus.OPEN)
                 .select_related("report_type", "issuing_region").order_by("due_date", "pk"))
    return [r for r in _rows(enterprise, tasks) if r.can_fill][:limit]


# -- 填报任务申请 -------------------------------------------------------------------------------

@dataclass
class ApplicableTask:
    """An open task that needs an application, with the enterprise's application (None: 未申请)."""

    task: FilingTask
    application: FilingApplication | None

    @property
    def status_label(self) -> str:
        return self.application.get_status_display() if self.application else str(NOT_APPLIED_LABEL)

    @property
    def can_apply(self) -> bool:
        return self.application is None or self.application.status == ApplicationStatus.REJECTED

    @property
    def period_label(self) -> str:
        return period_label(self.task.report_type.frequency, self.task.period)


def filing_tasks_for_application(*, enterprise, name: str | None = None) -> list[ApplicableTask]:
    """填报任务申请: open tasks of the enterprise's region and industry that need an application."""
    if not _can_fill_tasks(enterprise):
        return []
    qs = FilingTask.objects.filter(task_matches_enterprise_q(enterprise), status=TaskStatus.OPEN,
                                   requires_application=True)
    if name and name.strip():
        qs = qs.filter(title__icontains=name.strip())
    tasks = list(qs.select_related("report_type", "issuing_region").order_by("-period", "level", "pk"))
    applications = {a.task_id: a for a in FilingApplication.objects.filter(enterprise=enterprise, task__in=tasks)}
    return [ApplicableTask(task=t, application=applications.get(t.pk)) for t in tasks]


# -- 填报数据查询 -------------------------------------------------------------------------------

@dataclass
class ReportedTask:
    """A submitted report of one of the enterprise's tasks."""

    task: FilingTask
    submission: Submission

    @property
    def title(self) -> str:
        return self.task.title

    @property
    def period_label(self) -> str:
        return period_label(self.task.report_type.frequency, self.task.period)

    @property
    def status_label(self) -> str:
        return EnterpriseTask(task=self.task, submission=self.submission).status_label


def filing_reports_for_enterprise(*, enterprise, period: datetime.date | None = None,
                                  name: str | None = None) -> list[ReportedTask]:
    """填报数据查询: the enterprise's submitted reports (待审核 or 审核通过) of its tasks, by period and
    task name; one row per report even when a provincial and a municipal task share it."""
    rows, seen = [], set()
    for row in filing_tasks_for_enterprise(enterprise=enterprise, period=period, name=name):
        s = row.submission
        if s is not None and s.status in REPORTED and s.pk not in seen:
            seen.add(s.pk)
            rows.append(ReportedTask(task=row.task, submission=s))
    return rows


def filing_report_get_for_enterprise(*, enterprise, pk: int) -> ReportedTask:
    """One submitted report of the enterprise's tasks by submission id (Submission.DoesNotExist otherwise)."""
    for row in filing_reports_for_enterprise(enterprise=enterprise):
        if row.submission.pk == pk:
            return row
    raise Submission.DoesNotExist


# -- back office ----------------------------------------------------------------------------------

def filing_admin_scope(user) -> AdminScope:
    """The scope of an administrator who manages tasks: national, province or city (a county issues
    none); PermissionDenied for anyone else."""
    scope = admin_scope(user)
    if not filing_admin_allowed(scope):
        raise PermissionDenied
    return scope


def filing_admin_allowed(scope: AdminScope) -> bool:
    profile = scope.profile
    return profile is not None and (profile.region is None or profile.region.level in (1, 2))


def filing_issuing_regions(scope: AdminScope):
    """The provinces and cities of the scope (a task is issued by one of them)."""
    return scope.regions().filter(level__in=(1, 2)).order_by("code", "level")


def filing_tasks_for_admin(*, user, status: str = "", name: str = "") -> QuerySet[FilingTask]:
    """填报任务管理: the tasks issued by a region of the administrator's scope, with application counts."""
    scope = filing_admin_scope(user)
    qs = FilingTask.objects.filter(scope.region_q("issuing_region__code"))
    if status:
        qs = qs.filter(status=status)
    if name.strip():
        qs = qs.filter(title__icontains=name.strip())
    return (qs.select_related("report_type", "issuing_region", "fill_region")
            .annotate(pending_applications=Count("applications", filter=Q(applications__status=ApplicationStatus.PENDING)))
            .order_by("-period", "-pk"))


def filing_task_get_for_admin(*, user, pk: int) -> FilingTask:
    """A task of the administrator's scope (FilingTask.DoesNotExist otherwise)."""
    scope = filing_admin_scope(user)
    return (FilingTask.objects.filter(scope.region_q("issuing_region__code"))
            .select_related("report_type__definition", "issuing_region", "fill_region", "created_by").get(pk=pk))


def filing_applications_for_admin(*, user, status: str = ApplicationStatus.PENDING, task=None) -> QuerySet[FilingApplication]:
    """The applications for the administrator's tasks (pending ones by default)."""
    scope = filing_admin_scope(user)
    qs = FilingApplication.objects.filter(scope.region_q("task__issuing_region__code"))
    if status:
        qs = qs.filter(status=status)
    if task is not None:
        qs = qs.filter(task=task)
    return qs.select_related("task__report_type", "enterprise__region", "enterprise__industry", "decided_by").order_by("-created_at", "-pk")


def filing_application_get_for_admin(*, user, pk: int) -> FilingApplication:
    return filing_applications_for_admin(user=user, status="").get(pk=pk)


def filing_task_progress(task: FilingTask) -> list[tuple[str, int]]:
    """How far a task's reports have got: (status label, count) of the reports of its report type and
    period in its region, in the statuses' order."""
    counts = dict(Submission.objects.filter(report_type=task.report_type, period=task.period,
                                            region_code__startswith=task.region_prefix)
                  .values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return [(status.label, counts[status.value]) for status in S if counts.get(status.value)]


def filing_report_template(*, row: EnterpriseTask, enterprise, user, lang: str | None = None) -> tuple[bytes, str]:
    """The Excel template of a task's report for the enterprise (content, file name): the report's template
    for the task's period and the enterprise; `services.filing_report_import` reads it back."""
    return report_template(row.task.report_type, enterprise=enterprise, period=row.task.period, user=user, lang=lang)


def filing_task_reference_gaps(task: FilingTask) -> list[MissingReference]:
    """参考值 the rules of the task's definition read for the task's year and that are not stored: those rules
    are skipped for every report of the task until a national administrator enters the value."""
    version = version_current(key=task.report_type.definition.key)
    return reference_values_missing(version.document, task.period.year) if version is not None else []
