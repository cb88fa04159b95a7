"""The generic wizard: a formtools WizardView driven by a form definition and an owner.

Customised through formtools' hooks (get_prefix, get_form_list, get_form_kwargs, get_form_initial,
process_step, render_goto_step, get_context_data, done). `get` and `post` are extended only to
resume a stored draft and to add the 保存 (save) and live-state actions.
"""
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import WizardView

from .. import services
from ..engine.definition import localized
from ..enums import Severity
from ..forms.step_form import StepForm
from ..owners import FormOwner
from ..selectors import version_compiled


class DefinitionWizardView(LoginRequiredMixin, WizardView):
    """Fill any definition step by step. Subclasses implement `get_owner()` (see formdefs.owners)."""

    storage_name = "formdefs.storage.DatabaseStorage"
    template_name = "formdefs/wizard.html"
    form_list = [("_", StepForm)]  # replaced per request by get_form_list()

    def get_owner(self) -> FormOwner:
        """The owner of the answers; the extension point for reports, registrations and questionnaires."""
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.owner = self.get_owner()
        self.owner.check_permission()
        self.version = self.owner.get_version()
        self.compiled = version_compiled(self.version)
        self.rule_context = self.owner.rule_context()
        try:
            return super().dispatch(request, *args, **kwargs)
        except services.FormStale as exc:
            # Raised before anything was written (stale_check, the owner's submit, the draft write).
            if request.method != "POST":
                return redirect(request.get_full_path())
            return self.render_stale(exc)

    # -- formtools hooks -------------------------------------------------------------------
    def get_prefix(self, request, *args, **kwargs):
        return services.wizard_prefix(self.owner.draft_key())

    def get_form_prefix(self, step=None, form=None):
        # One form per page: plain field names keep the browser script and the adapters simple.
        return ""

    def get_form_list(self):
        # formtools drops `_resolved_form_list` / `_cache_signature` after a step is stored.
        if not hasattr(self, "_resolved_form_list"):
            answers = self.all_answers() if hasattr(self, "storage") else {}
            hidden = self.compiled.hidden_nodes(answers, self.rule_context)
            self._resolved_form_list = OrderedDict(
                (step["id"], StepForm) for step in self.compiled.index.steps if step["id"] not in hidden)
            self._cache_signature = None
        return self._resolved_form_list

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        last = step == self.steps.last
        # 填报人说明: offered on the last step whenever the definition has non-blocking checks;
        # required only when a severe warning remains (StepForm checks that).
        explain = last and any(r.severity in (Severity.SEVERE, Severity.WARNING) for r in self.compiled.rules)
        prior = {k: v for s, answers in self.stored_answers().items() if s != step for k, v in answers.items()}
        return {"compiled": self.compiled, "step_id": step, "context": self.rule_context,
                "prior_answers": prior, "explain": explain}

    def get_form_initial(self, step):
        return {"__answers__": self.owner.initial_answers(), "explanation": self.owner.initial_explanation()}

    def process_step(self, form):
        extra = self.storage.extra_data
        extra.setdefault("answers", {})[self.steps.current] = form.answers
        extra.setdefault("issues", {})[self.steps.current] = [i.as_dict() for i in form.issues if i.severity != Severity.ERROR]
        extra["version"] = self.version.pk
        if self.request.POST.get("wizard_action") != "save":
            extra["reached"] = max(extra.get("reached", 0), self.steps.index + 1)
        self.storage.extra_data = extra
        return super().process_step(form)

    def render_goto_step(self, goto_step, **kwargs):
        """上一步 and tabs: keep what was typed on this step (a draft), go only to steps already reached."""
        target = list(self.get_form_list()).index(goto_step)
        if target > self.storage.extra_data.get("reached", 0):
            messages.warning(self.request, _("Complete the current step first."))
            goto_step = self.steps.current
        else:
            data = self.request.POST.copy()
            for key in ("csrfmiddlewaretoken", "wizard_goto_step"):
                data.pop(key, None)
            self.storage.set_step_data(self.steps.current, data)
            extra = self.storage.extra_data
            extra["version"] = self.version.pk
            self.storage.extra_data = extra
        return super().render_goto_step(goto_step, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        reached = self.storage.extra_data.get("reached", 0)
        steps = [{"id": s, "title": localized(self.compiled.index.steps[self.compiled.index.step_index[s]], "title"),
                  "index": i, "current": s == self.steps.current, "reachable": i <= reached}
                 for i, s in enumerate(self.get_form_list())]
        issues = []
        stored = self.storage.extra_data.get("issues", {})
        for step in self.get_form_list():
            if step == self.steps.current and form.is_bound and hasattr(form, "cleaned_data"):
                issues += [i.as_dict() for i in form.issues if i.severity != Severity.ERROR]
            else:
                issues += stored.get(step, [])
        warn_names = sorted({f.replace(".", "__") for i in issues for f in i["fields"]})
        # When a step is refused and no error message says so (保存 adds one; 下一步/上报 do not), a banner at
        # the top tells a phone user why nothing moved. Reading the messages here does not drop them.
        failed = form.is_bound and bool(form.errors) and not any(
            m.level == messages.ERROR for m in messages.get_messages(self.request))
        context.update({"owner": self.owner, "version": self.version, "definition": self.compiled.document,
                        "description": localized(self.compiled.document, "description"), "failed": failed,
                        "has_severe": any(i["severity"] == Severity.SEVERE for i in issues),
                        "title": self.owner.title(), "tabs": steps, "issues": issues, "warn_names": warn_names,
                        "layout": form.layout(), "computed": form.live_state()["computed"],
                        "is_preview": not self.owner.saves_drafts, "is_last": self.steps.current == self.steps.last})
        # Called when the template renders, after the storage wrote this request's changes (a stale
        # re-render passes the posted tokens instead).
        context.setdefault("fd_revision", self.storage.current_revision)
        context.setdefault("fd_base_revision", self.owner.revision())
        return context

    def done(self, form_list, **kwargs):
        answers, explanation = {}, ""
        for form in form_list:
            answers.update(form.answers)
            explanation = form.cleaned_data.get("explanation") or explanation
        try:
            url = services.wizard_finish(owner=self.owner, answers=answers, explanation=explanation, actor=self.request.user)
        except services.SubmissionBlocked as exc:
            form = form_list[-1]
            for message in exc.messages:
                form.add_error(None, message)
            return self.render(form)
        messages.success(self.request, _("Submitted."))
        return redirect(url)

    # -- request handling ------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        """Resume the stored draft at its step instead of restarting (formtools' default)."""
        step = self.storage.current_step
        if step not in self.get_form_list():
            step = self.steps.first
            self.storage.current_step = step
        data = self.storage.get_step_data(step)
        return self.render(self.get_form(step=step, data=data))

    def post(self, *args, **kwargs):
        action = self.request.POST.get("wizard_action")
        if action == "state":
            form = self.get_form(data=self.request.POST)
            return JsonResponse(form.live_state())
        self.stale_check()
        if action == "save":
            form = self.get_form(data=self.request.POST)
            if form.is_valid():
                self.storage.set_step_data(self.steps.current, self.process_step(form))
                messages.success(self.request, _("Saved.") if self.owner.saves_drafts else _("Checked (preview: nothing is saved)."))
            else:
                messages.error(self.request, _("Not saved: correct the errors below."))
            return self.render(form)
        return super().post(*args, **kwargs)

    # -- optimistic concurrency (two windows on one draft) ----------------------------------
    def _posted_revision(self, name: str) -> int | None:
        value = self.request.POST.get(name)
        if value is None:
            return None  # a client that sends no token is not checked
        try:
            return int(value)
        except ValueError:
            return -1  # a mangled token never matches: refused like a stale one

    def stale_check(self) -> None:
        """Raise FormStale when the page was loaded before another save of the draft (`fd_revision`) or
        of the owner's answers (`fd_base_revision`); pass the latter on to the owner's `submit`."""
        draft = self._posted_revision("fd_revision")
        if draft is not None and draft != self.storage.revision:
            raise services.DraftStale(self.storage.revision)
        base, current = self._posted_revision("fd_base_revision"), self.owner.revision()
        if base is not None and current is not None:
            if base != current:
                raise services.FormStale(current)
            self.owner.expected_revision = base

    def render_stale(self, exc):
        """The refused post's own step again, with what was typed still in the fields (to copy) and the
        tokens it came with (every further press is refused until the page is reloaded); nothing is saved."""
        self.storage.keep_stored()
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        step = management.cleaned_data["current_step"] if management.is_valid() else None
        if step in self.get_form_list():
            self.storage.current_step = step
        messages.error(self.request, exc.message)
        form = self.get_form(data=self.request.POST)
        return self.render(form, fd_revision=self.request.POST.get("fd_revision", ""),
                           fd_base_revision=self.request.POST.get("fd_base_revision"))

    def stored_answers(self) -> dict:
        return self.storage.extra_data.get("answers", {})

    def all_answers(self) -> dict:
        merged = dict(self.owner.initial_answers())
        for answers in self.stored_answers().values():
            merged.update(answers)
        return merged
