"""填报任务: a report type (form definition + frequency) for one period, issued by a province or a city
to the enterprises it chooses; and the enterprises' applications for tasks.

A task's reports are ordinary `reporting.Submission` rows (report_type=task.report_type,
period=task.period), saved, submitted and reviewed by the reporting and workflow services.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.periods import period_key, period_label

from .enums import ApplicationStatus, TaskLevel, TaskStatus


class FilingTask(models.Model):
    """填报任务: fill `report_type` for `period`; issued by `issuing_region` (a province for 省级, a city
    for 市级) to the enterprises of `region_prefix` whose industry starts with `industry_prefix`, and,
    with `requires_application`, only to those whose application was accepted."""

    title = models.CharField(_("task name"), max_length=200)
    report_type = models.ForeignKey("reporting.ReportType", on_delete=models.PROTECT, related_name="filing_tasks",
                                    verbose_name=_("report"))
    period = models.DateField(_("report period"), help_text=_(
        "The first day of the period's last month: the month, the quarter's last month or December "
        "(as the report type's frequency; see reporting.periods)."))
    level = models.CharField(_("level"), max_length=16, choices=TaskLevel.choices)
    issuing_region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("issued by"))
    fill_region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("for enterprises of"),
                                    help_text=_("Empty: the whole issuing region."))
    # Code prefix (2, 4 or 6 digits) of the region whose enterprises may fill: fill_region or issuing_region.
    region_prefix = models.CharField(max_length=6, editable=False, db_index=True)
    industry_prefix = models.CharField(_("industry"), max_length=5, blank=True,
                                       help_text=_("An industry code or its beginning, e.g. I65; empty: every industry."))
    requires_application = models.BooleanField(
        _("accepted applications only"), default=False,
        help_text=_("Only enterprises whose application was accepted may fill the task."))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.DRAFT,
                              db_index=True)
    due_date = models.DateField(_("due date"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-period", "level", "pk"]
        indexes = [models.Index(fields=["status", "region_prefix"], name="filing_task_status_region")]
        verbose_name = _("filing task")
        verbose_name_plural = _("filing tasks")

    def __str__(self):
        return self.title

    @property
    def period_key(self) -> str:
        return period_key(self.period)

    @property
    def period_label(self) -> str:
        """2026年05月 / 2026年第3季度 / 2026年度, by the report type's frequency."""
        return period_label(self.report_type.frequency, self.period)


class FilingApplication(models.Model):
    """填报任务申请: an enterprise asks to fill a task; an administrator of the issuing region decides."""

    task = models.ForeignKey(FilingTask, on_delete=models.CASCADE, related_name="applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE,
                                   related_name="filing_applications")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING, db_index=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reason = models.TextField(_("reason for rejecting"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["task", "enterprise"], name="filing_application_unique")]
        verbose_name = _("filing task application")
        verbose_name_plural = _("filing task applications")

    def __str__(self):
        return f"{self.enterprise} → {self.task}"
