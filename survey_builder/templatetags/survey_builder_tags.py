"""The enterprise home's 调查问卷 block, filled by this tag so the reporting view need not know about it."""
from django import template

from enterprises.enums import RegistrationStatus
from enterprises.selectors import enterprise_can_fill

from ..selectors import enterprise_questionnaire_periods
from ..views import enterprise_recent_periods

register = template.Library()


@register.inclusion_tag("survey_builder/_home_block.html", takes_context=True)
def survey_home_block(context):
    """This report month's questionnaires of the enterprise on the home page (nothing when none applies)."""
    enterprise = context.get("enterprise")
    request = context.get("request")
    if enterprise is None or enterprise.status != RegistrationStatus.APPROVED or request is None:
        return {"show": False}
    periods = enterprise_recent_periods(1)
    rows = enterprise_questionnaire_periods(enterprise=enterprise, periods=periods) if periods else []
    current = rows[0] if rows else None
    return {"show": bool(current and current["items"]), "current": current, "request": request,
            "can_fill": enterprise_can_fill(request.user, enterprise)}
