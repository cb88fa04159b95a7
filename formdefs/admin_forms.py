"""Forms of 报表定义 (the definitions admin)."""
from django import forms
from django.utils.translation import gettext_lazy as _


class DefinitionUploadForm(forms.Form):
    """One JSON definition file; the service reads and checks it (size, UTF-8, JSON, `formdef check`)."""

    file = forms.FileField(label=_("Definition file (JSON)"), widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}))
