"""Wagtail admin integration of 报表定义: its URLs, the settings-menu item and the audit-log actions."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .selectors import formdef_manage_allowed


@hooks.register("register_admin_urls")
def formdefs_urls():
    return [path("formdefs/", include(admin_urls, namespace="formdefs_admin"))]


class DefinitionsMenuItem(MenuItem):
    """Shown to superusers and the national administrator."""

    def is_shown(self, request):
        return formdef_manage_allowed(request.user)


@hooks.register("register_settings_menu_item")
def definitions_menu():
    return DefinitionsMenuItem(_("Form definitions"), reverse("formdefs_admin:list"), name="form-definitions",
                               icon_name="code", order=50)


LOG_ACTIONS = {
    "formdefs.upload": (_("Upload form definition"), _("Form definition uploaded")),
    "formdefs.enable": (_("Enable form definition version"), _("Form definition version enabled")),
}


@hooks.register("register_log_actions")
def formdefs_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
