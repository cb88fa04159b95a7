"""Back-office (Wagtail admin) views of enterprises: 企业注册信息审核 and 监测企业信息管理 (SPEC §4, §6).

The two lists are Wagtail generic IndexViews (filters, search, spreadsheet export) over the one
scoped selector each; detail pages and actions parse input, call one service and render. A
PermissionDenied from a service becomes a message; an object outside the scope is a 404. Batch
actions of the enterprise list are Wagtail bulk actions (see bulk_actions.py).
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn

from accounts.listing import AdministratorIndexView
from accounts.selectors import admin_scope_of
from exports.reference import EXPORT_HEADINGS as CODE_NAME_HEADINGS, CodeNamesExportMixin

from . import selectors, services
from .admin_filters import EnterpriseFilterSet, RegistrationFilterSet
from .enums import RETURN_REASON_MAX_LENGTH, EnterpriseState, RegistrationStatus
from .forms import RegistrationReturnForm
from .models import Enterprise

#: The registration fields shown on the detail pages, in the order of the registration form (SPEC §4).
PROFILE_FIELDS = ("user", "name", "credit_code", "legal_representative", "industry", "region", "registration_type",
                  "holding_type", "size", "revenue_last_year", "employees_last_year", "assets_last_year", "is_listed",
                  "stock_code", "address", "postcode", "opened_on", "website", "contact", "phone", "fax", "mobile",
                  "email", "main_business")


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You cannot do this.")


def _render(request, template, *, title, crumbs=(), icon="form", **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon=icon)
    return TemplateResponse(request, template, context)


def profile_rows(enterprise: Enterprise) -> list[tuple[str, str]]:
    """(label, value) of every registration field, labelled with the model's verbose names."""
    rows = []
    for name in PROFILE_FIELDS:
        field = Enterprise._meta.get_field(name)
        value = getattr(enterprise, name)
        if name == "user":
            value = value.username
        elif name == "industry":
            value = f"{value.full_code} {value.path_names}"
        elif name == "region":
            value = value.full_name
        elif field.choices:
            value = getattr(enterprise, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif name == "stock_code" and not enterprise.is_listed:
            continue
        rows.append((str(field.verbose_name), "" if value is None else str(value)))
    return rows


class _ScopedIndexView(CodeNamesExportMixin, AdministratorIndexView):
    """A listing of enterprises for administrators; `get_base_queryset` is the scoped selector. Its exports
    write the region and industry names beside their codes (`exports.reference`)."""

    model = Enterprise
    paginate_by = 50
    search_fields = ["name", "credit_code"]


# -- 企业注册信息审核 ------------------------------------------------------------------------------

def _registration_reviewer(request) -> None:
    scope = admin_scope_of(request)
    if scope.is_empty or not scope.profile.can_review_registration:
        raise PermissionDenied


class RegistrationIndexView(_ScopedIndexView):
    """企业注册信息审核: the registrations waiting for review in the administrator's region."""

    page_title = gettext_lazy("Registration information review")
    header_icon = "form"
    index_url_name = "enterprises_admin:registrations"
    index_results_url_name = "enterprises_admin:registrations_results"
    filterset_class = RegistrationFilterSet
    default_ordering = "submitted_at"
    export_filename = "registrations"
    list_export = ["name", "credit_code", "user.username", "region_code", "region_name", "industry.full_code",
                   "industry_name", "contact", "mobile", "get_status_display", "submitted_at", "return_reason"]
    export_headings = {"user.username": gettext_lazy("User ID"), **CODE_NAME_HEADINGS,
                       "get_status_display": gettext_lazy("Status")}

    def dispatch(self, request, *args, **kwargs):
        _registration_reviewer(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.registrations_for_review(self.request.user)

    def get_valid_orderings(self):
        return ["submitted_at", "-submitted_at", "name", "-name"]

    @cached_property
    def columns(self):
        return [
            TitleColumn("name", label=gettext_lazy("Enterprise name"), sort_key="name",
                        get_url=lambda e: reverse("enterprises_admin:registration", args=[e.pk])),
            Column("credit_code", label=gettext_lazy("Credit code")),
            Column("user", label=gettext_lazy("User ID"), accessor="user.username"),
            Column("region", label=gettext_lazy("Region"), accessor="region.name"),
            Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
            DateColumn("submitted_at", label=pgettext_lazy("registration", "Submitted at"), sort_key="submitted_at"),
        ]


def _registration_or_404(request, pk) -> Enterprise:
    _registration_reviewer(request)
    try:
        return selectors.registration_for_review_get(request.user, pk)
    except Enterprise.DoesNotExist:
        raise Http404


def _registrations_crumb():
    return {"url": reverse("enterprises_admin:registrations"), "label": _("Registration information review")}


def registration_detail(request, pk: int):
    """The registration with every field, its history, and 通过 / 退回 / 删除."""
    enterprise = _registration_or_404(request, pk)
    return _render(request, "enterprises/admin/registration_detail.html", title=enterprise.name,
                   crumbs=[_registrations_crumb()], enterprise=enterprise, rows=profile_rows(enterprise),
                   events=selectors.enterprise_events(enterprise), return_form=RegistrationReturnForm(),
                   is_pending=enterprise.status == RegistrationStatus.PENDING, reason_max=RETURN_REASON_MAX_LENGTH)


@require_POST
def registration_approve(request, pk: int):
    """通过: the registrant is told by SMS (the service sends it after the commit)."""
    enterprise = _registration_or_404(request, pk)
    try:
        services.enterprise_registration_approve(enterprise=enterprise, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
        return redirect("enterprises_admin:registration", pk)
    messages.success(request, _("“%(name)s” is approved; the enterprise was notified by SMS.") % {"name": enterprise.name})
    return redirect("enterprises_admin:registrations")


def registration_return(request, pk: int):
    """退回 with a reason of at most 150 characters (no SMS)."""
    enterprise = _registration_or_404(request, pk)
    form = RegistrationReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_registration_return(enterprise=enterprise, actor=request.user,
                                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                messages.error(request, _message(exc))
        except PermissionDenied as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("“%(name)s” was returned to the enterprise.") % {"name": enterprise.name})
            return redirect("enterprises_admin:registrations")
    return _render(request, "enterprises/admin/registration_return.html", title=_("Return the registration"),
                   crumbs=[_registrations_crumb()], enterprise=enterprise, form=form)


def registration_delete(request, pk: int):
    """删除 a pending or returned registration (with a confirmation page)."""
    enterprise = _registration_or_404(request, pk)
    if request.method == "POST":
        try:
            services.enterprise_registration_delete(enterprise=enterprise, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _message(exc))
            return redirect("enterprises_admin:registration", pk)
        messages.success(request, _("The registration of “%(name)s” was deleted.") % {"name": enterprise.name})
        return redirect("enterprises_admin:registrations")
    return _render(request, "enterprises/admin/confirm_delete.html", title=_("Delete the registration"),
                   crumbs=[_registrations_crumb()], icon="bin", enterprise=enterprise,
                   cancel_url=reverse("enterprises_admin:registration", args=[pk]),
                   question=_("Delete the registration of “%(name)s”? The registrant can register again.")
                   % {"name": enterprise.name})


# -- 监测企业信息管理 ------------------------------------------------------------------------------

class EnterpriseIndexView(_ScopedIndexView):
    """监测企业信息管理: the approved enterprises of the administrator's region, with batch actions."""

    page_title = gettext_lazy("Enterprise management")
    header_icon = "site"
    template_name = "enterprises/admin/enterprise_index.html"
    index_url_name = "enterprises_admin:enterprises"
    index_results_url_name = "enterprises_admin:enterprises_results"
    filterset_class = EnterpriseFilterSet
    search_fields = ["name", "credit_code", "user__username"]
    default_ordering = "name"
    export_filename = "enterprises"
    list_export = ["name", "credit_code", "user.username", "region_code", "region_name", "industry.full_code",
                   "industry_name", "direct_reviewer", "filler", "contact", "mobile", "state_label"]
    export_headings = {"user.username": gettext_lazy("User ID"), **CODE_NAME_HEADINGS,
                       "state_label": gettext_lazy("Status")}

    def get_base_queryset(self):
        return selectors.enterprises_for_management(self.request.user)

    def get_valid_orderings(self):
        return ["name", "-name", "region_code", "-region_code"]

    def to_row_dict(self, item):
        item.state_label = EnterpriseState.DISABLED.label if item.is_disabled else EnterpriseState.ENABLED.label
        return super().to_row_dict(item)

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type="enterprise"),
            TitleColumn("name", label=gettext_lazy("Enterprise name"), sort_key="name",
                        get_url=lambda e: reverse("enterprises_admin:enterprise", args=[e.pk]),
                        get_title_id=lambda e: f"enterprise_{e.pk}_title"),
            Column("credit_code", label=gettext_lazy("Credit code")),
            Column("user", label=gettext_lazy("User ID"), accessor="user.username"),
            Column("region", label=gettext_lazy("Region"), accessor="region.name", sort_key="region_code"),
            Column("direct_reviewer", label=gettext_lazy("Direct reviewer"),
                   accessor=lambda e: e.direct_reviewer.user.username if e.direct_reviewer else ""),
            Column("state", label=gettext_lazy("Status"),
                   accessor=lambda e: EnterpriseState.DISABLED.label if e.is_disabled else EnterpriseState.ENABLED.label),
        ]


def _enterprise_or_404(request, pk) -> Enterprise:
    try:
        return selectors.enterprise_for_management_get(request.user, pk)
    except Enterprise.DoesNotExist:
        raise Http404


def _enterprises_crumb():
    return {"url": reverse("enterprises_admin:enterprises"), "label": _("Enterprise management")}


def enterprise_detail(request, pk: int):
    """The enterprise's profile, direct reviewer, status, history and 停用 / 启用 / 删除."""
    enterprise = _enterprise_or_404(request, pk)
    return _render(request, "enterprises/admin/enterprise_detail.html", title=enterprise.name, icon="site",
                   crumbs=[_enterprises_crumb()], enterprise=enterprise, rows=profile_rows(enterprise),
                   events=selectors.enterprise_events(enterprise), ties=selectors.enterprise_ties(enterprise))


def _enterprise_action(request, pk, service, done: str):
    enterprise = _enterprise_or_404(request, pk)
    try:
        service(enterprise=enterprise, actor=request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, done % {"name": enterprise.name})
    return redirect("enterprises_admin:enterprise", pk)


@require_POST
def enterprise_disable(request, pk: int):
    """停用."""
    return _enterprise_action(request, pk, services.enterprise_disable, _("“%(name)s” is disabled."))


@require_POST
def enterprise_enable(request, pk: int):
    """启用."""
    return _enterprise_action(request, pk, services.enterprise_enable, _("“%(name)s” is enabled."))


def enterprise_delete(request, pk: int):
    """删除 a disabled enterprise; one with reports or answers stays disabled (the service says why)."""
    enterprise = _enterprise_or_404(request, pk)
    if request.method == "POST":
        try:
            services.enterprise_delete(enterprise=enterprise, actor=request.user)
        except (PermissionDenied, ValidationError) as exc:
            messages.error(request, _message(exc))
            return redirect("enterprises_admin:enterprise", pk)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": enterprise.name})
        return redirect("enterprises_admin:enterprises")
    return _render(request, "enterprises/admin/confirm_delete.html", title=_("Delete the enterprise"), icon="bin",
                   crumbs=[_enterprises_crumb()], enterprise=enterprise,
                   cancel_url=reverse("enterprises_admin:enterprise", args=[pk]), ties=selectors.enterprise_ties(enterprise),
                   question=_("Delete “%(name)s”? This cannot be undone.") % {"name": enterprise.name})
