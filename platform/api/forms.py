from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import token_enterprise_choices
from .services import NAME_MAX


class TokenCreateForm(forms.Form):
    """新建令牌: a name, and for an enterprise user optionally one of the enterprises it fills."""

    name = forms.CharField(label=_("Token name"), max_length=NAME_MAX,
                           help_text=_("What the token is for, e.g. the name of your own system."))
    enterprise = forms.ModelChoiceField(label=_("Limit to enterprise"), queryset=None, required=False,
                                        empty_label=_("All the enterprises I fill in for"))

    def __init__(self, *args, user, with_enterprise: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if with_enterprise:
            self.fields["enterprise"].queryset = token_enterprise_choices(user=user)
        else:
            del self.fields["enterprise"]
