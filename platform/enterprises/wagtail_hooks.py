"""Back-office (Wagtail admin) integration of enterprises: URLs, the 企业管理 menu and the batch actions."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from accounts.selectors import admin_scope_of

from . import admin_urls
from .bulk_actions import DisableBulkAction, ReviewerChangeBulkAction


@hooks.register("register_admin_urls")
def enterprise_admin_urls():
    return [path("enterprises/", include(admin_urls, namespace="enterprises_admin"))]


def _profile(request):
    # Asked once per menu item: keep the answer for the request.
    if not hasattr(request, "_enterprises_admin_profile"):
        request._enterprises_admin_profile = admin_scope_of(request).profile
    return request._enterprises_admin_profile


class EnterpriseMenuItem(MenuItem):
    def is_shown(self, request):
        return _profile(request) is not None


class RegistrationMenuItem(MenuItem):
    def is_shown(self, request):
        profile = _profile(request)
        return profile is not None and profile.can_review_registration


class EnterpriseSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _profile(request) is not None


@hooks.register("register_admin_menu_item")
def enterprise_menu():
    """企业管理: 企业注册信息审核, 监测企业信息管理."""
    items = [
        RegistrationMenuItem(_("Registration information review"), reverse("enterprises_admin:registrations"),
                             name="registration-review", icon_name="form", order=100),
        EnterpriseMenuItem(_("Enterprise management"), reverse("enterprises_admin:enterprises"),
                           name="enterprise-management", icon_name="site", order=200),
    ]
    return EnterpriseSubmenu(_("Enterprises"), Menu(items=items), name="enterprises", icon_name="site", order=160)


hooks.register("register_bulk_action", DisableBulkAction)
hooks.register("register_bulk_action", ReviewerChangeBulkAction)
