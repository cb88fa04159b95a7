"""文档管理: the administrators' document library (organisation and personal documents).

Folders (类别) are a treebeard tree per space: one organisation root, and one personal root per
owner. A file keeps every uploaded version; one version may be marked as the baseline (基线).
Files live in private storage (cms.storage), outside Wagtail's public document serving, because
access depends on the owner and the share groups (共享组), which Wagtail collections do not model.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from cms.enums import LibrarySpace
from cms.storage import private_storage


class LibraryFolder(MP_Node):
    """类别: a folder; a root (depth 1) is the top of one space (and, if personal, one owner)."""

    name = models.CharField(_("name"), max_length=200)
    space = models.CharField(_("space"), max_length=16, choices=LibrarySpace.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="library_folders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")

    def __str__(self):
        return self.display_name

    @property
    def is_space_root(self) -> bool:
        return self.depth == 1

    @property
    def display_name(self) -> str:
        """A space's root by the space's name in the reader's language (组织文档 / Organisation documents; a root
        is never renamed, and its stored name is in the language of whoever opened the space first)."""
        return str(LibrarySpace(self.space).label) if self.is_space_root else self.name


def _blob_path(instance, filename):
    # Random names: the stored name never comes from the user.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"library/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class LibraryFile(models.Model):
    """A document in a folder; its content is its latest version."""

    folder = models.ForeignKey(LibraryFolder, on_delete=models.CASCADE, related_name="files", verbose_name=_("folder"))
    name = models.CharField(_("name"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    baseline = models.ForeignKey(
        "LibraryFileVersion", verbose_name=_("baseline version"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["folder", "name"])]

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


class LibraryFileVersion(models.Model):
    """One uploaded version of a file; earlier versions are kept and can be downloaded."""

    file = models.ForeignKey(LibraryFile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    blob = models.FileField(storage=private_storage, upload_to=_blob_path, max_length=255)
    original_name = models.CharField(_("uploaded file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document version")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="cms_library_version_unique")]

    def __str__(self):
        return f"{self.file.name} v{self.number}"


class ShareGroup(models.Model):
    """共享组: a group of administrators that files and folders can be shared with."""

    name = models.CharField(_("group name"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_groups_created",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="library_groups", blank=True, verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("share group")
        verbose_name_plural = _("share groups")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class LibraryShare(models.Model):
    """A file or a folder (with everything below it) shared with a share group, read-only."""

    group = models.ForeignKey(ShareGroup, on_delete=models.CASCADE, related_name="shares")
    folder = models.ForeignKey(LibraryFolder, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    file = models.ForeignKey(LibraryFile, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(folder__isnull=True, file__isnull=False) | models.Q(folder__isnull=False, file__isnull=True),
                name="cms_share_one_target",
            ),
            models.UniqueConstraint(fields=["group", "folder"], name="cms_share_group_folder"),
            models.UniqueConstraint(fields=["group", "file"], name="cms_share_group_file"),
        ]

    @property
    def target(self):
        return self.file or self.folder
