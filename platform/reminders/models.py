"""催报: SMS reminders to enterprises that have not reported a period, and notices to their reviewers."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from ops.task_base import BackgroundTask

from .enums import AUTOMATIC_KINDS, DeliveryOutcome, ReminderKind


class ReminderRun(BackgroundTask):
    """一键催报: one administrator's reminder to every non-reporter of a period, run as a background task.

    The page polls `processed` / `total`; each enterprise's result is a `ReminderDelivery` of the run.
    """

    report_type = models.ForeignKey("reporting.ReportType", on_delete=models.PROTECT, related_name="+", verbose_name=_("report type"))
    period = models.DateField(_("period"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by"))
    total = models.PositiveIntegerField(pgettext_lazy("reminder run", "enterprises"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    failed = models.PositiveIntegerField(_("not sent"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)

    class Meta(BackgroundTask.Meta):
        verbose_name = _("reminder run")
        verbose_name_plural = _("reminder runs")

    def __str__(self):
        return f"{self.period:%Y-%m} #{self.pk}"


class ReminderDelivery(models.Model):
    """One reminder about one enterprise's period: to the enterprise (manual, due soon) or to its reviewer
    (escalation). The automatic kinds are unique per (enterprise, report type, period, kind), which makes
    the beat tasks idempotent."""

    run = models.ForeignKey(ReminderRun, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    report_type = models.ForeignKey("reporting.ReportType", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("period"))
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("enterprise"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    recipient = models.ForeignKey("accounts.AdministratorProfile", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("reviewer notified"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("sent by"), help_text=_("Empty for the automatic reminders."))
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    text = models.TextField(_("text"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=DeliveryOutcome.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    sms = models.ForeignKey("accounts.SmsMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["enterprise", "report_type", "period", "kind"], condition=models.Q(kind__in=[kind.value for kind in AUTOMATIC_KINDS]),
            name="reminder_automatic_once")]
        indexes = [models.Index(fields=["report_type", "period", "enterprise"], name="reminder_period_enterprise")]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.enterprise_id} {self.period:%Y-%m} {self.kind}"
