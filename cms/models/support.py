"""服务支持: the service-support block and the guide documents shown on the enterprise home."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="help")
class ServiceSupportSettings(BaseGenericSetting):
    """Administrator contact, hotline, user groups and service hours, plus the three guides."""

    administrator_contact = models.CharField(_("administrator contact"), max_length=200, blank=True)
    hotline = models.CharField(_("service hotline"), max_length=100, blank=True)
    user_groups = models.TextField(_("user groups"), blank=True, help_text=_("For example the enterprise QQ or WeChat groups."))
    service_hours = models.TextField(_("service hours"), blank=True)
    submission_guide = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("submission guide"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    user_manual = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("user manual"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    indicator_guide = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("indicator explanations"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("administrator_contact"), FieldPanel("hotline"), FieldPanel("user_groups"), FieldPanel("service_hours")],
            heading=_("Service support"),
        ),
        MultiFieldPanel(
            [FieldPanel("submission_guide"), FieldPanel("user_manual"), FieldPanel("indicator_guide")],
            heading=_("Guides"),
        ),
    ]

    class Meta:
        verbose_name = _("service support")
