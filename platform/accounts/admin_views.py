"""下级管理员维护 in the Wagtail admin: the tree rooted at me, detail, create, edit, delete, new password.

Views parse input, call one selector or service and render. What an administrator sees is decided
by `admin_scope` (someone outside my subtree is a 404); who may change whom by the services
(only the creator edits or deletes) — a refusal becomes a message in the user's language.

Custom views rather than a Wagtail ModelViewSet: the listing is a tree, not a flat table, and
creation goes through `subordinate_create` (a user plus a tree node plus a one-time password).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import ModelLogEntry

from . import selectors, services
from .admin_forms import SubordinateForm
from .enums import AdminFlag

ICON = "group"


def _scope(request):
    scope = selectors.admin_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def _subordinate(scope, pk: int):
    profile = selectors.subordinate_get(scope, pk)
    if profile is None:
        raise Http404
    return profile


def _render(request, template, *, title, crumbs=(), status=200, **context):
    """A Wagtail admin page; `crumbs` sit between the tree and this page (pass None on the tree)."""
    tree_crumb = [] if crumbs is None else [{"url": reverse("accounts_admin:tree"), "label": _("Manage subordinates")}]
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *tree_crumb, *(crumbs or ()),
             {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon=ICON)
    return TemplateResponse(request, template, context, status=status)


def _detail_crumb(profile):
    return {"url": reverse("accounts_admin:detail", args=[profile.pk]), "label": profile.user.username}


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _refuse(request, exc, profile):
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc) or _("You cannot do this.")]))
    return redirect("accounts_admin:detail", profile.pk)


def _one_time_password(request, profile, password, *, created: bool):
    """The initial (or new) password, shown in this response only: never stored, never sent."""
    response = _render(request, "accounts/admin/subordinates/password.html",
                       title=_("Administrator created") if created else _("New password"),
                       crumbs=[_detail_crumb(profile)], profile=profile, password=password, created=created)
    response["Cache-Control"] = "no-store"
    return response


def tree(request):
    scope = _scope(request)
    root = selectors.administrator_tree(scope)
    return _render(request, "accounts/admin/subordinates/tree.html", title=_("Manage subordinates"),
                   crumbs=None, root=root, can_create=scope.profile.region is None
                   or scope.profile.region.level < 3)


def detail(request, pk: int):
    scope = _scope(request)
    profile = _subordinate(scope, pk)
    is_self = profile.pk == scope.profile.pk
    mine = profile.created_by_id == request.user.pk and not is_self
    return _render(
        request, "accounts/admin/subordinates/detail.html", title=profile.user.username, profile=profile,
        is_self=is_self, mine=mine, ties=selectors.administrator_ties(profile) if mine else [],
        parent=None if is_self else profile.get_parent(),
        children=profile.get_children().select_related("user", "region"),
        flags=[(label, getattr(profile, flag)) for flag, label in AdminFlag.choices],
        history=ModelLogEntry.objects.for_instance(profile).select_related("user").order_by("-timestamp")[:20],
    )


@never_cache
@require_http_methods(["GET", "POST"])
def create(request):
    scope = _scope(request)
    form = SubordinateForm(request.POST or None, granter=scope.profile)
    if not form.region_levels:
        messages.error(request, _("A county administrator has no region below its own, so it cannot create subordinates."))
        return redirect("accounts_admin:tree")
    if request.method == "POST" and form.is_valid():
        try:
            profile, password = services.subordinate_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("You cannot do this."))
            return redirect("accounts_admin:tree")
        else:
            messages.success(request, _("Administrator %(name)s created.") % {"name": profile.user.username})
            return _one_time_password(request, profile, password, created=True)
    return _render(request, "accounts/admin/subordinates/form.html", title=_("New subordinate administrator"),
                   form=form, granter=scope.profile, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    scope = _scope(request)
    profile = _subordinate(scope, pk)
    if profile.created_by_id != request.user.pk:
        return _refuse(request, PermissionDenied(
            _("Only the administrator who created this account may change or delete it.")), profile)
    form = SubordinateForm(request.POST or None, granter=scope.profile, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.administrator_update(actor=request.user, profile=profile, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            return _refuse(request, exc, profile)
        else:
            messages.success(request, _("Administrator %(name)s saved.") % {"name": profile.user.username})
            return redirect("accounts_admin:detail", profile.pk)
    return _render(request, "accounts/admin/subordinates/form.html",
                   title=_("Edit %(name)s") % {"name": profile.user.username}, crumbs=[_detail_crumb(profile)],
                   form=form, granter=scope.profile, profile=profile, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    scope = _scope(request)
    profile = _subordinate(scope, pk)
    if request.method == "POST":
        try:
            services.administrator_delete(actor=request.user, profile=profile)
        except (PermissionDenied, ValidationError) as exc:
            return _refuse(request, exc, profile)
        messages.success(request, _("Administrator %(name)s deleted.") % {"name": profile.user.username})
        return redirect("accounts_admin:tree")
    if profile.created_by_id != request.user.pk:
        return _refuse(request, PermissionDenied(
            _("Only the administrator who created this account may change or delete it.")), profile)
    ties = selectors.administrator_ties(profile)
    if ties:
        return _refuse(request, ValidationError(_("%(name)s cannot be deleted: this administrator %(ties)s.") % {
            "name": profile.user.username, "ties": _("; ").join(ties)}), profile)
    return _render(request, "accounts/admin/subordinates/delete.html",
                   title=_("Delete %(name)s") % {"name": profile.user.username}, crumbs=[_detail_crumb(profile)],
                   profile=profile)


@never_cache
@require_POST
def password_reset(request, pk: int):
    scope = _scope(request)
    profile = _subordinate(scope, pk)
    try:
        password = services.administrator_password_reset(actor=request.user, profile=profile)
    except PermissionDenied as exc:
        return _refuse(request, exc, profile)
    return _one_time_password(request, profile, password, created=False)
