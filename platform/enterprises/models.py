"""Enterprises (企业) and their registration profile (SPEC §4)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from regions.enums import EnterpriseSize

from .enums import EnterpriseAction, RegistrationStatus
from .validators import validate_uscc


class Enterprise(models.Model):
    """A monitored enterprise. Only approved, enabled enterprises report."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("registered by")
    )
    name = models.CharField(_("enterprise name"), max_length=128, unique=True, error_messages={"unique": _("Enterprise name already exists.")})
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc],
        error_messages={"unique": _("Organisation code already exists.")},
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64)
    industry = models.ForeignKey("regions.Industry", on_delete=models.PROTECT, verbose_name=_("industry"))
    # Denormalised section letter of `industry`, kept by save(): the summaries group by it without
    # joining the industry table for each of a month's facts (analytics.selectors.common.group_expression).
    industry_section = models.CharField(max_length=1, blank=True, editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"))
    # Denormalised six-digit code of `region`, for prefix scoping without a join (see AdminScope.region_q).
    region_code = models.CharField(max_length=6, db_index=True, editable=False)
    registration_type = models.ForeignKey("regions.RegistrationType", on_delete=models.PROTECT, verbose_name=_("registration type"))
    holding_type = models.ForeignKey("regions.HoldingType", on_delete=models.PROTECT, verbose_name=_("holding type"))
    size = models.CharField(_("enterprise size"), max_length=8, choices=EnterpriseSize.choices)
    revenue_last_year = models.DecimalField(_("operating revenue last year (thousand yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    employees_last_year = models.PositiveIntegerField(_("employees at last year end"), null=True, blank=True)
    assets_last_year = models.DecimalField(_("total assets at last year end (thousand yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    is_listed = models.BooleanField(_("listed"), default=False)
    stock_code = models.CharField(_("stock code"), max_length=16, blank=True)
    address = models.CharField(_("postal address"), max_length=255)
    postcode = models.CharField(_("postcode"), max_length=6)
    opened_on = models.DateField(_("opening date"))
    website = models.URLField(_("website"), blank=True)
    contact = models.CharField(_("contact person"), max_length=64)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    fax = models.CharField(_("fax"), max_length=32, blank=True)
    mobile = models.CharField(_("mobile"), max_length=11, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    main_business = models.TextField(_("main business / products"))
    status = models.CharField(_("registration status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT, db_index=True)
    return_reason = models.CharField(_("return reason"), max_length=150, blank=True)
    is_disabled = models.BooleanField(_("disabled"), default=False)
    direct_reviewer = models.ForeignKey(
        "accounts.AdministratorProfile", null=True, blank=True, on_delete=models.PROTECT,
        related_name="reviewed_enterprises", verbose_name=_("direct reviewer"),
    )
    # 填报员: the one user who fills and submits this enterprise's reports (SPEC §4, Shanghai variant).
    filler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="filled_enterprises", verbose_name=_("filler"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(pgettext_lazy("registration", "submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.industry_id is not None and self.industry.section != self.industry_section:
            self.industry_section = self.industry.section
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "industry_section"}
        super().save(*args, **kwargs)


class EnterpriseAssociation(models.Model):
    """关联企业: a personal user associated with an approved enterprise (Shanghai variant, SPEC §4).

    The registrant and the filler count as associated without a row (see selectors.enterprises_for_user).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_associations", verbose_name=_("user"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="associations", verbose_name=_("enterprise"))
    created_at = models.DateTimeField(_("associated at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="enterprise_association_unique")]
        ordering = ["created_at", "id"]
        verbose_name = _("enterprise association")
        verbose_name_plural = _("enterprise associations")

    def __str__(self):
        return f"{self.user} → {self.enterprise}"


class EnterpriseEvent(models.Model):
    """Audit trail of registrations and filler changes: who, when, from, to, reason.

    Kept when a registration is deleted (the name is copied for that reason).
    """

    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", verbose_name=_("enterprise"))
    enterprise_name = models.CharField(_("enterprise name"), max_length=128)
    action = models.CharField(_("action"), max_length=32, choices=EnterpriseAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("actor"))
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enterprise event")
        verbose_name_plural = _("enterprise events")

    def __str__(self):
        return f"{self.enterprise_name}: {self.action}"
