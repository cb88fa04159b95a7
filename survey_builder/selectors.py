"""Questionnaire reads."""
import calendar
import datetime

from django.db.models import Q

from reporting.enums import Frequency

from .enums import QuestionnaireStatus, QuestionnaireTarget
from .models import Questionnaire, QuestionnaireResponse


def questionnaires_applicable(*, enterprise, period: datetime.date) -> list[Questionnaire]:
    """问卷 that apply to `enterprise` for the month `period`: active, in window, of the frequency, on target."""
    last_day = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    candidates = Questionnaire.objects.filter(
        status=QuestionnaireStatus.ACTIVE, starts_on__lte=last_day, ends_on__gte=period).select_related("definition")
    industry = enterprise.industry
    targets = {QuestionnaireTarget.ALL}
    if industry.is_industrial:
        targets.add(QuestionnaireTarget.INDUSTRIAL)
    if industry.is_manufacturing:
        targets.add(QuestionnaireTarget.MANUFACTURING)
    return [q for q in candidates.filter(target__in=targets) if Frequency(q.frequency).covers(period.month)]


def questionnaire_responses(*, enterprise, period: datetime.date, questionnaires) -> dict[int, QuestionnaireResponse]:
    """The responses of `enterprise` for `period`, keyed by questionnaire id."""
    rows = QuestionnaireResponse.objects.filter(enterprise=enterprise, period=period, questionnaire__in=list(questionnaires))
    return {r.questionnaire_id: r for r in rows}


def questionnaires_unanswered_mandatory(*, enterprise, period: datetime.date) -> list[Questionnaire]:
    applicable = questionnaires_applicable(enterprise=enterprise, period=period)
    answered = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=applicable)
    return [q for q in applicable if q.mandatory and q.pk not in answered]


def questionnaire_get(*, pk: int) -> Questionnaire:
    return Questionnaire.objects.select_related("definition").get(Q(pk=pk))
