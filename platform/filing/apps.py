from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingConfig(AppConfig):
    """Task-based reporting (填报任务): a form definition + a period + a level, filled by chosen enterprises."""

    name = "filing"
    verbose_name = _("Filing tasks")
