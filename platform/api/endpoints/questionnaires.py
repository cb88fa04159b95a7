"""调查问卷: the questionnaires open to an enterprise for a month, their questions, and answering them.

The same rules as the portal's 调查问卷 page and answering wizard: which questionnaires apply
(`survey_builder.selectors.questionnaires_applicable`: status, window, frequency, target) and how answers
are checked and stored (the wizard's owner and final step). A questionnaire that is not open to the
enterprise for the month is 404, like an id that does not exist. Mandatory ones gate the month's 上报.

Answers follow the month's report (`survey_builder.selectors.questionnaire_answerable`): `answerable` is
false, and `closed_reason` says why, once the report is 待审核 / 审核通过 / 冻结 or the month is not open
(a future month, or one before the back-fill years); answering then is 409 and changes nothing.

Answers carry a `revision` (optimistic concurrency, as reports): a PUT with the `revision` it read is refused
with 409 `stale` and the current revision when someone stored the answers meanwhile (another client, the
portal); without one it stores over whatever is stored.
"""
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from formdefs.selectors import version_compiled
from survey_builder.selectors import questionnaire_period_closed
from survey_builder.services import QuestionnaireClosed, QuestionnaireStale

from .. import selectors, services
from ..presenters import questionnaire_dict, questionnaire_response_dict, validation_dict
from ..schemas import (QuestionnaireAnswersIn, QuestionnaireAnswersOut, QuestionnaireDetailOut, QuestionnaireOut,
                       QuestionnaireSavedOut)
from .common import PERIOD_PATTERN, Id, period_of, responses

router = Router(tags=["questionnaires"])

EnterpriseId = Query(..., ge=1, le=2**31 - 1, description="The enterprise answering.")
Period = Query(..., pattern=PERIOD_PATTERN, description="The report month as YYYY-MM.", example="2026-01")


def _target(request, pk: int, enterprise_id: int, period: str):
    enterprise = selectors.questionnaire_enterprise_for_token(token=request.auth, pk=enterprise_id)
    period_date = period_of(period)
    questionnaire, response = selectors.questionnaire_for_enterprise(enterprise=enterprise, period=period_date, pk=pk)
    return enterprise, period_date, questionnaire, response


@router.get("/questionnaires", response=responses(list[QuestionnaireOut], 403),
            summary="The questionnaires open to an enterprise for a month, answered or not")
def questionnaires(request, enterprise_id: int = EnterpriseId, period: str = Period):
    enterprise = selectors.questionnaire_enterprise_for_token(token=request.auth, pk=enterprise_id)
    period_date = period_of(period)
    rows = selectors.questionnaires_for_enterprise(enterprise=enterprise, period=period_date)
    closed = questionnaire_period_closed(enterprise=enterprise, period=period_date) if rows else ""
    return [questionnaire_dict(q, response, closed=closed) for q, response in rows]


@router.get("/questionnaires/{pk}", response=responses(QuestionnaireDetailOut, 403),
            summary="One questionnaire: its questions (the form definition) and the JSON Schema of its answers")
def questionnaire_get(request, pk: Id, enterprise_id: int = EnterpriseId, period: str = Period):
    enterprise, period_date, questionnaire, response = _target(request, pk, enterprise_id, period)
    version = selectors.questionnaire_version(questionnaire=questionnaire, enterprise=enterprise, period=period_date,
                                              user=request.auth.user)
    closed = questionnaire_period_closed(enterprise=enterprise, period=period_date)
    return {**questionnaire_dict(questionnaire, response, closed=closed), "version": version.number,
            "document": version.document, "answers_schema": version_compiled(version).schema}


@router.get("/questionnaires/{pk}/answers", response=responses(QuestionnaireAnswersOut, 403),
            summary="The enterprise's answers of a questionnaire for a month")
def questionnaire_answers(request, pk: Id, enterprise_id: int = EnterpriseId, period: str = Period):
    enterprise, _period, _questionnaire, response = _target(request, pk, enterprise_id, period)
    if response is None:
        raise Http404(_("The questionnaire is not answered for this month yet."))
    return questionnaire_response_dict(response, enterprise)


@router.put("/questionnaires/{pk}/answers", response=responses(QuestionnaireSavedOut, 403, 409, body=True),
            summary="Answer a questionnaire for a month, replacing earlier answers (checked as in the portal)",
            description="409 `conflict` when the month's answers are closed: its report is 待审核, 审核通过 or 冻结, "
                        "or the month is not open (not over yet, or before the back-fill years). 409 `stale` with "
                        "the current `revision` when the answers were stored since the `revision` sent was read. "
                        "Nothing is changed.")
def questionnaire_answer(request, pk: Id, payload: QuestionnaireAnswersIn, enterprise_id: int = EnterpriseId,
                         period: str = Period):
    enterprise, period_date, questionnaire, _response = _target(request, pk, enterprise_id, period)
    try:
        saved, result = services.questionnaire_answers_save(questionnaire=questionnaire, enterprise=enterprise,
                                                            period=period_date, answers=payload.answers,
                                                            actor=request.auth.user, expected_revision=payload.revision)
    except QuestionnaireStale as exc:
        return Status(409, {"code": "stale", "message": exc.message, "errors": [], "issues": [], "revision": exc.revision})
    except QuestionnaireClosed as exc:
        return Status(409, {"code": "conflict", "message": exc.message, "errors": [], "issues": []})
    return {"response": questionnaire_response_dict(saved, enterprise), "validation": validation_dict(result)}
