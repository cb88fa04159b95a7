"""Enterprise-side questionnaire pages: 调查问卷 (what applies, answered or not, per period) and answering."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from enterprises.enums import RegistrationStatus
from enterprises.selectors import enterprise_can_fill, enterprise_current
from formdefs.views.wizard import DefinitionWizardView
from reporting.periods import month_add, period_current, period_parse

from .models import Questionnaire
from .owners import QuestionnaireOwner
from .selectors import enterprise_questionnaire_periods, questionnaire_report_type

#: How many report months the 调查问卷 page lists, newest first.
PERIODS_SHOWN = 6


def enterprise_recent_periods(count: int = PERIODS_SHOWN) -> list:
    """The latest finished report months (the monthly report's 当期 first)."""
    report_type = questionnaire_report_type()
    if report_type.pk is None:
        return []
    last = period_current(report_type)
    return [month_add(last, -n) for n in range(count)]


@login_required
def my_questionnaires(request):
    """调查问卷: the questionnaires that apply to the current enterprise, by report month, answered or not."""
    enterprise = enterprise_current(request)
    if enterprise is None or enterprise.status != RegistrationStatus.APPROVED:
        raise PermissionDenied(_("Your enterprise's registration has not been approved yet."))
    periods = enterprise_questionnaire_periods(enterprise=enterprise, periods=enterprise_recent_periods())
    return render(request, "survey_builder/mine.html", {"enterprise": enterprise, "periods": periods,
                                                        "can_fill": enterprise_can_fill(request.user, enterprise)})


class AnswerWizardView(DefinitionWizardView):
    """进入答题: /surveys/<id>/<YYYY-MM>/?next=… — branches hide and skip questions as the engine says.

    A refusal (`QuestionnaireOwner.check_permission`, or the store service when the report was submitted
    meanwhile) is a page saying why, never the form: a closed or future month, a questionnaire that does not
    apply, someone who is not the filler.
    """

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            return render(request, "survey_builder/closed.html", {
                "questionnaire": getattr(getattr(self, "owner", None), "questionnaire", None),
                "message": str(exc), "back": self._next_url() or reverse("survey_builder:mine")}, status=403)

    def _next_url(self) -> str:
        next_url = self.request.GET.get("next", "")
        return next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}) else ""

    def get_owner(self):
        enterprise = enterprise_current(self.request)
        period = period_parse(self.kwargs["period"])
        questionnaire = Questionnaire.objects.select_related("definition").filter(pk=self.kwargs["pk"]).first()
        if enterprise is None or period is None or questionnaire is None:
            raise Http404
        return QuestionnaireOwner(user=self.request.user, enterprise=enterprise, questionnaire=questionnaire,
                                  period=period, next_url=self._next_url())
