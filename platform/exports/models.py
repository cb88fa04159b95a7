"""导出任务: a background Excel export (a task model, as imports.ImportJob)."""
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from ops.task_base import BackgroundTask


def export_storage() -> FileSystemStorage:
    """Private storage outside MEDIA_URL: files are served only by the creator's download view.

    Setting EXPORTS_ROOT; default `<MEDIA_ROOT>/../exports`.
    """
    root = getattr(settings, "EXPORTS_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "exports"
    return FileSystemStorage(location=str(root), base_url=None)


class ExportJob(BackgroundTask):
    """One export of a registered kind (see `exports.registry`) with the parameters it was asked with.

    `processed` counts the rows written so far out of `total` (0 when the kind cannot count them first).
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    params = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(max_length=16, default="zh-hans", help_text=_("The language of the headers."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("exported by"))
    # The columns keep the names they had before the shared task model (`progress`, `error`).
    processed = models.PositiveIntegerField(_("rows written"), default=0, db_column="progress")
    total = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), storage=export_storage, upload_to="%Y/%m/", blank=True, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    message = models.TextField(_("error"), blank=True, db_column="error")

    class Meta(BackgroundTask.Meta):
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self):
        return f"{self.title or self.kind} #{self.pk}"

    @property
    def error(self) -> str:
        """Why the export failed: the filing app's progress page reads it under its old name."""
        return self.message
