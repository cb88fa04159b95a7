"""Wagtail admin integration: the document library's URLs and menu, the home panel, audit-log labels."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.components import Component

from . import admin_urls, selectors
from .bulk_actions import CopyBulkAction, DeleteBulkAction, MoveBulkAction
from .enums import LibrarySpace


@hooks.register("register_admin_urls")
def library_urls():
    return [path("library/", include(admin_urls, namespace="cms_library"))]


for _action in (MoveBulkAction, CopyBulkAction, DeleteBulkAction):
    hooks.register("register_bulk_action", _action)


class LibraryMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.library_user(request.user)


class LibrarySubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return selectors.library_user(request.user)


@hooks.register("register_admin_menu_item")
def library_menu():
    """文档管理: 组织文档, 个人文档, 共享给我, 共享组."""
    items = [
        LibraryMenuItem(_("Organisation documents"), reverse("cms_library:space", args=[LibrarySpace.ORGANISATION]),
                        name="library-org", icon_name="folder-open-inverse", order=100),
        LibraryMenuItem(_("Personal documents"), reverse("cms_library:space", args=[LibrarySpace.PERSONAL]),
                        name="library-personal", icon_name="folder-inverse", order=200),
        LibraryMenuItem(_("Shared with me"), reverse("cms_library:shared"), name="library-shared",
                        icon_name="link", order=300),
        LibraryMenuItem(_("Share groups"), reverse("cms_library:groups"), name="library-groups",
                        icon_name="group", order=400),
    ]
    return LibrarySubmenu(_("Documents"), Menu(items=items), name="library", icon_name="folder-open-1", order=250)


class LatestContentPanel(Component):
    """通知公告 and 平台公告 with their dates on the administrator home."""

    name = "cms_latest_content"
    order = 50
    template_name = "cms/admin/home_panel.html"

    def get_context_data(self, parent_context=None):
        return {
            "notices": selectors.notices_latest(limit=6),
            "announcements": selectors.announcements_latest(limit=6),
            "notice_index": selectors.notice_index(),
            "announcement_index": selectors.announcement_index(),
        }


@hooks.register("construct_homepage_panels")
def add_latest_content_panel(request, panels):
    panels.append(LatestContentPanel())


LOG_ACTIONS = {
    "cms.library.folder_create": (_("Create folder"), _("Folder created")),
    "cms.library.upload": (_("Upload document"), _("Document uploaded")),
    "cms.library.version_add": (_("Upload new version"), _("New version uploaded")),
    "cms.library.baseline": (_("Set baseline"), _("Baseline set")),
    "cms.library.rename": (_("Rename"), _("Renamed")),
    "cms.library.copy": (_("Copy"), _("Copied")),
    "cms.library.move": (_("Move"), _("Moved")),
    "cms.library.delete": (_("Delete"), _("Deleted")),
    "cms.library.share": (_("Share"), _("Shared with a share group")),
    "cms.library.unshare": (_("Stop sharing"), _("Sharing removed")),
    "cms.library.group_create": (_("Create share group"), _("Share group created")),
    "cms.library.member_add": (_("Add member"), _("Member added")),
    "cms.library.member_remove": (_("Remove member"), _("Member removed")),
}


@hooks.register("register_log_actions")
def library_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


# -- help menu: the platform's guides instead of Wagtail's editor guide --------------------------

HELP_GUIDES = selectors.HELP_GUIDES


class GuideMenuItem(MenuItem):
    """One guide document of 服务支持, shown only when the document is set; its URL is read per request."""

    def __init__(self, field, label, order):
        super().__init__(label, "#", name=f"platform-{field.replace('_', '-')}", icon_name="doc-full", order=order,
                         attrs={"target": "_blank", "rel": "noreferrer"})
        self.field = field

    def _url(self, request):
        return next((url for field, _label, url in selectors.support_guides(request) if field == self.field), None)

    def is_shown(self, request):
        return self._url(request) is not None

    def render_component(self, request):
        return LinkMenuItemComponent(self.name, self.label, self._url(request), icon_name=self.icon_name,
                                     classname=self.classname, attrs=self.attrs)


class ServiceSupportMenuItem(MenuItem):
    """服务支持 settings (contacts, hotline and the guides) for those who may edit them."""

    def is_shown(self, request):
        return request.user.has_perm("cms.change_servicesupportsettings")


for _field, _label, _order in HELP_GUIDES:  # the hook registers one item per function
    hooks.register("register_help_menu_item", lambda f=_field, l=_label, o=_order: GuideMenuItem(f, l, o))


@hooks.register("register_help_menu_item")
def platform_service_support_menu_item():
    return ServiceSupportMenuItem(_("Service support and guides"),
                                  reverse("wagtailsettings:edit", args=["cms", "servicesupportsettings"]),
                                  name="platform-service-support", icon_name="help", order=40)


#: Wagtail's own help items (its editor guide, what's new in Wagtail) do not describe this platform.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("construct_help_menu")
def drop_wagtail_help_items(request, items):
    items[:] = [item for item in items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]
