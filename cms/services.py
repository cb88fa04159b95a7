"""Writes of the document library (文档管理). Every service checks the actor's permission itself.

Each action is logged with Wagtail's audit log (`cms.library.*`, labels in wagtail_hooks).
Content set-up (index pages, editor permissions) is in cms.content.
"""
import hashlib
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from . import selectors as sel
from .enums import LibrarySpace
from .models import LibraryFile, LibraryFileVersion, LibraryFolder, LibraryShare, ShareGroup
from .uploads import clean_name, content_check, upload_check


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _free_name(names: set[str], name: str) -> str:
    """`name`, or `name (2)`, `name (3)`... if a sibling already has it."""
    if name not in names:
        return name
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    n = 2
    while True:
        candidate = f"{stem} ({n}){dot}{ext}"
        if candidate not in names:
            return candidate
        n += 1


def _file_names(folder) -> set[str]:
    return set(LibraryFile.objects.filter(folder=folder).values_list("name", flat=True))


def _folder_names(folder) -> set[str]:
    return set(folder.get_children().values_list("name", flat=True))


def _delete_blobs_on_commit(names: list[str]) -> None:
    from .storage import private_storage

    def delete():
        for name in names:
            private_storage.delete(name)

    transaction.on_commit(delete)


# ---------------------------------------------------------------- folders


@transaction.atomic
def library_root_ensure(*, actor, space: str) -> LibraryFolder:
    """The root of the organisation space, or of the actor's personal space, created on first use."""
    sel.library_require(actor)
    owner = actor if space == LibrarySpace.PERSONAL else None
    root = sel.library_root(space, owner)
    if root is None:
        name = _("Organisation documents") if space == LibrarySpace.ORGANISATION else _("Personal documents")
        root = LibraryFolder.add_root(name=str(name), space=space, owner=owner, created_by=actor)
    return root


@transaction.atomic
def folder_create(*, actor, parent: LibraryFolder, name: str) -> LibraryFolder:
    """创建类别."""
    _require(sel.folder_can_add(actor, parent))
    parent.refresh_from_db()  # treebeard computes the child's path from the parent's stored numchild
    name = clean_name(name)
    if name in _folder_names(parent):
        raise ValidationError(_("A folder with this name already exists here."), code="duplicate")
    folder = parent.add_child(name=name, space=parent.space, owner=parent.owner, created_by=actor)
    log(instance=folder, action="cms.library.folder_create", user=actor)
    return folder


def _folder_for_path(actor, base: LibraryFolder, relative_dir: str) -> LibraryFolder:
    folder = base
    for part in PurePosixPath(relative_dir.replace("\\", "/")).parts:
        if part in ("", ".", ".."):
            continue
        part = clean_name(part)
        child = folder.get_children().filter(name=part).first()
        folder = child or folder_create(actor=actor, parent=folder, name=part)
    return folder


@transaction.atomic
def folder_rename(*, actor, folder: LibraryFolder, name: str) -> LibraryFolder:
    _require(sel.folder_can_change(actor, folder))
    name = clean_name(name)
    if name != folder.name and name in _folder_names(folder.get_parent()):
        raise ValidationError(_("A folder with this name already exists here."), code="duplicate")
    folder.name = name
    folder.save(update_fields=["name"])
    log(instance=folder, action="cms.library.rename", user=actor)
    return folder


def _check_target(actor, target: LibraryFolder) -> None:
    _require(sel.folder_can_add(actor, target))


@transaction.atomic
def folder_move(*, actor, folder: LibraryFolder, target: LibraryFolder) -> LibraryFolder:
    """Move a folder with everything below it under `target` (which may be in the other space)."""
    _require(sel.folder_can_change(actor, folder))
    _check_target(actor, target)
    folder.refresh_from_db()
    target.refresh_from_db()
    if target.path.startswith(folder.path):
        raise ValidationError(_("A folder cannot be moved into itself."), code="into_itself")
    folder.name = _free_name(_folder_names(target), folder.name)
    folder.save(update_fields=["name"])
    folder.move(target, pos="last-child")
    folder.refresh_from_db()
    LibraryFolder.objects.filter(path__startswith=folder.path).update(space=target.space, owner=target.owner)
    log(instance=folder, action="cms.library.move", user=actor)
    return folder


@transaction.atomic
def folder_copy(*, actor, folder: LibraryFolder, target: LibraryFolder) -> LibraryFolder:
    """Copy a folder, its sub-folders and the latest version of each file under `target`."""
    _require(sel.folder_can_view(actor, folder))
    _check_target(actor, target)
    folder.refresh_from_db()
    target.refresh_from_db()
    if target.path.startswith(folder.path):
        raise ValidationError(_("A folder cannot be copied into itself."), code="into_itself")

    def copy_into(source: LibraryFolder, parent: LibraryFolder) -> LibraryFolder:
        parent.refresh_from_db()
        copy = parent.add_child(
            name=_free_name(_folder_names(parent), source.name), space=parent.space, owner=parent.owner, created_by=actor
        )
        for file in sel.files_visible(actor).filter(folder=source):
            _file_copy(actor=actor, file=file, target=copy)
        for child in list(source.get_children()):
            copy_into(child, copy)
        return copy

    copy = copy_into(folder, target)
    log(instance=copy, action="cms.library.copy", user=actor, data={"source": folder.pk})
    return copy


@transaction.atomic
def folder_delete(*, actor, folder: LibraryFolder) -> None:
    """Delete a folder with its sub-folders, files and every stored version."""
    _require(sel.folder_can_change(actor, folder))
    folder.refresh_from_db()
    blobs = list(
        LibraryFileVersion.objects.filter(file__folder__path__startswith=folder.path).values_list("blob", flat=True)
    )
    log(instance=folder, action="cms.library.delete", user=actor, deleted=True)
    LibraryFile.objects.filter(folder__path__startswith=folder.path).update(baseline=None)
    LibraryFile.objects.filter(folder__path__startswith=folder.path).delete()
    LibraryFolder.objects.get(pk=folder.pk).delete()
    _delete_blobs_on_commit(blobs)


# ---------------------------------------------------------------- files and versions


def _store_version(*, actor, file: LibraryFile, content, original_name: str) -> LibraryFileVersion:
    digest, size = hashlib.sha256(), 0
    content.seek(0)
    for chunk in iter(lambda: content.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    number = (file.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = LibraryFileVersion(
        file=file, number=number, original_name=original_name[:255], size=size, sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    version.blob.save(original_name, content if isinstance(content, File) else File(content), save=False)
    version.save()
    file.updated_at = timezone.now()
    file.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def file_upload(*, actor, folder: LibraryFolder, upload, relative_path: str = "") -> LibraryFile:
    """上传文件: store `upload` in `folder` (or a sub-folder named by `relative_path`, for a folder upload).

    A file with the same name in that folder gets a new version instead, if the actor may change it.
    """
    _require(sel.folder_can_add(actor, folder))
    upload_check(upload)
    name = clean_name(upload.name)
    if relative_path:
        folder = _folder_for_path(actor, folder, str(PurePosixPath(relative_path.replace("\\", "/")).parent))
    existing = LibraryFile.objects.filter(folder=folder, name=name).first()
    if existing is not None:
        if not sel.file_can_change(actor, existing):
            raise ValidationError(
                _("%(name)s already exists in this folder and belongs to someone else.") % {"name": name}, code="duplicate"
            )
        _store_version(actor=actor, file=existing, content=upload, original_name=name)
        log(instance=existing, action="cms.library.version_add", user=actor)
        return existing
    file = LibraryFile.objects.create(folder=folder, name=name, created_by=actor)
    _store_version(actor=actor, file=file, content=upload, original_name=name)
    log(instance=file, action="cms.library.upload", user=actor)
    return file


def files_upload(*, actor, folder: LibraryFolder, uploads: list, relative_paths: list[str] | None = None) -> list[LibraryFile]:
    """Upload several files (or a folder) at once: all of them are checked before any is stored."""
    if not uploads:
        raise ValidationError(_("Choose at least one file."), code="empty")
    _require(sel.folder_can_add(actor, folder))
    errors = []
    for upload in uploads:
        try:
            upload_check(upload)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    paths = relative_paths or []
    with transaction.atomic():
        return [
            file_upload(actor=actor, folder=folder, upload=upload, relative_path=paths[i] if i < len(paths) else "")
            for i, upload in enumerate(uploads)
        ]


@transaction.atomic
def file_version_add(*, actor, file: LibraryFile, upload) -> LibraryFileVersion:
    """Upload a new version of `file`; earlier versions are kept."""
    _require(sel.file_can_change(actor, file))
    upload_check(upload)
    if upload.name and "." in file.name and not upload.name.lower().endswith("." + file.extension):
        raise ValidationError(_("A new version must be a .%(ext)s file.") % {"ext": file.extension}, code="type_changed")
    version = _store_version(actor=actor, file=file, content=upload, original_name=clean_name(upload.name))
    log(instance=file, action="cms.library.version_add", user=actor, data={"version": version.number})
    return version


@transaction.atomic
def file_baseline_set(*, actor, version: LibraryFileVersion) -> LibraryFile:
    """设置基线: mark `version` as the file's baseline."""
    file = LibraryFile.objects.select_for_update().select_related("folder").get(pk=version.file_id)
    _require(sel.file_can_change(actor, file))
    file.baseline = version
    file.save(update_fields=["baseline"])
    log(instance=file, action="cms.library.baseline", user=actor, data={"version": version.number})
    return file


@transaction.atomic
def file_rename(*, actor, file: LibraryFile, name: str) -> LibraryFile:
    _require(sel.file_can_change(actor, file))
    name = clean_name(name)
    if name != file.name and name in _file_names(file.folder):
        raise ValidationError(_("A document with this name already exists here."), code="duplicate")
    # The name decides the type: every stored version must be what an upload of that name must be
    # (evil.txt renamed evil.html or evil.pdf is refused).
    for version in file.versions.all():
        with version.blob.open("rb") as stream:
            content_check(name, stream)
    file.name = name
    file.save(update_fields=["name"])
    log(instance=file, action="cms.library.rename", user=actor)
    return file


def _file_copy(*, actor, file: LibraryFile, target: LibraryFolder) -> LibraryFile:
    latest = file.versions.order_by("-number").first()
    copy = LibraryFile.objects.create(folder=target, name=_free_name(_file_names(target), file.name), created_by=actor)
    with latest.blob.open("rb") as source:
        _store_version(actor=actor, file=copy, content=ContentFile(source.read(), name=file.name), original_name=file.name)
    return copy


@transaction.atomic
def file_copy(*, actor, file: LibraryFile, target: LibraryFolder) -> LibraryFile:
    """复制: a new file in `target` holding the latest version of `file`."""
    _require(sel.file_can_view(actor, file))
    _check_target(actor, target)
    copy = _file_copy(actor=actor, file=file, target=target)
    log(instance=copy, action="cms.library.copy", user=actor, data={"source": file.pk})
    return copy


@transaction.atomic
def file_move(*, actor, file: LibraryFile, target: LibraryFolder) -> LibraryFile:
    _require(sel.file_can_change(actor, file))
    _check_target(actor, target)
    if target.pk != file.folder_id:
        file.name = _free_name(_file_names(target), file.name)
        file.folder = target
        file.save(update_fields=["folder", "name"])
        log(instance=file, action="cms.library.move", user=actor)
    return file


@transaction.atomic
def file_delete(*, actor, file: LibraryFile) -> None:
    _require(sel.file_can_change(actor, file))
    blobs = list(file.versions.values_list("blob", flat=True))
    log(instance=file, action="cms.library.delete", user=actor, deleted=True)
    LibraryFile.objects.filter(pk=file.pk).update(baseline=None)
    LibraryFile.objects.filter(pk=file.pk).delete()
    _delete_blobs_on_commit(blobs)


# ---------------------------------------------------------------- share groups and sharing


@transaction.atomic
def share_group_create(*, actor, name: str) -> ShareGroup:
    sel.library_require(actor)
    name = name.strip()[:100]
    if not name:
        raise ValidationError(_("Enter a name."), code="name_empty")
    group = ShareGroup.objects.create(name=name, created_by=actor)
    group.members.add(actor)
    log(instance=group, action="cms.library.group_create", user=actor)
    return group


@transaction.atomic
def share_group_rename(*, actor, group: ShareGroup, name: str) -> ShareGroup:
    group = sel.share_group_get_for_manage(actor, group.pk)
    name = name.strip()[:100]
    if not name:
        raise ValidationError(_("Enter a name."), code="name_empty")
    group.name = name
    group.save(update_fields=["name"])
    log(instance=group, action="cms.library.rename", user=actor)
    return group


@transaction.atomic
def share_group_delete(*, actor, group: ShareGroup) -> None:
    group = sel.share_group_get_for_manage(actor, group.pk)
    log(instance=group, action="cms.library.delete", user=actor, deleted=True)
    group.delete()


@transaction.atomic
def share_group_member_add(*, actor, group: ShareGroup, user) -> None:
    group = sel.share_group_get_for_manage(actor, group.pk)
    if not sel.share_group_candidates(actor).filter(pk=user.pk).exists():
        raise ValidationError(_("Only administrators can be members of a share group."), code="not_administrator")
    group.members.add(user)
    log(instance=group, action="cms.library.member_add", user=actor, data={"member": user.username})


@transaction.atomic
def share_group_member_remove(*, actor, group: ShareGroup, user) -> None:
    group = sel.share_group_get_for_manage(actor, group.pk)
    group.members.remove(user)
    log(instance=group, action="cms.library.member_remove", user=actor, data={"member": user.username})


@transaction.atomic
def item_share(*, actor, group: ShareGroup, file: LibraryFile | None = None, folder: LibraryFolder | None = None) -> LibraryShare:
    """共享: share a file, or a folder with everything below it, with a share group (read-only)."""
    if (file is None) == (folder is None):
        raise ValueError("share exactly one of file or folder")
    _require(sel.file_can_change(actor, file) if file else sel.folder_can_change(actor, folder))
    _require(sel.share_groups_for(actor).filter(pk=group.pk).exists())
    share, _created = LibraryShare.objects.get_or_create(group=group, file=file, folder=folder, defaults={"shared_by": actor})
    log(instance=file or folder, action="cms.library.share", user=actor, data={"group": group.name})
    return share


@transaction.atomic
def share_remove(*, actor, share: LibraryShare) -> None:
    target = share.target
    _require(sel.file_can_change(actor, target) if share.file_id else sel.folder_can_change(actor, target))
    log(instance=target, action="cms.library.unshare", user=actor, data={"group": share.group.name})
    share.delete()


# ---------------------------------------------------------------- several items at once (the listing's bulk actions)


def _outermost(files: list[LibraryFile], folders: list[LibraryFolder]) -> tuple[list, list]:
    """Leave out the items inside another chosen folder: they go with it."""
    paths = [f.path for f in folders]
    folders = [f for f in folders if not any(f.path != p and f.path.startswith(p) for p in paths)]
    files = [f for f in files if not any(f.folder.path.startswith(p) for p in paths)]
    return files, folders


@transaction.atomic
def library_items_move(*, actor, files: list[LibraryFile], folders: list[LibraryFolder], target: LibraryFolder) -> int:
    """移动 several files and folders into `target`, all or nothing; returns how many moved (an item already in
    `target` stays and is not counted)."""
    files, folders = _outermost(files, folders)
    moved = 0
    for file in files:
        if file.folder_id != target.pk:
            file_move(actor=actor, file=file, target=target)
            moved += 1
    for folder in folders:
        folder.refresh_from_db()
        if folder.get_parent().pk != target.pk:
            folder_move(actor=actor, folder=folder, target=target)
            moved += 1
    return moved


@transaction.atomic
def library_items_delete(*, actor, files: list[LibraryFile], folders: list[LibraryFolder]) -> int:
    """删除 several files and folders (with everything in them), all or nothing; returns how many were chosen
    and deleted (an item inside a chosen folder goes with it, uncounted)."""
    files, folders = _outermost(files, folders)
    for file in files:
        file_delete(actor=actor, file=file)
    for folder in folders:
        folder_delete(actor=actor, folder=folder)
    return len(files) + len(folders)


@transaction.atomic
def library_items_copy(*, actor, files: list[LibraryFile], folders: list[LibraryFolder], target: LibraryFolder) -> int:
    """复制 several files and folders into `target`, all or nothing; returns how many were copied."""
    files, folders = _outermost(files, folders)
    for file in files:
        file_copy(actor=actor, file=file, target=target)
    for folder in folders:
        folder_copy(actor=actor, folder=folder, target=target)
    return len(files) + len(folders)
