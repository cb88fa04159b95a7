"""Answering a questionnaire on the engine, for the current enterprise and a report month."""
import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from formdefs.engine import RuleContext
from formdefs.owners import FormOwner
from formdefs.selectors import enterprise_profile, version_current
from formdefs.services import FormStale
from reporting.enums import Frequency
from reporting.periods import period_label

from .models import Questionnaire
from .selectors import questionnaire_draft_key, questionnaire_responses
from .services import QuestionnaireStale, questionnaire_answering_check, questionnaire_response_store


class QuestionnaireOwner(FormOwner):
    def __init__(self, *, user, enterprise, questionnaire: Questionnaire, period: datetime.date, next_url: str = ""):
        super().__init__(user=user)
        self.enterprise, self.questionnaire, self.period_date, self.next_url = enterprise, questionnaire, period, next_url
        self.period = (period.year, period.month)
        self.period_label = period_label(Frequency.MONTHLY, period)  # the wizard's heading
        self.response = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=[questionnaire]).get(questionnaire.pk)

    def get_version(self):
        return self.response.version if self.response else version_current(key=self.questionnaire.definition.key)

    def draft_key(self):
        return questionnaire_draft_key(self.questionnaire, self.enterprise, self.period_date)

    def title(self):
        return self.questionnaire.localized_title

    def finish_message(self):
        # Not 已上报: answered from step 4 of a report, the report itself is still to be submitted.
        return _("Your answers to “%(title)s” were saved.") % {"title": self.questionnaire.localized_title}

    def check_permission(self):
        """The filler only, and only while the questionnaire may be answered (`questionnaire_answerable`:
        it applies, the period is open, the period's report is editable)."""
        questionnaire_answering_check(questionnaire=self.questionnaire, enterprise=self.enterprise,
                                      period=self.period_date, actor=self.user)

    def rule_context(self):
        return RuleContext(enterprise=enterprise_profile(self.enterprise),
                           period={"year": self.period_date.year, "month": self.period_date.month})

    def initial_answers(self):
        return self.response.answers if self.response else {}

    def revision(self):
        return self.response.revision if self.response else 0

    def submit(self, *, answers, result, explanation, actor):
        try:
            questionnaire_response_store(questionnaire=self.questionnaire, enterprise=self.enterprise,
                                         period=self.period_date, version=self.get_version(), answers=answers,
                                         actor=actor, expected_revision=self.expected_revision)
        except QuestionnaireStale as exc:
            # The wizard's refusal: the same step again with what was typed (not the 403 page of a closed one).
            raise FormStale(exc.revision) from exc
        return self.next_url or reverse("home")
