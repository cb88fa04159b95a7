from django import template

from enterprises import selectors

register = template.Library()


@register.simple_tag
def reviewing_office(enterprise):
    """The office reviewing the enterprise's registration (e.g. 海曙区经济和信息化局), "" when none."""
    return selectors.registration_reviewing_office(enterprise) if enterprise is not None else ""
