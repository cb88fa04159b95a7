"""企业上报导入 (SPEC §10): an administrator's Excel file of many enterprises' reports for one month."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.storage import private_storage
from ops.task_base import BackgroundTask

from .enums import RowOutcome


class ImportJob(BackgroundTask):
    """One uploaded batch file and where its import stands; processed in chunks by a Celery task.

    `processed` counts the file's rows handled so far (one `ImportRow` each), so a chunk that stops
    resumes after the last row it finished. `total` is the number of enterprise rows, counted when
    the first chunk starts.
    """

    report_type = models.ForeignKey("reporting.ReportType", on_delete=models.PROTECT, related_name="+", verbose_name=_("report type"))
    version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"))
    # Private (CMS_PRIVATE_ROOT, never URL-served): the file is served by the job's download view only,
    # to the administrators who may see the job (`imports.selectors.import_jobs_for`).
    file = models.FileField(_("file"), storage=private_storage, upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    language = models.CharField(max_length=16, default="zh-hans", help_text=_("The language of the row messages."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by"))
    total = models.PositiveIntegerField(_("rows"), default=0)
    imported = models.PositiveIntegerField(_("imported"), default=0)
    refused = models.PositiveIntegerField(_("not imported"), default=0)
    #: Row messages recorded so far and those left out once IMPORT_JOB_MAX_MESSAGES were recorded.
    messages_listed = models.PositiveIntegerField(default=0)
    messages_left_out = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta(BackgroundTask.Meta):
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"{self.file_name} ({self.period:%Y-%m})"


class ImportRow(models.Model):
    """The outcome of one row of the file: imported (with its report) or not, and the messages."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(help_text=_("The row's place in the file's order, from 1."))
    sheet = models.CharField(_("sheet"), max_length=64)
    row_number = models.PositiveIntegerField(_("row"))
    credit_code = models.CharField(_("unified social credit code"), max_length=64, blank=True)
    name = models.CharField(_("enterprise name"), max_length=255, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submission = models.ForeignKey("reporting.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=RowOutcome.choices)
    messages = models.JSONField(_("messages"), default=list)

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="import_row_once")]
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")

    def __str__(self):
        return f"{self.sheet} {self.row_number}: {self.outcome}"
