"""Questionnaire writes."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.services import wizard_drafts_discard

from ..models import Questionnaire, QuestionnaireResponse
from ..selectors import questionnaire_draft_key, questionnaires_applicable


@transaction.atomic
def questionnaire_response_store(*, questionnaire: Questionnaire, enterprise, period: datetime.date, version,
                                 answers: dict, actor) -> QuestionnaireResponse:
    """Keep the answers (hidden ones already dropped by the engine); answering again replaces them, and
    discards any answering wizard's draft of the month (typed over the answers just replaced)."""
    if not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))
    if questionnaire not in questionnaires_applicable(enterprise=enterprise, period=period):
        raise PermissionDenied(_("This questionnaire does not apply to this enterprise and month."))
    response, _created = QuestionnaireResponse.objects.update_or_create(
        questionnaire=questionnaire, enterprise=enterprise, period=period,
        defaults={"version": version, "answers": answers, "user": actor})
    wizard_drafts_discard(owner_key=questionnaire_draft_key(questionnaire, enterprise, period))
    return response
