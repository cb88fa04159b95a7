"""Review events: the audit trail of every transition (who, when, from, to, reason)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Action
from reporting.enums import SubmissionStatus


class ReviewEvent(models.Model):
    """审核记录: one transition of one report."""

    submission = models.ForeignKey("reporting.Submission", on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text=_("Empty for the platform's automatic checks."))
    from_status = models.CharField(_("from"), max_length=16, choices=SubmissionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=SubmissionStatus.choices)
    from_holder = models.ForeignKey("accounts.AdministratorProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_holder = models.ForeignKey("accounts.AdministratorProfile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    answers = models.JSONField(_("answers at the time"), null=True, blank=True, editable=False,
                               help_text=_("A return's snapshot of the report's answers, to show what changed since."))
    flagged_fields = models.JSONField(_("flagged cells"), default=list, blank=True, editable=False, help_text=_(
        "A return's cells the reviewer questions: answer paths (grid.row.column, or a field id)."))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
