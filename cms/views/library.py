"""Document library views in the Wagtail admin. They parse input, call one selector or service, and render.

Permissions are checked by the selectors and services (PermissionDenied becomes a 403). A folder's listing and
与我共享 are in listing.py, the bulk move / copy / delete in cms.bulk_actions.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms import selectors as sel
from cms import services
from cms.enums import LibrarySpace
from cms.models import LibraryFileVersion, LibraryShare
from cms.uploads import INLINE_TYPES, SANDBOXED_EXTENSIONS, extension_of, max_upload_bytes


def render_admin(request, template, *, title, crumbs=(), icon="folder-open-inverse", **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon=icon)
    return TemplateResponse(request, template, context)


def _folder_crumbs(folder, *, include_self=False):
    chain = sel.folder_ancestors(folder)
    if not include_self:
        chain = chain[:-1]
    return [{"url": reverse("cms_library:folder", args=[f.pk]), "label": f.display_name} for f in chain]


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def space(request, space):
    """组织文档 / 个人文档: open the root folder of a space."""
    if space not in LibrarySpace.values:
        raise Http404
    root = services.library_root_ensure(actor=request.user, space=space)
    return redirect("cms_library:folder", root.pk)


def _target(request):
    target_id = request.POST.get("target")
    if not target_id:
        raise ValidationError(_("Choose a target folder."))
    return sel.folder_get_for_view(request.user, int(target_id))


def _folder_create(request, folder):
    services.folder_create(actor=request.user, parent=folder, name=request.POST.get("name", ""))
    messages.success(request, _("Folder created."))


def _upload(request, folder):
    uploaded = services.files_upload(
        actor=request.user, folder=folder, uploads=request.FILES.getlist("files"),
        relative_paths=request.POST.getlist("relative_path"),
    )
    messages.success(request, _("%(count)s file(s) uploaded.") % {"count": len(uploaded)})


def _folder_rename(request, folder):
    services.folder_rename(actor=request.user, folder=folder, name=request.POST.get("name", ""))
    messages.success(request, _("Folder renamed."))


def _group(request):
    group = sel.share_groups_for(request.user).filter(pk=request.POST.get("group") or 0).first()
    if group is None:
        raise ValidationError(_("Choose a share group."))
    return group


def _folder_share(request, folder):
    group = _group(request)
    services.item_share(actor=request.user, group=group, folder=folder)
    messages.success(request, _("Shared with %(group)s.") % {"group": group.name})


def _unshare(request, item):
    share = LibraryShare.objects.select_related("group", "file", "folder").get(pk=int(request.POST["share"]))
    if share.target != item:
        raise Http404
    services.share_remove(actor=request.user, share=share)
    messages.success(request, _("Sharing removed."))


FOLDER_ACTIONS = {
    "create_folder": _folder_create,
    "upload": _upload,
    "rename": _folder_rename,
    "share": _folder_share,
    "unshare": _unshare,
}


@require_POST
def folder_action(request, folder_id):
    folder = sel.folder_get_for_view(request.user, folder_id)
    action = request.POST.get("action")
    if action == "delete":
        parent = folder.get_parent()
        services.folder_delete(actor=request.user, folder=folder)
        messages.success(request, _("Folder deleted."))
        return redirect("cms_library:folder", parent.pk)
    handler = FOLDER_ACTIONS.get(action)
    if handler is None:
        raise Http404
    try:
        handler(request, folder)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("cms_library:folder", folder.pk)


def file(request, file_id):
    file = sel.file_get_for_view(request.user, file_id)
    can_change = sel.file_can_change(request.user, file)
    return render_admin(
        request, "cms/admin/file.html", title=file.name, crumbs=_folder_crumbs(file.folder, include_self=True),
        icon="doc-full", file=file, versions=file.versions.select_related("uploaded_by"),
        can_change=can_change, preview_kind=sel.file_preview_kind(file),
        targets=sel.folders_addable(request.user, space=LibrarySpace.ORGANISATION)
        + sel.folders_addable(request.user, space=LibrarySpace.PERSONAL),
        groups=sel.share_groups_for(request.user),
        shares=file.shares.select_related("group") if can_change else [],
        max_mb=round(max_upload_bytes() / 1048576, 1),
    )


@require_POST
def file_action(request, file_id):
    file = sel.file_get_for_view(request.user, file_id)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "version":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("Choose a file."))
            version = services.file_version_add(actor=user, file=file, upload=upload)
            messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
        elif action == "baseline":
            version = sel.file_version(file, int(request.POST["version"]))
            services.file_baseline_set(actor=user, version=version)
            messages.success(request, _("Version %(n)s is now the baseline.") % {"n": version.number})
        elif action == "rename":
            services.file_rename(actor=user, file=file, name=request.POST.get("name", ""))
            messages.success(request, _("Renamed."))
        elif action in ("copy", "move"):
            target = _target(request)
            if action == "copy":
                copy = services.file_copy(actor=user, file=file, target=target)
                messages.success(request, _("Copied."))
                return redirect("cms_library:file", copy.pk)
            services.file_move(actor=user, file=file, target=target)
            messages.success(request, _("Moved."))
        elif action == "delete":
            folder_id = file.folder_id
            services.file_delete(actor=user, file=file)
            messages.success(request, _("Deleted."))
            return redirect("cms_library:folder", folder_id)
        elif action == "share":
            group = _group(request)
            services.item_share(actor=user, group=group, file=file)
            messages.success(request, _("Shared with %(group)s.") % {"group": group.name})
        elif action == "unshare":
            _unshare(request, file)
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("cms_library:file", file.pk)


def _version_filename(file, version, latest_number):
    if version.number == latest_number:
        return file.name
    stem, dot, ext = file.name.rpartition(".") if "." in file.name else (file.name, "", "")
    return f"{stem} (v{version.number}){dot}{ext}"


#: On every library file a browser may open (PDFs, images): no script, no plugin, no request, no same origin.
SANDBOX_CSP = "default-src 'none'; img-src 'self'; sandbox"


def _file_response(version, filename, *, inline_type=None):
    """The file as an attachment, or inline for the images of INLINE_TYPES (`inline_type`), never sniffed."""
    response = FileResponse(
        version.blob.open("rb"), as_attachment=inline_type is None, filename=filename,
        content_type=inline_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline_type or extension_of(filename) in SANDBOXED_EXTENSIONS:
        response["Content-Security-Policy"] = SANDBOX_CSP
    return response


def download(request, file_id):
    """下载: always as an attachment, never rendered by the browser."""
    file = sel.file_get_for_view(request.user, file_id)
    try:
        version = sel.file_version(file, request.GET.get("version"))
        latest = sel.file_version(file)
    except (LibraryFileVersion.DoesNotExist, ValueError):
        raise Http404
    return _file_response(version, _version_filename(file, version, latest.number))


def inline(request, file_id):
    """The bytes of an image (INLINE_TYPES) for the preview page, with a fixed content type; PDFs and every
    other type are downloads only."""
    file = sel.file_get_for_view(request.user, file_id)
    inline_type = INLINE_TYPES.get(file.extension)
    if inline_type is None:
        raise Http404
    try:
        version = sel.file_version(file, request.GET.get("version"))
    except (LibraryFileVersion.DoesNotExist, ValueError):
        raise Http404
    return _file_response(version, file.name, inline_type=inline_type)


def preview(request, file_id):
    """预览: images embedded, text shown escaped, other types (PDFs included) as metadata and a download link."""
    file = sel.file_get_for_view(request.user, file_id)
    version = sel.file_version(file)
    kind = sel.file_preview_kind(file)
    text, cut = sel.file_preview_text(version) if kind == "text" else ("", False)
    return render_admin(
        request, "cms/admin/preview.html", title=_("Preview: %(name)s") % {"name": file.name},
        crumbs=_folder_crumbs(file.folder, include_self=True) + [
            {"url": reverse("cms_library:file", args=[file.pk]), "label": file.name}],
        icon="view", file=file, version=version, kind=kind, text=text, cut=cut,
    )
