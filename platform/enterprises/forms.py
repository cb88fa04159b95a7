"""Portal forms of the enterprises app (input only; the services decide)."""
from django import forms
from django.utils.translation import gettext_lazy as _


class AssociateForm(forms.Form):
    """关联企业: the exact name and unified social credit code of an approved enterprise."""

    name = forms.CharField(label=_("Enterprise name"), max_length=128)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18,
                                  widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Enter the enterprise name.")
        self.fields["credit_code"].error_messages["required"] = _("Enter the unified social credit code.")


class HandoverForm(forms.Form):
    """填报人更换: one of the other users associated with the enterprise."""

    to_user = forms.ModelChoiceField(queryset=None, label=_("Hand the filler role to"), empty_label=_("Choose a user"),
                                     error_messages={"required": _("Choose the user to hand the filler role to."),
                                                     "invalid_choice": _("Choose the user to hand the filler role to.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = candidates
        self.fields["to_user"].label_from_instance = lambda u: f"{u.real_name} ({u.username})" if u.real_name else u.username
