"""Wagtail admin integration of 催报: its URLs and menu item."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import admin_scope_of

from . import admin_urls


@hooks.register("register_admin_urls")
def reminder_urls():
    return [path("reminders/", include(admin_urls, namespace="reminders"))]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return not admin_scope_of(request).is_empty


@hooks.register("register_admin_menu_item")
def reminder_menu():
    return AdministratorMenuItem(_("Reminders"), reverse("reminders:index"), name="reminders", icon_name="mail", order=320)
