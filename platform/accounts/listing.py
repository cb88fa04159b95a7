"""The bases of the back office's Wagtail listings (IndexView) and their bulk actions: administrators only,
whatever their region; what a listing shows or a bulk action changes is its own scoped selector
(`get_base_queryset`, `get_actionable_objects`), so no Django model permission applies."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from wagtail.admin.views.bulk_action import BulkAction
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



class ScopedBulkAction(BulkAction):
    """The base of the back office's Wagtail bulk actions (their confirm page and footer).

    A subclass scopes the chosen ids (`get_actionable_objects`, through its own selector: an id outside the
    administrator's reach changes nothing), calls one service in `perform` and tells what happened in `report`,
    only after it happened. A refusal (`refusals`) is shown on the confirm page and nothing changes.
    """

    template_name = "backoffice/bulk_confirm.html"  # an app's own extends it
    header_icon = ""
    page_subtitle = ""
    stylesheet = ""  # a static path, added to the confirm page
    refusals: tuple = (PermissionDenied, ValidationError)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "header_icon": self.header_icon, "action_title": self.display_name,
                "page_subtitle": self.page_subtitle, "stylesheet": self.stylesheet, "action_help": self.help_text,
                "action_button_class": " ".join(self.classes)}

    def perform(self, objects, form):
        """Call the service on the scoped objects; return its outcome (for `report`)."""
        raise NotImplementedError

    def report(self, outcome) -> None:
        """The messages after the change: by default `outcome` is the success message."""
        messages.success(self.request, outcome)

    def refusal(self, exc) -> str:
        if isinstance(exc, ValidationError):
            return " ".join(exc.messages)
        return getattr(exc, "message", None) or str(exc) or gettext("You may not do this.")

    def form_valid(self, form):
        objects, _unused = self.get_actionable_objects()
        try:
            outcome = self.perform(objects, form)
        except self.refusals as exc:
            form.add_error(None, self.refusal(exc))
            return self.form_invalid(form)
        self.report(outcome)
        return redirect(self.next_url)
