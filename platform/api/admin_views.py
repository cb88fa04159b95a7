"""Back-office page of an administrator's API tokens (/admin/api-tokens/, menu 数据对接)."""
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import admin_scope

from .views import revoke, token_page


def _administrator(request):
    if admin_scope(request.user).is_empty:
        raise PermissionDenied(_("Only administrators have back-office API tokens."))


def tokens(request):
    _administrator(request)
    title = _("API tokens")
    crumbs = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, {"url": "", "label": title}]
    return token_page(request, template="api/admin/tokens.html", with_enterprise=False,
                      extra={"header_title": title, "page_title": title, "breadcrumbs_items": crumbs,
                             "header_icon": "key"})


@require_POST
def token_revoke(request, pk: int):
    _administrator(request)
    return revoke(request, pk, default="api_tokens:list")
