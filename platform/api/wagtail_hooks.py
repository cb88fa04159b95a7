"""Back office: the 数据对接 menu (API tokens and the API documentation), for administrators only."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from accounts.selectors import admin_scope_of

from . import admin_urls


@hooks.register("register_admin_urls")
def api_token_urls():
    return [path("api-tokens/", include(admin_urls, namespace="api_tokens"))]


def _is_administrator(request) -> bool:
    if not hasattr(request, "_api_is_administrator"):
        request._api_is_administrator = not admin_scope_of(request).is_empty
    return request._api_is_administrator


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_administrator(request)


class IntegrationSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _is_administrator(request)


@hooks.register("register_admin_menu_item")
def integration_menu():
    """数据对接: API tokens, API documentation."""
    items = [
        AdministratorMenuItem(_("API tokens"), reverse("api_tokens:list"), name="api-tokens", icon_name="key", order=100),
        AdministratorMenuItem(_("API documentation"), reverse("api-v1:openapi-view"), name="api-docs",
                              icon_name="doc-full", order=200),
    ]
    return IntegrationSubmenu(_("Data integration"), Menu(items=items), name="data-integration", icon_name="link",
                              order=900)
