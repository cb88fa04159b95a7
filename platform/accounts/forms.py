"""Account forms: they parse input; the services decide."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import mobile_validator, username_validator

SMS_CODE_FIELD = dict(
    label=_("SMS code"),
    min_length=6,
    max_length=6,
    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}),
)


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Login name"), max_length=16, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class SmsCodeForm(forms.Form):
    code = forms.RegexField(regex=r"^\d{6}$", error_messages={"invalid": _("Enter the 6-digit code.")}, **SMS_CODE_FIELD)


class PasswordPairMixin(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "data-strength": "1"}))
    password2 = forms.CharField(label=_("Confirm password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class RegisterForm(PasswordPairMixin):
    username = forms.CharField(
        label=_("Login name"), max_length=16, validators=[username_validator],
        help_text=_("6–16 characters: letters, digits and @, no spaces."),
    )
    real_name = forms.CharField(label=_("Real name"), max_length=32)
    email = forms.EmailField(label=_("E-mail"))
    mobile = forms.CharField(label=_("Mobile"), max_length=11, validators=[mobile_validator], widget=forms.TextInput(attrs={"inputmode": "tel"}))
    sms_code = forms.CharField(**SMS_CODE_FIELD)
    field_order = ["username", "password", "password2", "real_name", "email", "mobile", "sms_code"]


class SendCodeForm(forms.Form):
    mobile = forms.CharField(label=_("Mobile"), max_length=11, validators=[mobile_validator])


class ForgotPasswordForm(PasswordPairMixin):
    username = forms.CharField(label=_("Login name"), max_length=16)
    real_name = forms.CharField(label=_("Real name"), max_length=32)
    sms_code = forms.CharField(**SMS_CODE_FIELD)
    field_order = ["username", "real_name", "password", "password2", "sms_code"]


class ForgotSendCodeForm(forms.Form):
    username = forms.CharField(max_length=16)
    real_name = forms.CharField(max_length=32)


class ChangeMobileForm(forms.Form):
    password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput)
    new_mobile = forms.CharField(label=_("New mobile"), max_length=11, validators=[mobile_validator])
    sms_code = forms.CharField(**SMS_CODE_FIELD)
