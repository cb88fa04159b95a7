from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Excel exports")  # 导出

    def ready(self):
        # Every installed app may declare its export kinds in an `export_kinds.py` module (see README.md).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("export_kinds")

        from .list_exports import list_exports_localise

        list_exports_localise()
