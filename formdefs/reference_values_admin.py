"""参考值 in the back office: a Wagtail snippet kept by national administrators (and superusers) only.

Registered from `FormdefsConfig.ready` (`reference_values_admin_register`).
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ReferenceValue


class NationalAdministratorPolicy(BasePermissionPolicy):
    """Every action for the national administrator (the root of the tree: no region) and superusers; none
    for anyone else — a province's administrator cannot move the national average its enterprises are
    checked against."""

    def user_has_permission(self, user, action):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if user.is_superuser:
            return True
        profile = getattr(user, "admin_profile", None)
        return profile is not None and profile.is_national

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        from accounts.models import User

        return User.objects.filter(Q(is_superuser=True) | Q(admin_profile__isnull=False, admin_profile__region__isnull=True),
                                   is_active=True).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class ReferenceValueViewSet(SnippetViewSet):
    model = ReferenceValue
    icon = "table"
    menu_label = _("Reference values")
    menu_name = "reference-values"
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["label", "key", "year", "value", "updated_at"]
    list_filter = ["year", "key"]
    search_fields = ["key", "label"]
    ordering = ["key", "-year"]
    copy_view_enabled = False
    inspect_view_enabled = False


def reference_values_admin_register() -> None:
    register_permission_policy(ReferenceValue, NationalAdministratorPolicy(ReferenceValue))
    register_snippet(ReferenceValueViewSet)
