"""Back-office (Wagtail admin) integration of the accounts app: the profile panel on the home,
下级管理员维护 (URLs, menu item) and the labels of its audit-log actions."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_urls
from .selectors import admin_scope_of


class AdministratorPanel(Component):
    """Home-page panel: who I am in the administrator tree, my region and my flags."""

    name = "administrator_profile"
    order = 10
    template_name = "accounts/admin/profile_panel.html"

    def __init__(self, scope):
        self.scope = scope

    def get_context_data(self, parent_context=None):
        profile = self.scope.profile
        flags = [
            (_("Registration review"), profile.can_review_registration),
            (_("Report review"), profile.can_review_report),
            (_("Skip-level receive"), profile.can_skip_level),
            (_("One-click receive"), profile.can_one_click),
            (_("SMS reminders"), profile.can_sms_remind),
        ]
        parent = profile.get_parent()
        return {
            "profile": profile,
            "region_name": profile.region.full_name if profile.region else _("Whole country"),
            "parent": parent,
            "flags": flags,
            "subordinates": self.scope.administrators(include_self=False).count(),
        }


@hooks.register("construct_homepage_panels")
def add_administrator_panel(request, panels):
    scope = admin_scope_of(request)
    if not scope.is_empty:
        panels.append(AdministratorPanel(scope))


@hooks.register("register_admin_urls")
def subordinate_urls():
    return [path("subordinates/", include(admin_urls, namespace="accounts_admin"))]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return not admin_scope_of(request).is_empty


@hooks.register("register_admin_menu_item")
def subordinate_menu():
    return AdministratorMenuItem(_("Manage subordinates"), reverse("accounts_admin:tree"),
                                 name="subordinates", icon_name="group", order=360)


LOG_ACTIONS = {
    "accounts.administrator.create": (_("Create administrator"), _("Administrator created")),
    "accounts.administrator.edit": (_("Edit administrator"), _("Administrator edited")),
    "accounts.administrator.delete": (_("Delete administrator"), _("Administrator deleted")),
    "accounts.administrator.password_reset": (_("Reset password"), _("New password generated")),
}


@hooks.register("register_log_actions")
def administrator_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
