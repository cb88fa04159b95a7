"""填报任务 (task-based reporting): an enterprise's tasks and the report of each.

A task's report is the ordinary report of (task.report_type, task.period); these endpoints go
through `filing.services`, where the task being open is the filling window and every severe
warning needs its own explanation (审核说明) keyed by the rule's code.
"""
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router

from filing import selectors as filing_selectors
from filing import services as filing
from reporting.enums import NOT_FILLED, SubmissionStatus

from .. import selectors, services
from ..presenters import event_dict, report_dict, validation_dict
from ..schemas import DraftIn, DraftOut, EventOut, ReportOut, TaskOut, TaskSubmitIn, ValidateIn, ValidationOut
from .common import PERIOD_PATTERN, Id, period_of, responses

router = Router(tags=["tasks"])

EnterpriseId = Query(..., ge=1, le=2**31 - 1, description="The enterprise the task is filled for.")
IDEMPOTENCY_KEY = Header(..., alias="Idempotency-Key", pattern=r"^[\x21-\x7e]{1,128}$",
                         description="A key the client chooses per submit; a repeat returns the first result.")
TaskStatusFilter = tuple(SubmissionStatus.values) + (NOT_FILLED,)


def task_dict(row) -> dict:
    task = row.task
    return {"id": task.pk, "title": task.title, "report_type": task.report_type.key,
            "definition": task.report_type.definition.key, "period": task.period_key,
            "period_label": str(row.period_label), "level": task.level, "task_status": task.status,
            "due_date": task.due_date, "status": row.status, "status_label": str(row.status_label),
            "submission_id": row.submission.pk if row.submission else None,
            "can_fill": row.can_fill, "can_submit": row.can_submit, "can_cancel": row.can_cancel}


def _row(request, pk: int, enterprise_id: int):
    enterprise = selectors.enterprise_for_token(token=request.auth, pk=enterprise_id, fill=False)
    return enterprise, filing_selectors.filing_task_get_for_enterprise(enterprise=enterprise, pk=pk,
                                                                             actor=request.auth.user)


@router.get("/tasks", response=responses(list[TaskOut]), summary="我的填报任务: an enterprise's tasks, newest period first")
def tasks(request, enterprise_id: int = EnterpriseId,
          period: str | None = Query(None, pattern=PERIOD_PATTERN, description="YYYY-MM"),
          status: str | None = Query(None, pattern=r"^(" + "|".join(TaskStatusFilter) + r")$",
                                     description="The report's status, or not_filled."),
          name: str | None = Query(None, max_length=64, pattern=r"^[^\x00]*$", description="Part of the task name.")):
    enterprise = selectors.enterprise_for_token(token=request.auth, pk=enterprise_id, fill=False)
    rows = filing_selectors.filing_tasks_for_enterprise(enterprise=enterprise, period=period_of(period) if period else None,
                                                        status=status, name=name, actor=request.auth.user)
    return [task_dict(row) for row in rows]


@router.get("/tasks/{pk}", response=responses(TaskOut), summary="One task and where its report stands")
def task_get(request, pk: Id, enterprise_id: int = EnterpriseId):
    _enterprise, row = _row(request, pk, enterprise_id)
    return task_dict(row)


@router.get("/tasks/{pk}/report", response=responses(ReportOut), summary="The task's report")
def task_report(request, pk: Id, enterprise_id: int = EnterpriseId):
    _enterprise, row = _row(request, pk, enterprise_id)
    if row.submission is None:
        raise Http404(_("Nothing is saved for this period yet."))
    return report_dict(row.submission, request.auth.user)


@router.put("/tasks/{pk}/report", response=responses(DraftOut, 403, 409, body=True),
            summary="Create or update the task's draft with the whole set of answers")
def task_report_save(request, pk: Id, payload: DraftIn, enterprise_id: int = EnterpriseId):
    enterprise, row = _row(request, pk, enterprise_id)
    saved, result = services.task_report_save(task=row.task, enterprise=enterprise, answers=payload.answers,
                                              explanation=payload.explanation, actor=request.auth.user,
                                              submission=row.submission, expected_revision=payload.revision)
    return {"report": report_dict(saved, request.auth.user), "validation": validation_dict(result, explanation=saved.explanation)}


@router.post("/tasks/{pk}/report/validate", response=responses(ValidationOut, 409, body=True),
             summary="Check answers (or the saved draft) against every rule without saving")
def task_report_validate(request, pk: Id, enterprise_id: int = EnterpriseId, payload: ValidateIn | None = None):
    enterprise, row = _row(request, pk, enterprise_id)
    answers = payload.answers if payload is not None and payload.answers is not None else None
    if answers is None:
        if row.submission is None:
            raise services.NothingToSubmit(_("Nothing is saved for this period yet: save a draft first."))
        answers = row.submission.answers
    result = services.report_answers_check(report_type=row.task.report_type, enterprise=enterprise,
                                           period=row.task.period, answers=answers, submission=row.submission)
    return validation_dict(result)  # severe warnings: explanations are given at submit


@router.post("/tasks/{pk}/report/submit", response=responses(ReportOut, 403, 409, body=True),
             summary="上报 the task's report; each severe warning needs an explanation (idempotent)")
def task_report_submit(request, pk: Id, enterprise_id: int = EnterpriseId, idempotency_key: str = IDEMPOTENCY_KEY,
                       payload: TaskSubmitIn | None = None):
    enterprise, row = _row(request, pk, enterprise_id)
    explanations = payload.explanations if payload is not None else {}
    body, _replayed = services.idempotent_run(
        user=request.auth.user, key=idempotency_key, operation=f"task-submit {pk} {enterprise.pk}",
        run=lambda: ReportOut(**report_dict(filing.filing_report_submit(
            task=row.task, enterprise=enterprise, actor=request.auth.user, explanations=explanations), request.auth.user)).model_dump(mode="json"))
    return body


@router.post("/tasks/{pk}/report/cancel", response=responses(ReportOut, 403, 409),
             summary="取消上报: take the report back while the task is open and no reviewer has acted")
def task_report_cancel(request, pk: Id, enterprise_id: int = EnterpriseId):
    enterprise, row = _row(request, pk, enterprise_id)
    return report_dict(filing.filing_report_cancel(task=row.task, enterprise=enterprise, actor=request.auth.user),
                       request.auth.user)


@router.get("/tasks/{pk}/report/events", response=responses(list[EventOut]), summary="The audit trail of the task's report")
def task_report_events(request, pk: Id, enterprise_id: int = EnterpriseId):
    _enterprise, row = _row(request, pk, enterprise_id)
    if row.submission is None:
        return []
    return [event_dict(e) for e in selectors.submission_events_for_api(row.submission)]
