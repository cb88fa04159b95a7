"""Questionnaires (问卷): a form definition with a schedule and a target, the designer's draft, distributions
to subordinate administrators, and the enterprises' responses."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import QuestionnaireFrequency, QuestionnaireStatus, QuestionnaireTarget

#: The permission behind the back office's 问卷发布和统计 (granted to the administrators' group, see apps.py).
SURVEY_PERMISSION = "survey_builder.publish_questionnaire"


class Questionnaire(models.Model):
    """问卷: answered by the enterprises it targets, once per period of its frequency, inside its window.

    A draft keeps the designer's state in `design` (never JSON typed by a person); enabling compiles it into
    a published, immutable version of `definition`. A questionnaire made by an administrator applies only to
    enterprises inside that administrator's manageable region.
    """

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
    target_sections = models.JSONField(_("industry sections"), default=list, blank=True)
    target_regions = models.ManyToManyField("regions.Region", blank=True, related_name="+", verbose_name=_("regions"))
    target_sizes = models.JSONField(_("enterprise sizes"), default=list, blank=True)
    design = models.JSONField(_("design"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    enabled_at = models.DateTimeField(_("enabled at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        permissions = [("publish_questionnaire", _("Can design and publish questionnaires and see their statistics"))]

    def __str__(self):
        return self.localized_title

    @property
    def localized_title(self) -> str:
        """The name in the UI language: in English the definition's `title_en` when the name is its title."""
        from formdefs.engine.localize import localized_title

        return localized_title(self.title, self.definition if self.definition_id else None)

    @property
    def is_draft(self) -> bool:
        return self.status == QuestionnaireStatus.DRAFT


class QuestionnaireDistribution(models.Model):
    """分发: the questionnaire is visible to a subordinate administrator (for its enterprises and statistics)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="distributions")
    administrator = models.ForeignKey("accounts.AdministratorProfile", on_delete=models.CASCADE, related_name="questionnaire_distributions")
    distributed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    distributed_at = models.DateTimeField(_("distributed at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["questionnaire", "administrator"], name="distribution_questionnaire_admin_unique")]
        verbose_name = _("questionnaire distribution")
        verbose_name_plural = _("questionnaire distributions")


class QuestionnaireResponse(models.Model):
    """问卷答卷: one enterprise's answers for one period."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="questionnaire_responses")
    period = models.DateField(_("period"))
    version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Optimistic concurrency on the answers, as `Submission.revision`: +1 on every
    # `questionnaire_response_store`; a writer that read revision N stores with expected_revision=N
    # (the answering wizard, the API), so a page or client older than another save is refused.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "enterprise", "period"], name="response_questionnaire_enterprise_period_unique")]
        indexes = [models.Index(fields=["questionnaire", "period"], name="response_questionnaire_period")]
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")


class BankQuestion(models.Model):
    """题库: a question saved from a design, to insert into other questionnaires (the national survey's
    questions are in the bank too, read from its shipped definition: see `services.designer_bank`)."""

    text = models.CharField(_("question"), max_length=500)
    question = models.JSONField(_("question design"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bank question")
        verbose_name_plural = _("bank questions")

    def __str__(self):
        return self.text
