"""报表类型 in the back office: a Wagtail snippet viewset (settings menu) to create and edit report types
without code — definition, frequency, due day, filed directly or through tasks only, and which
enterprises file it. Only superusers and the national administrator see or edit it."""
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import ReportTypeAdminForm
from .models import ReportType
from .selectors import definition_versions, report_type_manage_allowed


class ReportTypePermissionPolicy(ModelPermissionPolicy):
    """Superusers and the national administrator may list, add and change report types; nobody deletes one
    (reports keep it: switch it off with 启用 instead)."""

    def user_has_permission(self, user, action):
        return action != "delete" and report_type_manage_allowed(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) - {"delete"}:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(Q(is_superuser=True) | Q(admin_profile__region__isnull=True,
                                                                        admin_profile__isnull=False), is_active=True)


class DefinitionVersionsPanel(Panel):
    """The chosen definition's versions (number, status, created, published and retired in Shanghai time)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reporting/admin/definition_versions_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            definition = self.instance.definition if self.instance.definition_id else None
            context.update(definition=definition, versions=definition_versions(definition) if definition else [])
            return context


def _yes_no_column(name: str) -> Column:
    return Column(name, label=capfirst(ReportType._meta.get_field(name).verbose_name), sort_key=name,
                  accessor=lambda report_type: _("Yes") if getattr(report_type, name) else _("No"))


class ReportTypeViewSet(SnippetViewSet):
    model = ReportType
    icon = "table"
    menu_label = _("Report types")
    menu_name = "report-types"
    menu_order = 60
    add_to_settings_menu = True
    # The title as the user reads it (ReportType.__str__: its English twin in English), the definition by the
    # name the back office gives it, and yes/no in words (Wagtail prints a boolean field as True/False).
    list_display = ["__str__", "key", Column("definition", label=capfirst(_("form definition")), sort_key="definition",
                                             accessor=lambda report_type: report_type.definition.key),
                    "frequency", "due_day", _yes_no_column("by_task_only"), _yes_no_column("is_active")]
    list_filter = ["frequency", "is_active", "by_task_only"]
    search_fields = ["title", "key"]
    ordering = ["pk"]
    edit_handler = ObjectList([
        MultiFieldPanel([FieldPanel("title"), FieldPanel("key"), FieldPanel("definition")], heading=_("Report")),
        DefinitionVersionsPanel(heading=_("Version history of the definition")),
        MultiFieldPanel([FieldPanel("frequency"), FieldRowPanel([FieldPanel("due_day"), FieldPanel("backfill_years")]),
                         FieldPanel("by_task_only"), FieldPanel("is_active")], heading=_("Periods and filing")),
        MultiFieldPanel([FieldPanel("industry_sections"), FieldPanel("region_prefixes"),
                         FieldPanel("region_excluded_prefixes"), FieldPanel("sizes")],
                        heading=_("Enterprises that file it"),
                        help_text=_("An enterprise files this report when it matches every list chosen; an empty "
                                    "list matches every enterprise.")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("form_number"), FieldPanel("issuing_authority")]),
                         FieldRowPanel([FieldPanel("approval_number"), FieldPanel("valid_until")])],
                        heading=_("Form marks (printed)"),
                        help_text=_("Printed in the top right corner of the report, as on official statistical forms.")),
    ], base_form_class=ReportTypeAdminForm)


register_permission_policy(ReportType, ReportTypePermissionPolicy(ReportType))
register_snippet(ReportTypeViewSet)
