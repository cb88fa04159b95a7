"""Validators for login names, mobiles and passwords (SPEC §3)."""
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Self-registered login names follow the registration page's rule (SPEC §3).
username_validator = RegexValidator(
    r"^[A-Za-z0-9@]{6,16}$",
    _("Login name: 6–16 characters of letters, digits and @, no spaces."),
    code="invalid_username",
)
# Stored user IDs may also carry "_": the IDs administrators are given (sme_ningbo) use it.
user_id_validator = RegexValidator(
    r"^[A-Za-z0-9@_]{4,16}$",
    _("User ID: 4–16 characters of letters, digits, @ and _, no spaces."),
    code="invalid_user_id",
)

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter a valid 11-digit mainland mobile number."), code="invalid_mobile"
)

SMS_CODE_RE = re.compile(r"^\d{6}$")


class NoSpacePasswordValidator:
    """Passwords may not contain white space."""

    def validate(self, password, user=None):
        if re.search(r"\s", password or ""):
            raise ValidationError(_("The password may not contain spaces."), code="password_has_space")

    def get_help_text(self):
        return _("Your password may not contain spaces.")
