"""关联企业 (Shanghai variant): my enterprises and my role, associate, apply to be the filler,
hand the filler role over, switch the enterprise I work for."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import AssociateForm, HandoverForm
from .selectors import SESSION_KEY, enterprise_associated_users, enterprise_current, enterprise_memberships, enterprises_for_user
from .services import enterprise_associate, enterprise_filler_apply, enterprise_filler_handover


def _refusal_text(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")


@login_required
def associations(request):
    form = AssociateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            association = enterprise_associate(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        except PermissionDenied as exc:
            messages.error(request, _refusal_text(exc))
            return redirect("enterprises:associations")
        else:
            messages.success(request, _("You are now associated with “%(name)s”.") % {"name": association.enterprise.name})
            return redirect("enterprises:associations")
    rows = enterprise_memberships(request.user)
    for row in rows:
        if row["handover_to"]:
            row["handover_form"] = HandoverForm(candidates=enterprise_associated_users(row["enterprise"]).exclude(pk=request.user.pk),
                                                prefix=f"e{row['enterprise'].pk}")
    current = enterprise_current(request)
    return render(request, "enterprises/associations.html", {
        "rows": rows, "form": form, "current": current, "can_associate": request.user.is_enterprise_user and not request.user.is_administrator,
    })


def _my_enterprise(request, pk: int):
    return get_object_or_404(enterprises_for_user(request.user), pk=pk)


@login_required
@require_POST
def filler_apply(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    try:
        enterprise_filler_apply(user=request.user, enterprise=enterprise)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("You are now the filler of “%(name)s”.") % {"name": enterprise.name})
    return redirect("enterprises:associations")


@login_required
@require_POST
def filler_handover(request, pk: int):
    enterprise = _my_enterprise(request, pk)
    form = HandoverForm(request.POST, candidates=enterprise_associated_users(enterprise).exclude(pk=request.user.pk), prefix=f"e{pk}")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["to_user"]))
        return redirect("enterprises:associations")
    to_user = form.cleaned_data["to_user"]
    try:
        enterprise_filler_handover(enterprise=enterprise, actor=request.user, to_user=to_user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _refusal_text(exc))
    else:
        messages.success(request, _("%(user)s is now the filler of “%(name)s”; you can no longer fill its reports.")
                         % {"user": to_user.real_name or to_user.username, "name": enterprise.name})
    return redirect("enterprises:associations")


@login_required
@require_POST
def enterprise_switch(request):
    """Work for another of my enterprises (the session remembers the choice)."""
    try:
        pk = int(request.POST.get("enterprise", ""))
    except ValueError:
        pk = None
    enterprise = enterprises_for_user(request.user).filter(pk=pk).first() if pk else None
    if enterprise is None:
        messages.error(request, _("Choose one of your enterprises."))
    else:
        request.session[SESSION_KEY] = enterprise.pk
        messages.success(request, _("You are now working for “%(name)s”.") % {"name": enterprise.name})
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("enterprises:associations")
