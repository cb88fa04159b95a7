"""Questionnaire writes."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
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


class QuestionnaireStale(QuestionnaireClosed):
    """The answers were stored since the writer read them (another window, device or the API): nothing was
    written. `revision` is the stored one (0: the period has no answers)."""

    def __init__(self, revision: int):
        # The wizard's own words for a stale form (formdefs.services.FormStale): one message everywhere.
        super().__init__(_("This form was changed in another window or on another device: refresh the page, then edit it again."))
        self.revision = revision


def _response_locked(*, questionnaire: Questionnaire, enterprise, period: datetime.date, version,
                     answers: dict) -> QuestionnaireResponse:
    """The period's answers, locked (select_for_update). Missing ones are inserted at revision 0 under the
    unique (questionnaire, enterprise, period) constraint inside a savepoint; the loser of two first stores
    at once waits for the winner, gets IntegrityError and locks the winner's row instead (never a 500)."""
    key = {"questionnaire": questionnaire, "enterprise": enterprise, "period": period}
    found = QuestionnaireResponse.objects.select_for_update().filter(**key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return QuestionnaireResponse.objects.create(**key, version=version, answers=answers, revision=0)
    except IntegrityError:
        return QuestionnaireResponse.objects.select_for_update().get(**key)


@transaction.atomic
def questionnaire_response_store(*, questionnaire: Questionnaire, enterprise, period: datetime.date, version,
                                 answers: dict, actor, expected_revision: int | None = None) -> QuestionnaireResponse:
    """Keep the answers (hidden ones already dropped by the engine); answering again replaces them, and
    discards any answering wizard's draft of the month (typed over the answers just replaced).

    Refused (nothing stored) unless the questionnaire may be answered now (`questionnaire_answering_check`);
    the period's reports are locked first, so a 上报 in the same moment cannot slip in between.

    `expected_revision` is the `QuestionnaireResponse.revision` the writer read (0: it found no answers);
    when the stored one differs QuestionnaireStale is raised and nothing changes. None (demo data, tests)
    stores over whatever is stored. Every store adds 1 to the revision; two first stores at once are safe
    (`_response_locked`: the loser applies the same rule to the winner's row, stale when it expected none).
    """
    list(Submission.objects.select_for_update().filter(enterprise=enterprise, period=period).values_list("pk", flat=True))
    questionnaire_answering_check(questionnaire=questionnaire, enterprise=enterprise, period=period, actor=actor)
    response = _response_locked(questionnaire=questionnaire, enterprise=enterprise, period=period, version=version,
                                answers=answers)
    if expected_revision is not None and response.revision != expected_revision:
        raise QuestionnaireStale(response.revision)
    response.version, response.answers, response.user, response.revision = version, answers, actor, response.revision + 1
    response.save(update_fields=["version", "answers", "user", "revision", "submitted_at"])
    wizard_drafts_discard(owner_key=questionnaire_draft_key(questionnaire, enterprise, period))
    return response
