"""Answering a questionnaire on the engine, for the current enterprise and a report month."""
import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.engine import RuleContext
from formdefs.owners import FormOwner
from formdefs.selectors import enterprise_profile, version_current

from .models import Questionnaire
from .selectors import questionnaire_draft_key, questionnaire_responses, questionnaires_applicable
from .services import questionnaire_response_store


class QuestionnaireOwner(FormOwner):
    def __init__(self, *, user, enterprise, questionnaire: Questionnaire, period: datetime.date, next_url: str = ""):
        super().__init__(user=user)
        self.enterprise, self.questionnaire, self.period_date, self.next_url = enterprise, questionnaire, period, next_url
        self.period = (period.year, period.month)
        self.response = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=[questionnaire]).get(questionnaire.pk)

    def get_version(self):
        return self.response.version if self.response else version_current(key=self.questionnaire.definition.key)

    def draft_key(self):
        return questionnaire_draft_key(self.questionnaire, self.enterprise, self.period_date)

    def title(self):
        return self.questionnaire.title

    def check_permission(self):
        if not enterprise_can_fill(self.user, self.enterprise):
            raise PermissionDenied(_("Only the enterprise's filler can answer its questionnaires."))
        if self.questionnaire not in questionnaires_applicable(enterprise=self.enterprise, period=self.period_date):
            raise PermissionDenied(_("This questionnaire does not apply to this enterprise and month."))

    def rule_context(self):
        return RuleContext(enterprise=enterprise_profile(self.enterprise),
                           period={"year": self.period_date.year, "month": self.period_date.month})

    def initial_answers(self):
        return self.response.answers if self.response else {}

    def submit(self, *, answers, result, explanation, actor):
        questionnaire_response_store(questionnaire=self.questionnaire, enterprise=self.enterprise, period=self.period_date,
                                     version=self.get_version(), answers=answers, actor=actor)
        return self.next_url or reverse("home")
