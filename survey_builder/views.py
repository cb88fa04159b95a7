"""Enterprise-side questionnaire pages."""
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from enterprises.selectors import enterprise_current
from formdefs.views.wizard import DefinitionWizardView
from reporting.periods import period_parse

from .models import Questionnaire
from .owners import QuestionnaireOwner


class AnswerWizardView(DefinitionWizardView):
    """进入答题: /surveys/<id>/<YYYY-MM>/?next=… — branches hide and skip questions as the engine says."""

    def get_owner(self):
        enterprise = enterprise_current(self.request)
        period = period_parse(self.kwargs["period"])
        questionnaire = Questionnaire.objects.select_related("definition").filter(pk=self.kwargs["pk"]).first()
        if enterprise is None or period is None or questionnaire is None:
            raise Http404
        next_url = self.request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            next_url = ""
        return QuestionnaireOwner(user=self.request.user, enterprise=enterprise, questionnaire=questionnaire,
                                  period=period, next_url=next_url)
