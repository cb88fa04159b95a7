"""Portal page of an enterprise user's API tokens (/api/tokens/): list, create (the secret is shown
once), revoke. Administrators manage theirs in the back office (admin_views)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import TokenCreateForm
from .models import ApiToken


def token_page(request, *, template: str, with_enterprise: bool, extra=None):
    """List and create tokens of the current user; shared by the portal and the back-office page."""
    form = TokenCreateForm(request.POST or None, user=request.user, with_enterprise=with_enterprise)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.token_create(actor=request.user, name=form.cleaned_data["name"],
                                            enterprise=form.cleaned_data.get("enterprise"))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            form = TokenCreateForm(user=request.user, with_enterprise=with_enterprise)
    context = {"form": form, "created": created, "tokens": selectors.tokens_of_user(user=request.user),
               **(extra or {})}
    return TemplateResponse(request, template, context)


@login_required
def tokens(request):
    """数据对接令牌 of an enterprise user."""
    if not selectors.token_enterprise_choices(user=request.user).exists():
        raise PermissionDenied(_("Only the fillers of approved enterprises can create API tokens."))
    return token_page(request, template="api/tokens.html", with_enterprise=True)


def revoke(request, pk: int, *, default: str):
    try:
        token = selectors.token_get_of_user(user=request.user, pk=pk)
    except ApiToken.DoesNotExist as exc:  # someone else's token, or none at all
        raise Http404 from exc
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked; it no longer works.") % {"name": token.name})
    return redirect(default)


@login_required
@require_POST
def token_revoke(request, pk: int):
    return revoke(request, pk, default="api-tokens")
