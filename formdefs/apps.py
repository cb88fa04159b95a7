from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormdefsConfig(AppConfig):
    name = "formdefs"
    verbose_name = _("Form definitions")

    def ready(self):
        from .reference_values_admin import reference_values_admin_register

        reference_values_admin_register()
