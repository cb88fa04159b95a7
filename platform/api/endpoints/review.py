"""Administrators: the reports of their region, receive (接收) and return (退回).

The list is limited by `admin_scope`; receive and return are the back office's own workflow
functions, which check that the administrator holds the report.
"""
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Header, Query, Router

from workflow import services as workflow
from workflow.transitions import TransitionRefused

from .. import selectors, services
from ..errors import FlaggedFieldsUnknown
from ..presenters import event_dict, report_dict, submission_row
from ..schemas import EventOut, ReportOut, ReturnIn, SubmissionPageOut
from .common import KEY_PATTERN, PERIOD_PATTERN, Id, period_of, responses

router = Router(tags=["review"])

Status = Literal["editing", "pending", "returned", "approved", "frozen", "unfrozen"]
OPTIONAL_KEY = Header(None, alias="Idempotency-Key", pattern=r"^[\x21-\x7e]{1,128}$",
                      description="Optional: a repeat with the same key returns the first result.")


def _reviewer_scope(token):
    scope = selectors.token_scope(token)
    if scope.is_empty or not scope.profile.can_review_report:
        raise PermissionDenied(_("Only administrators with the report review permission can do this."))
    return scope


@router.get("/submissions", response=responses(SubmissionPageOut, 403),
            summary="Reports of the administrator's region (filters: report type, period, status, region)")
def submissions(request,
                report_type: str | None = Query(None, pattern=KEY_PATTERN),
                period: str | None = Query(None, pattern=PERIOD_PATTERN, description="YYYY-MM"),
                status: Status | None = Query(None),
                region: str | None = Query(None, pattern=r"^\d{6}$", description="A region code; its subtree."),
                enterprise: str | None = Query(None, max_length=64, pattern=r"^[^\x00]*$",
                                                      description="Name contains, or credit code starts with."),
                page: int = Query(1, ge=1, le=100000),
                page_size: int = Query(50, ge=1, le=200)):
    scope = _reviewer_scope(request.auth)
    qs = selectors.submissions_for_admin(scope=scope, report_type=report_type or "",
                                         period=period_of(period) if period else None, status=status or "",
                                         region=region or "", enterprise=(enterprise or "").strip())
    offset = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size,
            "items": [submission_row(s) for s in qs[offset:offset + page_size]]}


@router.get("/submissions/{pk}", response=responses(ReportOut), summary="One report")
def submission_get(request, pk: Id):
    return report_dict(selectors.submission_for_token(token=request.auth, pk=pk), request.auth.user)


@router.get("/submissions/{pk}/events", response=responses(list[EventOut]), summary="The audit trail of a report")
def submission_events(request, pk: Id):
    submission = selectors.submission_for_token(token=request.auth, pk=pk)
    return [event_dict(e) for e in selectors.submission_events_for_api(submission)]


@router.post("/submissions/{pk}/receive", response=responses(ReportOut, 403, 409),
             summary="接收: pass the report to the next level (approved at the top)")
def submission_receive(request, pk: Id, idempotency_key: str | None = OPTIONAL_KEY):
    submission = selectors.submission_for_token(token=request.auth, pk=pk)
    body, _replayed = services.idempotent_run(
        user=request.auth.user, key=idempotency_key, operation=f"receive {pk}",
        run=lambda: ReportOut(**report_dict(workflow.submission_receive(
            submission=submission, actor=request.auth.user), request.auth.user)).model_dump(mode="json"))
    return body


@router.post("/submissions/{pk}/return", response=responses(ReportOut, 403, 409, body=True),
             summary="退回: send the report back to the enterprise with a reason (and the cells in question)")
def submission_return(request, pk: Id, payload: ReturnIn, idempotency_key: str | None = OPTIONAL_KEY):
    submission = selectors.submission_for_token(token=request.auth, pk=pk)
    try:  # an unknown cell is bad input (400 naming it), not a conflict with the report's state
        flagged = workflow.flagged_fields_clean(submission, payload.flagged_fields)
    except TransitionRefused as exc:
        raise FlaggedFieldsUnknown(exc.message) from exc
    body, _replayed = services.idempotent_run(
        user=request.auth.user, key=idempotency_key, operation=f"return {pk}",
        run=lambda: ReportOut(**report_dict(workflow.submission_return(
            submission=submission, actor=request.auth.user, reason=payload.reason,
            flagged_fields=flagged), request.auth.user)).model_dump(mode="json"))
    return body
