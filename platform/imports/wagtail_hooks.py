"""Wagtail admin integration of 企业上报导入: its URLs and menu item."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.selectors import admin_scope_of

from . import admin_urls


@hooks.register("register_admin_urls")
def import_urls():
    return [path("imports/", include(admin_urls, namespace="imports"))]


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return not admin_scope_of(request).is_empty


@hooks.register("register_admin_menu_item")
def import_menu():
    return AdministratorMenuItem(_("Batch import"), reverse("imports:index"), name="imports", icon_name="upload", order=330)
