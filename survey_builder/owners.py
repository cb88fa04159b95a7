"""Answering a questionnaire on the engine, for the current enterprise and a report month."""
import datetime
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from formdefs.engine import RuleContext
from formdefs.engine.localize import in_english, localized
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

    def description(self, document):
        """The questionnaire's own 说明 (kept in the back office), not the text its definition was seeded
        with; in English the definition's `description_en` while the two still say the same."""
        own = (self.questionnaire.description or "").strip()
        if not own or (in_english() and own == (document.get("description") or "").strip()):
            return localized(document, "description")
        return own

    def back_link(self):
        """Back to where the questionnaire was opened (`?next=`): the report's 上报 page (step 4), a task,
        the 调查问卷 list or the home page."""
        if not self.next_url:
            return None
        try:
            name = resolve(urlsplit(self.next_url).path).view_name
        except Resolver404:
            name = ""
        labels = {"reporting:submit": _("Back to the report"), "reporting:fill": _("Back to the report"),
                  "survey_builder:mine": _("Back to the questionnaires"), "home": _("Back to the home page")}
        label = labels.get(name) or (_("Back to the task") if name.startswith("filing:") else _("Back"))
        return {"url": self.next_url, "label": label}

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
