"""The registration wizard's owner (formdefs.owners.FormOwner): the shipped registration definition,
one draft per account, prefilled from a returned registration, submitted through `enterprise_register`."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from formdefs.owners import FormOwner
from formdefs.selectors import version_current
from formdefs.services import SubmissionBlocked

from .enums import REGISTRATION_FORM_KEY
from .selectors import enterprise_registration_answers, enterprise_registration_of, registration_refusal
from .services import enterprise_register


class RegistrationOwner(FormOwner):
    """企业信息注册 for the logged-in enterprise user."""

    def __init__(self, *, user):
        super().__init__(user=user)
        self.enterprise = enterprise_registration_of(user)

    def get_version(self):
        version = version_current(key=REGISTRATION_FORM_KEY)
        if version is None:
            raise Http404(_("Enterprise registration is not available yet."))
        return version

    def draft_key(self):
        return f"registration:{self.user.pk}"

    def check_permission(self):
        refusal = registration_refusal(self.user, self.enterprise)
        if refusal:
            raise PermissionDenied(refusal)

    def initial_answers(self):
        if self.enterprise is not None:
            return enterprise_registration_answers(self.enterprise)
        user = self.user
        return {k: v for k, v in {"contact": user.real_name, "mobile": user.mobile, "email": user.email}.items() if v}

    def title(self):
        return _("Enterprise registration")

    def submit(self, *, answers, result, explanation, actor):
        try:
            enterprise_register(user=self.user, answers=answers, actor=actor)
        except ValidationError as exc:
            raise SubmissionBlocked(exc.error_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return reverse("enterprises:registration")
