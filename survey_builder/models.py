"""Questionnaires (问卷): a form definition with a schedule and a target, and the enterprises' responses."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import QuestionnaireFrequency, QuestionnaireStatus, QuestionnaireTarget


class Questionnaire(models.Model):
    """问卷: answered by the enterprises it targets, once per period of its frequency, inside its window."""

    code = models.CharField(_("number"), max_length=16, unique=True)
    definition = models.ForeignKey("formdefs.FormDefinition", on_delete=models.PROTECT, related_name="questionnaires")
    title = models.CharField(_("name"), max_length=50)
    description = models.TextField(_("description"), max_length=4000)
    frequency = models.CharField(_("frequency"), max_length=16, choices=QuestionnaireFrequency.choices, default=QuestionnaireFrequency.MONTHLY)
    mandatory = models.BooleanField(_("mandatory"), default=True, help_text=_("必填: the report cannot be submitted before it is answered."))
    status = models.CharField(_("status"), max_length=16, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT, db_index=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    target = models.CharField(_("target"), max_length=16, choices=QuestionnaireTarget.choices, default=QuestionnaireTarget.ALL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.title


class QuestionnaireResponse(models.Model):
    """问卷答卷: one enterprise's answers for one period."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="questionnaire_responses")
    period = models.DateField(_("period"))
    version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "enterprise", "period"], name="response_questionnaire_enterprise_period_unique")]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
