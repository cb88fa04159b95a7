"""Back-office (Wagtail admin) integration of the accounts app."""
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .selectors import admin_scope


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
    scope = admin_scope(request.user)
    if not scope.is_empty:
        panels.append(AdministratorPanel(scope))
