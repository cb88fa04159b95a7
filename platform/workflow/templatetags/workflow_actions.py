"""`{% available_actions submission as actions %}`: the report's actions for the page's user
(`workflow.actions.available_actions`), so templates show 撤销, 接收, 退回 from the one rule."""
from django import template

from ..actions import ActionSet, available_actions as _available_actions

register = template.Library()


@register.simple_tag(takes_context=True)
def available_actions(context, submission) -> ActionSet:
    request = context.get("request")
    if submission is None or request is None:
        return ActionSet()
    return _available_actions(submission, request.user)
