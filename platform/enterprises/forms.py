"""Forms of the enterprises app, portal and back office (input only; the services decide)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import RETURN_REASON_MAX_LENGTH


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


# -- back office ---------------------------------------------------------------------------------

class RegistrationReturnForm(forms.Form):
    """退回 a registration: the reason, at most 150 characters (SPEC §4)."""

    reason = forms.CharField(label=_("Reason for returning"), max_length=RETURN_REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3, "maxlength": RETURN_REASON_MAX_LENGTH}),
                             error_messages={"required": _("Give the reason for returning the registration.")})


class ReviewerChangeForm(forms.Form):
    """批量更换直接审核员: one administrator of the actor's subtree (the service checks the regions)."""

    reviewer = forms.ModelChoiceField(queryset=None, label=_("New direct reviewer"), empty_label=_("Choose an administrator"),
                                      help_text=_("The new reviewer's manageable region must contain the region of every "
                                                  "selected enterprise."),
                                      error_messages={"required": _("Choose the new direct reviewer."),
                                                      "invalid_choice": _("Choose the new direct reviewer.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = candidates
        self.fields["reviewer"].label_from_instance = lambda p: (
            f"{p.user.username} · {p.region.name if p.region else _('Whole country')}"
            + (f" · {p.organisation}" if p.organisation else ""))
