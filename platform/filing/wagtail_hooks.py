"""Back-office integration of task-based reporting: the URLs and the 填报任务管理 menu, shown to the
administrators who issue tasks (national, province, city)."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from accounts.selectors import admin_scope_of

from . import admin_urls
from .selectors import filing_admin_allowed


@hooks.register("register_admin_urls")
def filing_urls():
    return [path("filing/", include(admin_urls, namespace="filing_admin"))]


def _allowed(request) -> bool:
    if not hasattr(request, "_filing_admin_allowed"):
        request._filing_admin_allowed = filing_admin_allowed(admin_scope_of(request))
    return request._filing_admin_allowed


class FilingMenuItem(MenuItem):
    def is_shown(self, request):
        return _allowed(request)


class FilingSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return _allowed(request)


@hooks.register("register_admin_menu_item")
def filing_menu():
    """填报任务管理: 任务列表, 任务申请审核."""
    items = [
        FilingMenuItem(_("Filing tasks"), reverse("filing_admin:tasks"), name="filing-tasks", icon_name="clipboard-list", order=100),
        FilingMenuItem(_("Task applications"), reverse("filing_admin:applications"), name="filing-applications",
                       icon_name="user", order=200),
    ]
    return FilingSubmenu(_("Filing task management"), Menu(items=items), name="filing", icon_name="clipboard-list", order=160)
