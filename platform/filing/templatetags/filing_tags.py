from django import template

from enterprises.enums import RegistrationStatus
from enterprises.selectors import enterprise_can_fill

register = template.Library()


@register.inclusion_tag("filing/_home_tasks.html", takes_context=True)
def filing_tasks_due(context, enterprise):
    """The enterprise home's 待填报任务: open tasks whose report is not submitted yet."""
    from filing.selectors import filing_tasks_due as due

    if enterprise is None or enterprise.status != RegistrationStatus.APPROVED:
        return {"rows": []}
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"rows": due(enterprise=enterprise), "request": request, "csrf_token": context.get("csrf_token"),
            "can_fill": user is not None and enterprise_can_fill(user, enterprise)}
