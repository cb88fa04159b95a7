from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned data-integration API (数据对接)."""

    name = "api"
    verbose_name = _("Data integration API")
