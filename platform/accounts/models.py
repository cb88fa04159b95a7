"""Users, SMS codes and outbox, and the administrator tree."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .enums import SmsPurpose, UserKind
from .validators import mobile_validator, user_id_validator


class User(AbstractUser):
    """A login: an enterprise user, an administrator or an editor."""

    username = models.CharField(
        _("login name"),
        max_length=16,
        unique=True,
        validators=[user_id_validator],
        error_messages={"unique": _("This login name is already taken.")},
    )
    mobile = models.CharField(
        _("mobile"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[mobile_validator],
        error_messages={"unique": _("This mobile number is already bound to another account.")},
    )
    real_name = models.CharField(_("real name"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UserKind.choices, default=UserKind.ENTERPRISE)

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_administrator(self) -> bool:
        return self.kind == UserKind.ADMINISTRATOR and hasattr(self, "admin_profile")

    @property
    def is_enterprise_user(self) -> bool:
        return self.kind == UserKind.ENTERPRISE


class SmsCode(models.Model):
    """A one-time 6-digit code sent to a mobile; valid 5 minutes, single use."""

    mobile = models.CharField(max_length=11, db_index=True)
    purpose = models.CharField(max_length=16, choices=SmsPurpose.choices)
    code_hash = models.CharField(max_length=128)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"]), models.Index(fields=["ip", "created_at"])]


class SmsMessage(models.Model):
    """The outbox: every SMS the platform sent, whatever the backend."""

    mobile = models.CharField(_("mobile"), max_length=11, db_index=True)
    text = models.TextField(_("text"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=SmsPurpose.choices)
    backend = models.CharField(max_length=100)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")

    def __str__(self):
        return f"{self.mobile}: {self.text}"


class AdministratorProfile(MP_Node):
    """地方管理员: one node of the administrator tree with a manageable region and flags.

    The national administrator is a root with no region (the whole country).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="admin_profile")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("manageable region")
    )
    organisation = models.CharField(_("organisation"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    can_review_registration = models.BooleanField(_("registration review"), default=False)
    can_review_report = models.BooleanField(_("report review"), default=False)
    can_skip_level = models.BooleanField(_("skip-level receive"), default=False)
    can_one_click = models.BooleanField(_("one-click receive"), default=False)
    can_sms_remind = models.BooleanField(_("SMS reminders"), default=False)

    class Meta:
        verbose_name = _("administrator")
        verbose_name_plural = _("administrators")

    def __str__(self):
        return self.user.username

    @property
    def is_national(self) -> bool:
        return self.region_id is None


class PasswordResetCheckFailure(models.Model):
    """忘记密码: one login name + real name pair that did not match, for the attempt limit."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "created_at"]), models.Index(fields=["ip", "created_at"])]
