"""Questionnaire writes."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.services import wizard_drafts_discard
from reporting.models import Submission

from ..models import Questionnaire, QuestionnaireResponse
from ..selectors import questionnaire_answerable, questionnaire_draft_key


class QuestionnaireClosed(PermissionDenied):
    """The questionnaire applies, but its answers of the period can no longer be given or changed (the period
    is not open, or the period's report is 待审核 / 审核通过 / 冻结); the message says which, for the page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def questionnaire_answering_check(*, questionnaire: Questionnaire, enterprise, period: datetime.date, actor) -> None:
    """Refuse unless `actor` may answer `questionnaire` for the enterprise's `period` now: the enterprise's
    filler, and `selectors.questionnaire_answerable`. PermissionDenied when it does not apply,
    QuestionnaireClosed when it is closed."""
    if not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can answer its questionnaires."))
    verdict = questionnaire_answerable(questionnaire=questionnaire, enterprise=enterprise, period=period)
    if not verdict.applies:
        raise PermissionDenied(verdict.reason)
    if not verdict.ok:
        raise QuestionnaireClosed(verdict.reason)


@transaction.atomic
def questionnaire_response_store(*, questionnaire: Questionnaire, enterprise, period: datetime.date, version,
                                 answers: dict, actor) -> QuestionnaireResponse:
    """Keep the answers (hidden ones already dropped by the engine); answering again replaces them, and
    discards any answering wizard's draft of the month (typed over the answers just replaced).

    Refused (nothing stored) unless the questionnaire may be answered now (`questionnaire_answering_check`);
    the period's reports are locked first, so a 上报 in the same moment cannot slip in between."""
    list(Submission.objects.select_for_update().filter(enterprise=enterprise, period=period).values_list("pk", flat=True))
    questionnaire_answering_check(questionnaire=questionnaire, enterprise=enterprise, period=period, actor=actor)
    response, _created = QuestionnaireResponse.objects.update_or_create(
        questionnaire=questionnaire, enterprise=enterprise, period=period,
        defaults={"version": version, "answers": answers, "user": actor})
    wizard_drafts_discard(owner_key=questionnaire_draft_key(questionnaire, enterprise, period))
    return response
