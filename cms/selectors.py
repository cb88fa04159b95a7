"""Reads: latest notices and announcements, the indicator glossary, and what the document library lets a user see.

The library's permission rules live here (and are enforced again by every service):
- only administrators (and superusers) use the library;
- organisation documents are visible to every administrator; a personal document only to its
  owner and to the members of the share groups it (or a folder above it) is shared with;
- items are changed by their owner (personal) or, in the organisation space, by their creator or
  an administrator above the creator in the administrator tree (accounts.selectors.admin_scope).
"""
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language, gettext_lazy

from accounts.selectors import admin_scope

from .enums import LibrarySpace
from .uploads import INLINE_TYPES, TEXT_EXTENSIONS
from .models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    LibraryFile,
    LibraryFileVersion,
    LibraryFolder,
    LibraryShare,
    NoticeIndexPage,
    NoticePage,
    ShareGroup,
)

# ---------------------------------------------------------------- notices and announcements


def articles_for_index(*, index_page) -> QuerySet:
    model = NoticePage if isinstance(index_page, NoticeIndexPage) else AnnouncementPage
    return model.objects.child_of(index_page).live().public().order_by("-date", "-first_published_at")


def notices_latest(*, limit: int = 6) -> list[NoticePage]:
    return list(NoticePage.objects.live().public().order_by("-date", "-first_published_at")[:limit])


def announcements_latest(*, limit: int = 6) -> list[AnnouncementPage]:
    return list(AnnouncementPage.objects.live().public().order_by("-date", "-first_published_at")[:limit])


def notice_index() -> NoticeIndexPage | None:
    return NoticeIndexPage.objects.live().first()


def announcement_index() -> AnnouncementIndexPage | None:
    return AnnouncementIndexPage.objects.live().first()


# ---------------------------------------------------------------- indicator glossary (指标解释)


@dataclass(frozen=True)
class GlossaryEntry:
    name: str
    unit: str
    explanation: str


NAME_KEYS = ("label", "title", "name", "text")
EXPLANATION_KEYS = ("explanation", "description", "help", "help_text", "hint", "note", "definition")


def _text(value) -> str:
    """A plain string from a string or a {language: text} dict (zh-hans preferred)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict):
        lang = (get_language() or "zh-hans").lower()
        for key in (lang, lang.split("-")[0], "zh-hans", "zh", "zh_hans", "en"):
            if isinstance(value.get(key), str):
                return value[key].strip()
        for item in value.values():
            if isinstance(item, str):
                return item.strip()
    return ""


def glossary_from_definition(definition) -> list[GlossaryEntry]:
    """The indicators of a form definition: every object with a `unit` and a name, in document order.

    The definition format is still evolving, so this reads it structurally: an indicator row is any
    object with a "unit" key and a label/title/name; its explanation is the first of
    explanation/description/help/hint/note. Repeated (name, unit) pairs appear once.
    """
    entries, seen = [], set()

    def walk(node):
        if isinstance(node, dict):
            if "unit" in node:
                name = next((_text(node[k]) for k in NAME_KEYS if _text(node.get(k))), "")
                if name:
                    unit = _text(node.get("unit"))
                    explanation = next((_text(node[k]) for k in EXPLANATION_KEYS if _text(node.get(k))), "")
                    if (name, unit) not in seen:
                        seen.add((name, unit))
                        entries.append(GlossaryEntry(name=name, unit=unit, explanation=explanation))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(definition)
    return entries


def definitions_dir() -> Path:
    return Path(getattr(settings, "CMS_FORMDEFS_DIR", settings.BASE_DIR / "formdefs" / "definitions"))


def monthly_definition() -> dict | None:
    """The monthly report's definition: the first JSON file under formdefs/definitions with indicator rows.

    Files whose name mentions "month" are tried first.
    """
    root = definitions_dir()
    if not root.is_dir():
        return None
    paths = sorted(root.rglob("*.json"), key=lambda p: ("month" not in p.name.lower(), str(p)))
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if glossary_from_definition(data):
            return data
    return None


def glossary_entries() -> list[GlossaryEntry]:
    definition = monthly_definition()
    return glossary_from_definition(definition) if definition else []


# ---------------------------------------------------------------- document library: permissions


def library_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active
                and (user.is_superuser or getattr(user, "is_administrator", False)))


def library_require(user) -> None:
    if not library_user(user):
        raise PermissionDenied


def _shared_with(user) -> QuerySet[LibraryShare]:
    return LibraryShare.objects.filter(group__members=user)


def _shared_folder_q(user, field: str) -> Q:
    q = Q(pk__in=[])
    for path in _shared_with(user).filter(folder__isnull=False).values_list("folder__path", flat=True):
        q |= Q(**{f"{field}__startswith": path})
    return q


def folders_visible(user) -> QuerySet[LibraryFolder]:
    if not library_user(user):
        return LibraryFolder.objects.none()
    q = Q(space=LibrarySpace.ORGANISATION) | Q(owner=user) | _shared_folder_q(user, "path")
    return LibraryFolder.objects.filter(q)


def files_visible(user) -> QuerySet[LibraryFile]:
    if not library_user(user):
        return LibraryFile.objects.none()
    q = (
        Q(folder__space=LibrarySpace.ORGANISATION)
        | Q(folder__owner=user)
        | Q(pk__in=_shared_with(user).filter(file__isnull=False).values("file_id"))
        | _shared_folder_q(user, "folder__path")
    )
    return LibraryFile.objects.filter(q)


def folder_can_view(user, folder: LibraryFolder) -> bool:
    return folders_visible(user).filter(pk=folder.pk).exists()


def file_can_view(user, file: LibraryFile) -> bool:
    return files_visible(user).filter(pk=file.pk).exists()


def folder_can_add(user, folder: LibraryFolder) -> bool:
    """May `user` create folders and upload files inside `folder`?"""
    if not library_user(user):
        return False
    if folder.space == LibrarySpace.ORGANISATION:
        return True
    return folder.owner_id == user.pk


def _creator_in_scope(user, creator_id) -> bool:
    if user.is_superuser or creator_id == user.pk:
        return True
    if creator_id is None:
        return False
    return admin_scope(user).administrators().filter(user_id=creator_id).exists()


def folder_can_change(user, folder: LibraryFolder) -> bool:
    """Rename, move, delete and share a folder (never a space's root)."""
    if folder.is_space_root or not library_user(user):
        return False
    if folder.space == LibrarySpace.PERSONAL:
        return folder.owner_id == user.pk
    return _creator_in_scope(user, folder.created_by_id)


def file_can_change(user, file: LibraryFile) -> bool:
    """Rename, move, delete, share, add a version and set the baseline."""
    if not library_user(user):
        return False
    folder = file.folder
    if folder.space == LibrarySpace.PERSONAL:
        return folder.owner_id == user.pk
    return _creator_in_scope(user, file.created_by_id)


def folder_get_for_view(user, folder_id: int) -> LibraryFolder:
    library_require(user)
    folder = folders_visible(user).filter(pk=folder_id).first()
    if folder is None:
        raise PermissionDenied
    return folder


def file_get_for_view(user, file_id: int) -> LibraryFile:
    library_require(user)
    file = files_visible(user).select_related("folder", "created_by", "baseline").filter(pk=file_id).first()
    if file is None:
        raise PermissionDenied
    return file


# ---------------------------------------------------------------- document library: listings


def library_root(space: str, owner=None) -> LibraryFolder | None:
    qs = LibraryFolder.objects.filter(depth=1, space=space)
    return qs.filter(owner=owner if space == LibrarySpace.PERSONAL else None).first()


def folder_ancestors(folder: LibraryFolder) -> list[LibraryFolder]:
    return list(folder.get_ancestors()) + [folder]


def folder_children(user, folder: LibraryFolder) -> QuerySet[LibraryFolder]:
    return folders_visible(user).filter(path__startswith=folder.path, depth=folder.depth + 1).select_related(
        "created_by").order_by("name")


def _with_latest(qs: QuerySet[LibraryFile]) -> QuerySet[LibraryFile]:
    latest = LibraryFileVersion.objects.filter(file=OuterRef("pk")).order_by("-number")
    return qs.annotate(
        latest_size=Subquery(latest.values("size")[:1]), latest_number=Subquery(latest.values("number")[:1])
    )


def folder_files(user, folder: LibraryFolder) -> QuerySet[LibraryFile]:
    return _with_latest(files_visible(user).filter(folder=folder).select_related("created_by", "baseline")).order_by("name")


def file_version(file: LibraryFile, number=None) -> LibraryFileVersion:
    """A version of a file the caller has already been allowed to see (the latest if `number` is empty)."""
    qs = file.versions.order_by("-number")
    version = qs.filter(number=number).first() if number else qs.first()
    if version is None:
        raise LibraryFileVersion.DoesNotExist
    return version


def file_preview_kind(file: LibraryFile) -> str | None:
    """How a file can be shown in the browser: "image", "text", or None (download only: PDFs included,
    served as attachments, issue 18 §2)."""
    ext = file.extension
    if ext in INLINE_TYPES:
        return "image"
    if ext in TEXT_EXTENSIONS:
        return "text"
    return None


def file_preview_text(version: LibraryFileVersion, *, limit: int = 256 * 1024) -> tuple[str, bool]:
    """The start of a text file, decoded (UTF-8, else GB18030); and whether it was cut."""
    with version.blob.open("rb") as fh:
        data = fh.read(limit + 1)
    cut = len(data) > limit
    data = data[:limit]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), cut
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace"), cut


def library_search(user, *, space: str, query: str) -> tuple[QuerySet, QuerySet]:
    """Folders and files visible to `user` in `space` whose name contains `query` (own personal space only)."""
    folders = folders_visible(user).filter(space=space, depth__gt=1, name__icontains=query)
    files = _with_latest(files_visible(user).filter(folder__space=space, name__icontains=query))
    if space == LibrarySpace.PERSONAL:
        folders, files = folders.filter(owner=user), files.filter(folder__owner=user)
    return folders.order_by("name"), files.select_related("folder", "created_by").order_by("name")


def folders_addable(user, *, space: str) -> list[LibraryFolder]:
    """Targets for copy and move: the folders of `space` the user may add to."""
    qs = LibraryFolder.objects.filter(space=space)
    if space == LibrarySpace.PERSONAL:
        qs = qs.filter(owner=user)
    return [f for f in qs.order_by("path") if folder_can_add(user, f)]


def shares_with_me(user) -> QuerySet[LibraryShare]:
    if not library_user(user):
        return LibraryShare.objects.none()
    return _shared_with(user).exclude(Q(file__folder__owner=user) | Q(folder__owner=user)).select_related(
        "group", "file", "folder", "shared_by").order_by("-created_at").distinct()


def share_groups_for(user) -> QuerySet[ShareGroup]:
    """Share groups `user` created or belongs to (the ones it may share with)."""
    if not library_user(user):
        return ShareGroup.objects.none()
    return ShareGroup.objects.filter(Q(created_by=user) | Q(members=user)).distinct().select_related("created_by")


def share_group_get_for_manage(user, group_id: int) -> ShareGroup:
    library_require(user)
    group = ShareGroup.objects.filter(pk=group_id).first()
    if group is None or not (user.is_superuser or group.created_by_id == user.pk):
        raise PermissionDenied
    return group


def share_group_candidates(user) -> QuerySet:
    """Administrators that may be added to a share group."""
    from accounts.enums import UserKind
    from accounts.models import User

    return User.objects.filter(kind=UserKind.ADMINISTRATOR, is_active=True, admin_profile__isnull=False).order_by("username")


#: The guide documents of 服务支持 (ServiceSupportSettings) offered in the back office's help menu.
HELP_GUIDES = (
    ("submission_guide", gettext_lazy("Submission guide"), 10),
    ("user_manual", gettext_lazy("User manual"), 20),
    ("indicator_guide", gettext_lazy("Indicator guide"), 30),
)


def support_guides(request=None) -> list[tuple[str, str, str]]:
    """The guide documents of 服务支持 that are set, as (field, label, URL), for the back office's help.

    Read once per request (the help menu asks for each item and the dashboard again)."""
    from .models import ServiceSupportSettings

    cached = getattr(request, "_cms_support_guides", None)
    if cached is not None:
        return cached
    support = ServiceSupportSettings.load(request_or_site=request)
    guides = [(field, str(label), getattr(support, field).url) for field, label, _order in HELP_GUIDES
              if getattr(support, f"{field}_id", None) is not None]
    if request is not None:
        request._cms_support_guides = guides
    return guides


# ---------------------------------------------------------------- document library: the listing rows


#: 类型 (the listing's filter): a file's kind by its extension; "folder" lists folders only.
FILE_KINDS = {
    "pdf": {"pdf"},
    "word": {"doc", "docx", "wps"},
    "sheet": {"xls", "xlsx", "et", "csv"},
    "slides": {"ppt", "pptx", "dps"},
    "image": set(INLINE_TYPES),
    "text": {"txt"},
    "archive": {"zip"},
}
KIND_FOLDER = "folder"


@dataclass
class LibraryEntry:
    """One row of a library listing: a folder or a file, with what the table shows.

    `pk` is "folder-<id>" or "file-<id>": Wagtail's bulk-action checkboxes send it as `id`."""

    kind: str
    item: object
    name: str
    url: str
    size: int | None
    version: int | None
    modified_by: str
    modified_at: object
    shared_with: list[str]
    share: LibraryShare | None = None

    @property
    def pk(self) -> str:
        return f"{self.kind}-{self.item.pk}"

    @property
    def is_folder(self) -> bool:
        return self.kind == KIND_FOLDER


def _entries(folders, files, *, shares=None) -> list[LibraryEntry]:
    from django.urls import reverse

    shares = shares or {}
    rows = [LibraryEntry(
        kind=KIND_FOLDER, item=f, name=f.display_name, url=reverse("cms_library:folder", args=[f.pk]), size=None,
        version=None, modified_by=f.created_by.username if f.created_by else "", modified_at=f.created_at,
        shared_with=[s.group.name for s in f.shares.all()], share=shares.get(("folder", f.pk)),
    ) for f in folders]
    rows += [LibraryEntry(
        kind="file", item=f, name=f.name, url=reverse("cms_library:file", args=[f.pk]), size=f.latest_size,
        version=f.latest_number, modified_by=f.latest_uploader or "", modified_at=f.updated_at,
        shared_with=[s.group.name for s in f.shares.all()], share=shares.get(("file", f.pk)),
    ) for f in files]
    return rows


def _listing_files(qs: QuerySet[LibraryFile]) -> QuerySet[LibraryFile]:
    latest = LibraryFileVersion.objects.filter(file=OuterRef("pk")).order_by("-number")
    return _with_latest(qs).annotate(latest_uploader=Subquery(latest.values("uploaded_by__username")[:1])).select_related(
        "folder", "baseline").prefetch_related("shares__group")


def entries_filter(entries: list[LibraryEntry], *, kind: str = "", modified_from=None, modified_to=None,
                   ordering: str = "name") -> list[LibraryEntry]:
    """The rows of one type (FILE_KINDS or "folder") modified in a date range (Asia/Shanghai days), folders
    first as in a file browser, then by `ordering`: "name", "-name", "modified" or "-modified"."""
    from django.utils import timezone

    if kind == KIND_FOLDER:
        entries = [e for e in entries if e.is_folder]
    elif kind:
        extensions = FILE_KINDS.get(kind, set())
        entries = [e for e in entries if not e.is_folder and e.item.extension in extensions]
    if modified_from:
        entries = [e for e in entries if timezone.localtime(e.modified_at).date() >= modified_from]
    if modified_to:
        entries = [e for e in entries if timezone.localtime(e.modified_at).date() <= modified_to]
    field = ordering.lstrip("-")
    key = (lambda e: e.modified_at) if field == "modified" else (lambda e: e.name.lower())
    ordered = sorted(entries, key=key, reverse=ordering.startswith("-"))
    return [e for e in ordered if e.is_folder] + [e for e in ordered if not e.is_folder]


def folder_entries(user, folder: LibraryFolder, *, query: str = "") -> list[LibraryEntry]:
    """A folder's sub-folders and files as listing rows; with `query`, what matches it in the folder's space
    (library_search)."""
    if query:
        folders, files = library_search(user, space=folder.space, query=query)
    else:
        folders, files = folder_children(user, folder), files_visible(user).filter(folder=folder)
    return _entries(folders.select_related("created_by").prefetch_related("shares__group"), _listing_files(files))


def shared_entries(user, *, query: str = "") -> list[LibraryEntry]:
    """与我共享: the files and folders shared with `user` (not its own), one row each, the share on the row."""
    shares = list(shares_with_me(user))
    if query:
        shares = [s for s in shares if query.lower() in (s.file or s.folder).name.lower()]
    by_target = {}
    for share in shares:  # one row per item, however many groups share it
        by_target.setdefault(("file", share.file_id) if share.file_id else ("folder", share.folder_id), share)
    folders = LibraryFolder.objects.filter(pk__in=[pk for kind, pk in by_target if kind == "folder"]).select_related(
        "created_by").prefetch_related("shares__group")
    files = _listing_files(LibraryFile.objects.filter(pk__in=[pk for kind, pk in by_target if kind == "file"]))
    return _entries(folders, files, shares=by_target)


def library_items_for_change(user, ids: list[str]) -> tuple[list, list, list]:
    """The files and folders named by listing ids ("file-<id>", "folder-<id>") that `user` may change, and the
    visible ones it may not; an id it cannot see is left out (as if it did not exist)."""
    file_ids = {int(i[5:]) for i in ids if i.startswith("file-") and i[5:].isdigit()}
    folder_ids = {int(i[7:]) for i in ids if i.startswith("folder-") and i[7:].isdigit()}
    files = list(files_visible(user).filter(pk__in=file_ids).select_related("folder").order_by("name"))
    folders = list(folders_visible(user).filter(pk__in=folder_ids).order_by("path"))
    no_access = [f for f in folders if not folder_can_change(user, f)] + [f for f in files if not file_can_change(user, f)]
    return ([f for f in files if f not in no_access], [f for f in folders if f not in no_access], no_access)
