"""报表定义 in the Wagtail admin (settings menu): the definitions and their versions, upload a JSON
definition (checked by `formdef check`, kept as a draft), a version's page (problems by JSON path,
preview, its document) and 启用 (publish) with a confirm.

Views parse input, call one service or selector and render; who may act is decided in the services
(and `selectors.formdef_manage_allowed` for reading). Times are shown in Asia/Shanghai (TIME_ZONE).
"""
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import BaseOperationView, WagtailAdminTemplateMixin

from . import selectors, services
from .admin_forms import DefinitionUploadForm
from .engine import definition_check
from .enums import VersionStatus
from .models import FormVersion


class ManagerRequiredMixin:
    """Superusers and the national administrator only (403 for anyone else)."""

    def dispatch(self, request, *args, **kwargs):
        if not selectors.formdef_manage_allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class DefinitionsPageMixin(ManagerRequiredMixin, WagtailAdminTemplateMixin):
    header_icon = "code"
    page_title = gettext_lazy("Form definitions")

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")},
                 {"url": reverse("formdefs_admin:list"), "label": _("Form definitions")}]
        title = self.get_header_title()
        if title != str(self.page_title):
            items.append({"url": "", "label": title})
        return items


def _version(pk) -> FormVersion:
    try:
        return selectors.version_for_admin(pk=pk)
    except FormVersion.DoesNotExist:
        raise Http404


class DefinitionListView(DefinitionsPageMixin, TemplateView):
    template_name = "formdefs/admin/list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(definitions=selectors.definitions_for_admin(), **kwargs)


class DefinitionUploadView(DefinitionsPageMixin, FormView):
    template_name = "formdefs/admin/upload.html"
    form_class = DefinitionUploadForm
    page_title = gettext_lazy("Upload a definition")

    def get_context_data(self, **kwargs):
        return super().get_context_data(limit=services.DEFINITION_UPLOAD_MAX_BYTES, **kwargs)

    def form_valid(self, form):
        # One byte over the limit is enough for the service to refuse a larger file without reading it all.
        content = form.cleaned_data["file"].read(services.DEFINITION_UPLOAD_MAX_BYTES + 1)
        try:
            version = services.formdef_upload(content=content, actor=self.request.user)
        except services.DefinitionInvalid as exc:
            return self.render_to_response(self.get_context_data(form=form, problems=exc.problems,
                                                                 filename=form.cleaned_data["file"].name))
        if version.status == VersionStatus.DRAFT:
            messages.success(self.request, _("Version %(version)s of %(key)s is saved as a draft: preview it, then enable it.") % {
                "version": version.number, "key": version.definition.key})
        else:
            messages.info(self.request, _("Version %(version)s of %(key)s is already %(status)s with this content.") % {
                "version": version.number, "key": version.definition.key, "status": version.get_status_display()})
        return redirect("formdefs_admin:version", pk=version.pk)


class VersionDetailView(DefinitionsPageMixin, TemplateView):
    template_name = "formdefs/admin/version.html"

    def get_page_subtitle(self):
        return f"{self.version.definition.key} v{self.version.number}"

    def dispatch(self, request, *args, **kwargs):
        self.version = _version(kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        version = self.version
        problems = definition_check(version.document)
        current = selectors.version_current(key=version.definition.key)
        steps = selectors.version_outline(version) if not problems else []
        return super().get_context_data(version=version, problems=problems, steps=steps, current=current,
                                        can_enable=version.status == VersionStatus.DRAFT and not problems, **kwargs)


def version_document(request, pk):
    """The version's JSON document as a download (what was uploaded, canonically indented)."""
    if not selectors.formdef_manage_allowed(request.user):
        raise PermissionDenied
    version = _version(pk)
    response = HttpResponse(json.dumps(version.document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.definition.key}_v{version.number}.json"'
    return response


class VersionEnableView(ManagerRequiredMixin, BaseOperationView):
    """启用: publish the draft (the confirm is asked by data-confirm on the form)."""

    model = FormVersion
    success_url_name = "formdefs_admin:version"

    def get_object(self):
        return _version(self.pk)

    def perform_operation(self):
        self.object = services.formdef_version_enable(version=self.object, actor=self.request.user)

    def get_success_message(self):
        return _("Version %(version)s of %(key)s is enabled; reports already started keep their version.") % {
            "version": self.object.number, "key": self.object.definition.key}

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except services.DefinitionInvalid as exc:
            for problem in exc.problems:
                messages.error(request, str(problem))
            return redirect("formdefs_admin:version", pk=self.object.pk)


