"""The generic wizard: a formtools WizardView driven by a form definition and an owner.

Customised through formtools' hooks (get_prefix, get_form_list, get_form_kwargs, get_form_initial,
process_step, render_goto_step, get_context_data, done). `get` and `post` are extended only to
resume a stored draft and to add the 保存 (save) and live-state actions.
"""
from collections import OrderedDict
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import WizardView

from .. import services
from ..engine.definition import localized
from ..enums import Severity
from ..forms.step_form import StepForm
from ..owners import FormOwner
from ..selectors import version_compiled


def saved_time(moment) -> str:
    """A draft's save time as the page shows it: HH:MM in Asia/Shanghai, with the date when not today."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return local.strftime("%H:%M") if local.date() == timezone.localdate() else local.strftime("%Y-%m-%d %H:%M")


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
            if not self.writes(request):
                return super().dispatch(request, *args, **kwargs)
            # One unit: the owner's answers (save_progress / submit) and the draft, which formtools writes
            # after the view (storage.update_response). A draft that another window saved meanwhile raises
            # DraftStale only there, after the owner's save: the rollback undoes that save too, so the
            # refusal's "nothing was saved" is true (tests/formdefs/test_wizard_partial_save.py).
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        except services.FormStale as exc:
            # Nothing was written: raised before any write (stale_check, the owner's save on its locked
            # row) or by the draft write, whose transaction rolled back the owner's save with it.
            if request.method != "POST":
                return redirect(request.get_full_path())
            return self.render_stale(exc)

    @staticmethod
    def writes(request) -> bool:
        """A post that may write the owner's answers and the draft (not the live-state and check actions)."""
        return request.method == "POST" and request.POST.get("wizard_action") not in ("state", "check")

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
        # 带入上期 for the page shown; the live-state and check posts read the inputs as they stand.
        carry = {}
        if self.request.POST.get("wizard_action") not in ("state", "check") and any(
                f["type"] == "indicator_grid" for f in self.compiled.index.step_fields(step)):
            carry = self.owner.grid_carry()
        return {"compiled": self.compiled, "step_id": step, "context": self.rule_context,
                "prior_answers": prior, "explain": explain, "carry": carry}

    def get_form_initial(self, step):
        return {"__answers__": self.owner.initial_answers(), "explanation": self.owner.initial_explanation()}

    def process_step(self, form):
        """A valid step: into the draft, and into the owner's answers (`FormOwner.save_progress`) unless
        done() follows and hands everything over anyway."""
        step = self.steps.current
        extra = self.storage.extra_data
        extra.setdefault("answers", {})[step] = form.answers
        extra.setdefault("issues", {})[step] = [i.as_dict() for i in form.issues if i.severity != Severity.ERROR]
        extra.setdefault("carry_cleared", {})[step] = sorted(form.carry_cleared)
        self.owner.carry_cleared = frozenset(p for cells in extra["carry_cleared"].values() for p in cells)
        extra["version"] = self.version.pk
        self.stamp_saved(extra)
        if step in extra.get("unsaved", []):
            extra["unsaved"] = [s for s in extra["unsaved"] if s != step]
        if self.request.POST.get("wizard_action") != "save":
            extra["reached"] = max(extra.get("reached", 0), self.steps.index + 1)
        self.storage.extra_data = extra
        if self.finishing():
            self._finishing_form = form  # saved by done(), or by render_revalidation_failure
        else:
            self.progress_save(form)
        return super().process_step(form)

    def render_goto_step(self, goto_step, **kwargs):
        """上一步 and tabs: keep this step first (`leave_step`), then go, but only to steps already reached."""
        self.leave_step()
        form_list = list(self.get_form_list())
        if goto_step not in form_list or form_list.index(goto_step) > self.storage.extra_data.get("reached", 0):
            messages.warning(self.request, _("Complete the current step first."))
            goto_step = self.steps.current
        return super().render_goto_step(goto_step, **kwargs)

    def render_revalidation_failure(self, step, form, **kwargs):
        """done() was not reached: a step stored earlier does not validate (it was left with errors). The
        last step's answers are kept as 下一步 keeps any other step's, and the failing step opens."""
        finishing = getattr(self, "_finishing_form", None)
        if finishing is not None:
            self.progress_save(finishing)
        self.mark_unsaved(step)
        return super().render_revalidation_failure(step, form, **kwargs)

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
            m.level >= messages.WARNING for m in messages.get_messages(self.request))
        # What the step shows is in neither the draft nor the owner's answers (a refused post), or only in
        # the draft (left with errors): the browser asks before the page or the step is left.
        unsaved = (form.is_bound and bool(form.errors)) or self.steps.current in self.storage.extra_data.get("unsaved", [])
        is_last = self.steps.current == self.steps.last
        # The sparkline on focus (grid_carry.js): one query, only on a step with an indicator grid.
        if any(f["type"] == "indicator_grid" for f in self.compiled.index.step_fields(self.steps.current)):
            context["grid_trends"] = self.owner.grid_trends()
        context.update({"owner": self.owner, "version": self.version, "definition": self.compiled.document,
                        "description": self.owner.description(self.compiled.document), "failed": failed,
                        "has_severe": any(i["severity"] == Severity.SEVERE for i in issues),
                        "title": self.owner.title(), "tabs": steps, "issues": issues, "warn_names": warn_names,
                        "layout": form.layout(), "computed": form.live_state()["computed"],
                        "is_preview": not self.owner.saves_drafts, "unsaved": unsaved,
                        "later_steps": self.owner.later_steps(), "is_last": is_last and self.owner.submits_on_finish,
                        "saved_at": saved_time(self.saved_at()) if self.owner.saves_drafts else "",
                        # The fields show what the draft holds (per-cell saved state, grid_paste.js): not after a
                        # refused 下一步, whose typed values were kept nowhere.
                        "shows_stored": self.owner.saves_drafts and (
                            self.request.method == "GET" or self.request.POST.get("wizard_action") == "save"
                            or not (form.is_bound and form.errors))})
        # Called when the template renders, after the storage wrote this request's changes (a stale
        # re-render passes the posted tokens instead).
        # The preview's session storage keeps no revision: its page carries no token.
        context.setdefault("fd_revision", getattr(self.storage, "current_revision", None))
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
        messages.success(self.request, self.owner.finish_message())
        return redirect(url)

    # -- request handling ------------------------------------------------------------------
    def get(self, request, *args, **kwargs):
        """Resume the stored draft at its step instead of restarting (formtools' default); `?step=<id>`
        opens a step already reached (the link from a page that refused to submit)."""
        step = self.storage.current_step
        form_list = list(self.get_form_list())
        wanted = request.GET.get("step")
        if wanted in form_list and form_list.index(wanted) <= self.storage.extra_data.get("reached", 0):
            step = wanted
        if step not in form_list:
            step = self.steps.first
        if step != self.storage.current_step:
            self.storage.current_step = step
        data = self.storage.get_step_data(step)
        return self.render(self.get_form(step=step, data=data))

    def post(self, *args, **kwargs):
        action = self.request.POST.get("wizard_action")
        if action == "state":
            form = self.get_form(data=self.request.POST)
            return JsonResponse(form.live_state())
        if action == "check":
            # The browser asks before leaving a step only when the step would not be kept (wizard.js).
            return JsonResponse({"valid": self.get_form(data=self.request.POST).is_valid()})
        self.stale_check()
        try:
            if action == "save":
                return self.render_save()
            if "wizard_goto_page" in self.request.POST:
                return self.render_goto_page(self.request.POST["wizard_goto_page"])
            return super().post(*args, **kwargs)
        except services.SubmissionBlocked as exc:
            # The owner refused to keep the step (FormOwner.save_progress): it stays, as typed, unsaved.
            return self.render_progress_refused(exc)

    def render_save(self):
        """保存 always keeps the step as typed (issue 21 §1): a valid one in the draft and the owner's answers,
        an invalid one in the draft only, marked unsaved (上报 refuses it), with its messages shown."""
        form = self.get_form(data=self.request.POST)
        if form.is_valid():
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            if self.owner.saves_drafts:
                messages.success(self.request, _("Saved %(time)s") % {"time": saved_time(self.saved_at())})
            else:
                messages.success(self.request, _("Checked (preview: nothing is saved)."))
        elif not self.owner.saves_drafts:
            messages.error(self.request, _("Not saved: correct the errors below."))
        else:
            self.mark_unsaved(self.steps.current, self.typed_data())
            count = sum(len(errors) if name == NON_FIELD_ERRORS else 1 for name, errors in form.errors.items())
            messages.warning(self.request, ngettext(
                "Draft saved %(time)s; %(count)s entry needs correcting",
                "Draft saved %(time)s; %(count)s entries need correcting", count) % {
                    "time": saved_time(self.saved_at()), "count": count})
        return self.render(form)

    def typed_data(self):
        """The post as the step's data in the draft (without the token and the buttons)."""
        data = self.request.POST.copy()
        for key in ("csrfmiddlewaretoken", "wizard_goto_step", "wizard_goto_page", "wizard_action"):
            data.pop(key, None)
        return data

    def saved_at(self):
        """When this draft last kept a step (保存, 下一步, a tab), from the draft itself; None before that."""
        value = self.storage.extra_data.get("saved_at")
        return datetime.fromisoformat(value) if value else None

    def stamp_saved(self, extra: dict) -> dict:
        extra["saved_at"] = timezone.now().isoformat()
        return extra

    # -- keeping every step (issue 22): valid steps reach the owner, invalid ones stay in the draft --
    def finishing(self) -> bool:
        """This post is 下一步 on the last step: done() follows."""
        post = self.request.POST
        return (self.steps.current == self.steps.last and post.get("wizard_action") not in ("save", "check", "state")
                and "wizard_goto_step" not in post and "wizard_goto_page" not in post)

    def progress_save(self, form) -> None:
        """Hand every step's answers as they now stand to the owner (a valid `form` of the current step)."""
        explanation = form.cleaned_data.get("explanation") if "explanation" in form.fields else None
        services.wizard_progress_save(owner=self.owner, answers=self.all_answers(), explanation=explanation,
                                      actor=self.request.user)

    def mark_unsaved(self, step, data=None) -> None:
        """Keep what was typed on `step` (when `data` is given) in the draft, marked as not in the owner's answers."""
        if data is not None:
            self.storage.set_step_data(step, data)
        extra = self.storage.extra_data
        extra["version"] = self.version.pk
        extra["unsaved"] = sorted(set(extra.get("unsaved", [])) | {step})
        self.stamp_saved(extra)
        self.storage.extra_data = extra

    def leave_step(self) -> bool:
        """Before 上一步, a tab or a later page: a valid step is stored and saved as 下一步 stores it; an
        invalid one keeps what was typed in the draft, marked unsaved (a later 上报 refuses to pass it)."""
        form = self.get_form(data=self.request.POST)
        if form.is_valid():
            self.storage.set_step_data(self.steps.current, self.process_step(form))
            # As formtools does after storing a step: conditions may show or hide steps now.
            for attr in ("_resolved_form_list", "_cache_signature"):
                self.__dict__.pop(attr, None)
            return True
        data = self.request.POST.copy()
        for key in ("csrfmiddlewaretoken", "wizard_goto_step", "wizard_goto_page"):
            data.pop(key, None)
        self.mark_unsaved(self.steps.current, data)
        return False

    def render_goto_page(self, index: str):
        """A later page of the step bar (`FormOwner.later_steps`): keep this step, then open it."""
        self.leave_step()
        pages = self.owner.later_steps()
        page = pages[int(index)] if index.isdigit() and int(index) < len(pages) else None
        if page is None or not page.get("url"):
            messages.warning(self.request, _("Complete the current step first."))
            return self.render(self.get_form(data=self.storage.get_step_data(self.steps.current)))
        return redirect(page["url"])

    def render_progress_refused(self, exc):
        for message in exc.messages:
            messages.error(self.request, message)
        data = self.request.POST.copy()
        for key in ("csrfmiddlewaretoken", "wizard_goto_step", "wizard_goto_page"):
            data.pop(key, None)
        self.mark_unsaved(self.steps.current, data)
        return self.render(self.get_form(data=data))

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
        if draft is not None and hasattr(self.storage, "revision") and draft != self.storage.revision:
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
