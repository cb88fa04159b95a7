"""An enterprise's report of a period: read, save a draft, validate, submit, withdraw, audit trail.

Addressed by (report type, enterprise, period) so a draft can be created before anything exists.
The token must reach the enterprise (404 otherwise); filling and submitting are the filler's,
checked inside the services as in the portal (403 for an administrator's token).
"""
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Router

from .. import selectors, services
from ..presenters import event_dict, report_dict, validation_dict
from ..schemas import DraftIn, DraftOut, EventOut, ReportOut, SubmitIn, ValidateIn, ValidationOut
from .common import Id, Key, PeriodKey, period_of, responses

router = Router(tags=["reports"])

IDEMPOTENCY_KEY = Header(..., alias="Idempotency-Key", pattern=r"^[\x21-\x7e]{1,128}$",
                         description="A key the client chooses per submit (e.g. a UUID); a repeat with the same "
                                     "key returns the first result and changes nothing.")

PATH = "/reports/{key}/{enterprise_id}/{period}"


def _target(request, key: str, enterprise_id: int, period: str):
    enterprise = selectors.enterprise_for_token(token=request.auth, pk=enterprise_id, fill=False)
    # Any type the enterprise files directly (GET /report-types?enterprise_id=…); 404 for one it does not.
    report_type = selectors.report_type_for_api(key=key, enterprise=enterprise)
    period_date = period_of(period)
    submission = selectors.report_for_token(token=request.auth, report_type=report_type, enterprise=enterprise,
                                            period=period_date)
    return report_type, enterprise, period_date, submission


@router.get(PATH, response=responses(ReportOut), summary="A report: status, answers and recorded violations")
def report_get(request, key: Key, enterprise_id: Id, period: PeriodKey):
    *_target_parts, submission = _target(request, key, enterprise_id, period)
    if submission is None:
        raise Http404(_("Nothing is saved for this period yet."))
    return report_dict(submission, request.auth.user)


@router.put(PATH, response=responses(DraftOut, 403, 409, body=True),
            summary="Create or update the draft (编辑) with the whole set of answers",
            description="Send back the `revision` you read: when the report was saved since, the answer is 409 "
                        "with code `stale` and the current `revision`, and nothing is saved. 409 `conflict`: "
                        "the report is submitted or approved and cannot change.")
def report_draft(request, key: Key, enterprise_id: Id, period: PeriodKey, payload: DraftIn):
    report_type, enterprise, period_date, submission = _target(request, key, enterprise_id, period)
    saved, result = services.report_draft_save(report_type=report_type, enterprise=enterprise, period=period_date,
                                               answers=payload.answers, explanation=payload.explanation,
                                               actor=request.auth.user, submission=submission,
                                               expected_revision=payload.revision)
    return {"report": report_dict(saved, request.auth.user), "validation": validation_dict(result, explanation=saved.explanation)}


@router.post(PATH + "/validate", response=responses(ValidationOut, 409, body=True),
             summary="Check answers against every rule without saving anything")
def report_validate(request, key: Key, enterprise_id: Id, period: PeriodKey, payload: ValidateIn | None = None):
    report_type, enterprise, period_date, submission = _target(request, key, enterprise_id, period)
    answers = payload.answers if payload is not None and payload.answers is not None else None
    if answers is None:
        if submission is None:
            raise services.NothingToSubmit(_("Nothing is saved for this period yet: save a draft first."))
        answers = submission.answers
    result = services.report_answers_check(report_type=report_type, enterprise=enterprise, period=period_date,
                                           answers=answers, submission=submission)
    return validation_dict(result, explanation=submission.explanation if submission else "")


@router.post(PATH + "/submit", response=responses(ReportOut, 403, 409, body=True),
             summary="上报: submit the saved draft (idempotent with Idempotency-Key)")
def report_submit(request, key: Key, enterprise_id: Id, period: PeriodKey, idempotency_key: str = IDEMPOTENCY_KEY,
                  payload: SubmitIn | None = None):
    report_type, enterprise, period_date, submission = _target(request, key, enterprise_id, period)
    explanation = payload.explanation if payload is not None else None
    body, _replayed = services.idempotent_run(
        user=request.auth.user, key=idempotency_key, operation=f"submit {report_type.key} {enterprise.pk} {period}",
        run=lambda: ReportOut(**report_dict(services.report_submit_api(
            submission=submission, actor=request.auth.user, explanation=explanation), request.auth.user)).model_dump(mode="json"))
    return body


@router.post(PATH + "/withdraw", response=responses(ReportOut, 403, 409),
             summary="取消上报: take the submission back while no administrator has acted")
def report_withdraw(request, key: Key, enterprise_id: Id, period: PeriodKey):
    *_parts, submission = _target(request, key, enterprise_id, period)
    return report_dict(services.report_withdraw_api(submission=submission, actor=request.auth.user), request.auth.user)


@router.get(PATH + "/events", response=responses(list[EventOut]), summary="The audit trail of a report")
def report_events(request, key: Key, enterprise_id: Id, period: PeriodKey):
    *_parts, submission = _target(request, key, enterprise_id, period)
    if submission is None:
        return []
    return [event_dict(e) for e in selectors.submission_events_for_api(submission)]
