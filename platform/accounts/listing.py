"""The base of the back office's Wagtail listings (IndexView): administrators only, whatever their region; what
a listing shows is its own scoped selector (`get_base_queryset`), so no Django model permission applies."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
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


def bulk_chosen(scoped, ids) -> list:
    """The objects of `scoped` (a queryset already limited to the administrator's scope) whose ids a bulk
    action was given (Wagtail's ?id=...). One id outside the scope (or gone), or none at all, is a 404:
    nothing is done."""
    wanted = {int(i) for i in ids if str(i).isdigit()}
    objects = list(scoped.filter(pk__in=wanted))
    if not objects or len(objects) != len(wanted):
        raise Http404
    return objects

