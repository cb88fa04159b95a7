"""Batch actions of 监测企业信息管理 as Wagtail bulk actions: 批量停用 and 批量更换直接审核员.

Wagtail's listing checkboxes and footer choose the enterprises; these views only scope the chosen
ids through the management selector, call one service (all or nothing) and report. A refusal (an
enterprise outside the region, a reviewer whose region does not contain an enterprise's) is shown
on the confirmation page and nothing changes.
"""
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy, ngettext

from accounts.listing import ScopedBulkAction, bulk_chosen
from accounts.selectors import admin_scope_of

from . import selectors, services
from .forms import ReviewerChangeForm
from .models import Enterprise


class EnterpriseBulkAction(ScopedBulkAction):
    """`perform` calls one service (all or nothing) and returns the success message."""

    models = [Enterprise]
    template_name = "enterprises/admin/bulk_confirm.html"
    header_icon = "site"
    page_subtitle = Enterprise._meta.verbose_name_plural
    stylesheet = "enterprises/admin.css"

    def dispatch(self, request, *args, **kwargs):
        if admin_scope_of(request).is_empty:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_all_objects_in_listing_query(self, parent_id):
        return selectors.enterprises_for_management(self.request.user).values_list("pk", flat=True)

    def get_actionable_objects(self):
        ids = self.request.GET.getlist("id")
        scoped = selectors.enterprises_for_management(self.request.user)
        if "all" in ids:
            objects = list(scoped)
        else:
            objects = bulk_chosen(scoped, ids)  # an enterprise outside the scope (or gone): nothing is done
        if not objects:
            raise Http404
        return objects, {"items_with_no_access": []}


class DisableBulkAction(EnterpriseBulkAction):
    """批量停用."""

    display_name = gettext_lazy("Disable")
    action_type = "disable"
    aria_label = gettext_lazy("Disable the selected enterprises")
    help_text = gettext_lazy("The selected enterprises can no longer report; their data stay. Enterprises that are "
                             "already disabled are left as they are.")
    classes = {"serious"}
    action_priority = 20

    def perform(self, objects, form) -> str:
        disabled = services.enterprises_disable(enterprises=objects, actor=self.request.user)
        return ngettext("%(count)d enterprise disabled.", "%(count)d enterprises disabled.", len(disabled)) % {
            "count": len(disabled)}


class ReviewerChangeBulkAction(EnterpriseBulkAction):
    """批量更换直接审核员: the pending reports held by each previous reviewer move with it."""

    display_name = gettext_lazy("Change direct reviewer")
    action_type = "reviewer"
    aria_label = gettext_lazy("Change the direct reviewer of the selected enterprises")
    help_text = gettext_lazy("The pending reports each enterprise's previous reviewer holds move to the new reviewer; "
                             "every move is recorded.")
    form_class = ReviewerChangeForm
    action_priority = 10

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": selectors.reviewer_choices(self.request.user)}

    def perform(self, objects, form) -> str:
        reviewer = form.cleaned_data["reviewer"]
        changed = services.enterprises_reviewer_change(enterprises=objects, to_reviewer=reviewer, actor=self.request.user)
        return ngettext("The direct reviewer of %(count)d enterprise is now %(admin)s.",
                        "The direct reviewer of %(count)d enterprises is now %(admin)s.", len(changed)) % {
            "count": len(changed), "admin": reviewer}
