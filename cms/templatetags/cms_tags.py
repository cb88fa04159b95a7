from django import template

from cms import selectors
from cms.models import GlossaryPage, ServiceSupportSettings

register = template.Library()


@register.inclusion_tag("cms/includes/home_blocks_content.html", takes_context=True)
def cms_home_blocks(context, limit=6):
    """通知公告, 平台公告, 服务支持 and the guides, for the enterprise home and the landing page."""
    return {
        "request": context.get("request"),
        "user": context.get("user"),
        "notices": selectors.notices_latest(limit=limit),
        "announcements": selectors.announcements_latest(limit=limit),
        "notice_index": selectors.notice_index(),
        "announcement_index": selectors.announcement_index(),
        "support": ServiceSupportSettings.load(),
        "glossary": GlossaryPage.objects.live().first(),
    }


@register.filter
def tree_label(folder):
    """A folder's name indented by its depth, for a <select> of folders."""
    return "— " * (folder.depth - 1) + folder.display_name


@register.simple_tag(takes_context=True)
def platform_guides(context):
    """The 服务支持 guides that are set, as (field, label, URL), where Wagtail linked its editor guide."""
    return selectors.support_guides(context.get("request"))
