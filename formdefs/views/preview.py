"""Preview (any version, nothing saved) and the demo route that runs a published definition."""
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from ..models import FormAnswer, FormVersion
from ..owners import PreviewOwner, StoredAnswerOwner, parse_period
from ..selectors import version_compiled, version_current, version_previewable
from .wizard import DefinitionWizardView

PREVIEW_SESSION_KEY = "formdefs_preview_result"


def remember_preview(session, version, answers, result) -> None:
    """Keep the last preview result in the session only: a preview saves nothing in the database."""
    session[PREVIEW_SESSION_KEY] = {"version": version.pk, "answers": answers, "issues": [i.as_dict() for i in result.issues]}


class PreviewWizardView(DefinitionWizardView):
    """/forms/preview/<version>/: run a draft or published version with session storage; nothing is saved.

    Only for those who may see the version's source (`version_previewable`, checked by the owner).
    """

    storage_name = "formtools.wizard.storage.session.SessionStorage"

    def get_owner(self):
        version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=self.kwargs["version_id"])
        return PreviewOwner(user=self.request.user, version=version, session=self.request.session)


class PreviewDoneView(LoginRequiredMixin, TemplateView):
    template_name = "formdefs/preview_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = get_object_or_404(FormVersion, pk=self.kwargs["version_id"])
        if not version_previewable(user=self.request.user, version=version):
            raise Http404
        result = self.request.session.get(PREVIEW_SESSION_KEY) or {}
        if result.get("version") != version.pk:
            raise Http404
        context.update(version=version, result=result, rows=_answer_rows(version, result["answers"]))
        return context


class DemoWizardView(DefinitionWizardView):
    """/forms/demo/<key>/?period=YYYY-MM: the published definition for the user's own enterprise.

    A stand-in for the real report flow (#4): answers go to FormAnswer, drafts to the database.
    """

    def get_owner(self):
        version = version_current(key=self.kwargs["key"])
        if version is None:
            raise Http404
        enterprise = self.request.user.enterprises.select_related("industry", "registration_type", "holding_type").first() \
            if hasattr(self.request.user, "enterprises") else None
        kind = version.definition.kind
        period = parse_period(self.request.GET.get("period")) if kind == "report" else None
        return StoredAnswerOwner(user=self.request.user, version=version, key=f"demo:{self.request.user.pk}:{version.definition.key}",
                                 enterprise=enterprise, period=period)


class AnswerView(LoginRequiredMixin, TemplateView):
    """Stored answers of the simple owner, with their issues."""

    template_name = "formdefs/answer.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = get_object_or_404(FormAnswer.objects.select_related("version__definition"), pk=self.kwargs["pk"])
        if answer.user_id != self.request.user.pk and not self.request.user.is_staff:
            raise PermissionDenied
        context.update(answer=answer, version=answer.version, rows=_answer_rows(answer.version, answer.answers),
                       result={"issues": answer.issues})
        return context


def _answer_rows(version, answers: dict) -> list:
    """(label, value) pairs of the top-level answers, for the summary pages."""
    index = version_compiled(version).index
    rows = []
    for field in index.fields:
        if field["id"] in answers:
            rows.append((index.label(field["id"]), answers[field["id"]]))
    return rows
