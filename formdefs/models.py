"""Form definitions (表单定义), their versions, wizard drafts and stored answers."""
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .enums import FormKind, VersionStatus


class FormDefinition(models.Model):
    """One form (a report, a registration, a questionnaire) identified by its `key`; content lives in versions."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=FormKind.choices, default=FormKind.OTHER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("form definition")
        verbose_name_plural = _("form definitions")

    def __str__(self):
        return f"{self.key} {self.localized_title}"

    @property
    def localized_title(self) -> str:
        """The title in the UI language (its published document's `title_en` in English)."""
        from .engine.localize import localized_title

        return localized_title(self.title, self)


class FormVersion(models.Model):
    """One version of a definition: the JSON document. Published versions never change (services enforce it)."""

    definition = models.ForeignKey(FormDefinition, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True)
    document = models.JSONField(pgettext_lazy("form definition", "document"))
    checksum = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["definition__key", "-number"]
        constraints = [models.UniqueConstraint(fields=["definition", "number"], name="formversion_definition_number_unique")]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")

    def __str__(self):
        return f"{self.definition.key} v{self.number} ({self.get_status_display()})"


class WizardDraft(models.Model):
    """The wizard's state (formtools storage data) for one user and one owner key: 草稿, kept across devices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wizard_drafts")
    key = models.CharField(_("key"), max_length=200)
    version = models.ForeignKey(FormVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts")
    data = models.JSONField(_("wizard data"), default=dict)
    # Optimistic concurrency: +1 on every save; the wizard page carries it, a page loaded before another
    # window's save is refused (`services.DraftStale`) instead of overwriting it.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="wizarddraft_user_key_unique")]
        verbose_name = _("wizard draft")
        verbose_name_plural = _("wizard drafts")


class FormAnswer(models.Model):
    """Answers handed over by the simple owner (`formdefs.owners.StoredAnswerOwner`): preview, demo and tests."""

    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    key = models.CharField(_("key"), max_length=200, db_index=True)
    answers = models.JSONField(_("answers"))
    issues = models.JSONField(_("issues"), default=list)
    explanation = models.TextField(_("explanation"), blank=True)
    is_anomalous = models.BooleanField(_("anomalous data"), default=False)
    submitted_at = models.DateTimeField(pgettext_lazy("form answer", "submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("form answer")
        verbose_name_plural = _("form answers")


class ReferenceValue(models.Model):
    """参考值: a figure a report's rules compare with, kept as data per year (e.g. the national average
    software profit margin, 全国平均软件业务利润率). Rules read it as `ref.<key>` for the report's year;
    without a stored value the rules that read it are skipped. Kept by national administrators
    (Wagtail snippet, `formdefs.reference_values_admin`)."""

    key = models.CharField(_("key"), max_length=64, validators=[RegexValidator(
        r"^[a-z][a-z0-9_]*$", _("Lower-case letters, digits and underscores, starting with a letter."))], help_text=_(
        "The name the rules use after “ref.”, e.g. software_profit_margin_national."))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    label = models.CharField(_("name"), max_length=200)
    source_note = models.TextField(_("source"), blank=True, help_text=_("Where the figure comes from."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["key", "-year"]
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="referencevalue_key_year_unique")]
        verbose_name = _("reference value")
        verbose_name_plural = _("reference values")

    def __str__(self):
        return f"{self.label} ({self.year}): {self.value.normalize():f}"
