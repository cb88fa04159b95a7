"""API tokens (数据对接令牌) and the remembered outcome of idempotent requests."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A bearer token: acts exactly as its user, scoped like the user.

    Only a SHA-256 digest of the secret is stored; the secret is shown once, when the token is
    created. `enterprise` narrows an enterprise user's token to one of its enterprises.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integration_tokens",
                             verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("token prefix"), max_length=16, db_index=True,
                              help_text=_("The first characters of the token, to recognise it."))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("enterprise"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        # The throttle keys on str(request.auth): the primary key, never the secret.
        return f"api-token-{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotentRequest(models.Model):
    """The outcome of a request sent with an `Idempotency-Key`: a repeat gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    operation = models.CharField(max_length=200, help_text="What the key was first used for (method and path).")
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key_unique")]
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
