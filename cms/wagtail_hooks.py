"""Wagtail admin integration: the document library's URLs and menu, the home panel, audit-log labels."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from . import admin_urls, selectors
from .enums import LibrarySpace


@hooks.register("register_admin_urls")
def library_urls():
    return [path("library/", include(admin_urls, namespace="cms_library"))]


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
