"""The base of the back office's Wagtail listings (IndexView): administrators only, whatever their region; what
a listing shows is its own scoped selector (`get_base_queryset`), so no Django model permission applies."""
from django.core.exceptions import PermissionDenied
from wagtail.admin.views.generic import IndexView

from .selectors import admin_scope_of


class AdministratorIndexView(IndexView):
    permission_policy = None
    any_permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if admin_scope_of(request).is_empty:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.page_title
