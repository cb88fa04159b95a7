"""Choices of the form-definition engine."""
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class VersionStatus(models.TextChoices):
    """A version moves draft → published (immutable) → retired, never back."""

    DRAFT = "draft", pgettext_lazy("form definition status", "Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Severity(models.TextChoices):
    """How a failed rule acts: error blocks saving, warning marks 数据异常, severe needs an explanation."""

    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")
    SEVERE = "severe", _("Severe warning")


class FormKind(models.TextChoices):
    REPORT = "report", _("Report")
    REGISTRATION = "registration", _("Registration")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    OTHER = "other", _("Other")
