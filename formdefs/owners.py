"""Owners: who a wizard fills answers for. This is the extension point for #4 and later issues.

A report submission, an enterprise registration or a questionnaire response subclasses
`FormOwner` and a wizard view returns it from `get_owner()`:

    class ReportOwner(FormOwner):
        def __init__(self, *, user, submission): ...
        def get_version(self): return self.submission.form_version
        def draft_key(self): return f"report:{self.submission.pk}"
        def rule_context(self): return RuleContext(enterprise=..., period=..., prev=..., last_year=...)
        def initial_answers(self): return self.submission.answers or {...}
        def submit(self, *, answers, result, explanation, actor): submission_submit(...); return url

    class ReportWizardView(DefinitionWizardView):
        def get_owner(self): return ReportOwner(user=self.request.user, submission=...)
"""
import datetime

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from .engine import RuleContext, ValidationResult
from .engine.localize import localized
from .models import FormVersion


class FormOwner:
    """The interface between the generic wizard and whatever owns the answers.

    Subclasses implement `get_version`, `draft_key` and `submit`; the others have defaults.
    """

    #: Keep drafts in the database (a draft survives logout and a change of device).
    saves_drafts = True
    #: `save_progress` keeps the answers as each valid step is left (the wizard skips the work otherwise).
    saves_progress = False
    #: `submit` hands the answers over for good (a registration, a questionnaire): the last step's button
    #: says 上报 and the message after it says so. False when a later page submits (the report's
    #: 调查问卷 and 上报 page): the last step's button says 下一步.
    submits_on_finish = True
    #: The `revision()` the posting page was loaded with, set by the wizard before `submit` (None: no check).
    expected_revision: int | None = None
    #: 带入上期: the carried grid cells the clerk cleared on the draft's steps (`StepForm.carry_cleared`), set
    #: by the wizard before `save_progress` / `submit`, for an owner that keeps them with its answers.
    carry_cleared: frozenset = frozenset()

    def __init__(self, *, user):
        self.user = user

    def get_version(self) -> FormVersion:
        """The definition version to fill (a submission keeps the version it was started with)."""
        raise NotImplementedError

    def draft_key(self) -> str:
        """A stable key of this fill-in (e.g. `report:123`); drafts are kept per user and key."""
        raise NotImplementedError

    def check_permission(self) -> None:
        """Raise PermissionDenied when `user` may not fill this form."""

    def rule_context(self) -> RuleContext:
        """`enterprise`, `period`, `prev`, `last_year` for rules and conditions (absent ones skip rules)."""
        return RuleContext()

    def initial_answers(self) -> dict:
        """Answers shown before anything is saved (e.g. the last approved profile)."""
        return {}

    def grid_carry(self) -> dict:
        """{grid cell path: forms.grid.CarriedCell}: values the platform knows for grid cells left
        empty (带入上期, e.g. last year's approved figures); none by default."""
        return {}

    def grid_trends(self) -> dict:
        """Each grid indicator's recent approved values, for the sparkline shown on focus (grid_carry.js):
        {"grid": id, "rows": {row id: {"label", "unit", "points": [[YYYY-MM, value], ...]}}}; none by default."""
        return {}

    def revision(self) -> int | None:
        """The stored answers' revision (optimistic concurrency, e.g. the report's; 0: nothing stored yet).

        The wizard page carries it; a post from a page loaded before another save is refused, and
        `submit` should pass `expected_revision` on to its service and raise `services.FormStale` when
        that service finds it stale. None (the default): this owner does not track one.
        """
        return None

    def initial_explanation(self) -> str:
        """The filler's note shown before anything is typed (e.g. the note of a report being corrected)."""
        return ""

    def title(self) -> str:
        return localized(self.get_version().document, "title")

    def description(self, document: dict) -> str:
        """The intro shown under the title: the definition's `description` (a questionnaire says its own)."""
        return localized(document, "description")

    def back_link(self) -> dict | None:
        """`{"url": ..., "label": ...}` of the page this fill-in was opened from (a questionnaire answered
        for a report links back to it), shown above the form; None: no link."""
        return None

    def submit(self, *, answers: dict, result: ValidationResult, explanation: str, actor) -> str:
        """Take the validated answers (hidden ones dropped, computed filled); return the URL to show next."""
        raise NotImplementedError

    def save_progress(self, *, answers: dict, explanation: str | None, actor) -> None:
        """Keep the answers as they stand each time a valid step is left or saved (下一步, 上一步, a tab,
        保存), so that a later page (the report's 上报) works on what the user last saw. Called only
        when `saves_progress` is set.

        `answers` are the stored ones with every step of the wizard merged in, hidden ones dropped and
        computed ones filled; required values of steps not filled yet may still be missing.
        `explanation` is None when the step shown has no filler's note (keep the stored one). Raise
        `services.SubmissionBlocked` to refuse: the step stays, with the messages.
        """

    def finish_message(self) -> str:
        """The message shown after `submit` succeeded: it must say only what has happened."""
        return _("Submitted.") if self.submits_on_finish else _("Saved.")

    def later_steps(self) -> list[dict]:
        """Pages after the wizard's own steps, listed in its step bar from the start (the report's
        4. 调查问卷): `[{"title": ..., "url": ... or None while it cannot be opened}]`. Pressing one keeps
        the step shown as a tab does, then opens the url."""
        return []


class PreviewOwner(FormOwner):
    """Runs any version, draft or published, without saving anything (the questionnaire designer's preview)."""

    saves_drafts = False

    def __init__(self, *, user, version: FormVersion, context: RuleContext | None = None, session=None):
        super().__init__(user=user)
        self.version, self.context, self.session = version, context or RuleContext(), session

    def get_version(self):
        return self.version

    def draft_key(self):
        return f"preview:{self.version.pk}"

    def check_permission(self):
        # 404, not 403: a version the user may not preview (another region's draft questionnaire) stays unseen.
        from .selectors import version_previewable

        if not version_previewable(user=self.user, version=self.version):
            raise Http404

    def rule_context(self):
        return self.context

    def finish_message(self):
        return _("Preview finished: nothing was submitted.")

    def submit(self, *, answers, result, explanation, actor):
        from .views.preview import remember_preview

        if self.session is not None:
            remember_preview(self.session, self.version, answers, result)
        return reverse("formdefs:preview-done", args=[self.version.pk])


class StoredAnswerOwner(FormOwner):
    """A simple owner that stores answers as FormAnswer rows keyed by `key` (demo, tests).

    With `period` set, `prev` and `last_year` are the answers stored under the same key pattern
    for last month and for the same month last year.
    """

    def __init__(self, *, user, version: FormVersion, key: str, enterprise=None, period: tuple | None = None):
        super().__init__(user=user)
        self.version, self.key, self.enterprise, self.period = version, key, enterprise, period

    def get_version(self):
        return self.version

    def period_key(self, year: int, month: int) -> str:
        return f"{self.key}:{year:04d}-{month:02d}"

    def draft_key(self):
        return self.period_key(*self.period) if self.period else self.key

    def rule_context(self):
        from .selectors import enterprise_profile, form_answer_latest

        period = prev = last_year = None
        if self.period:
            year, month = self.period
            period = {"year": year, "month": month}
            prev_period = (year, month - 1) if month > 1 else (year - 1, 12)
            prev_answer = form_answer_latest(key=self.period_key(*prev_period))
            last_answer = form_answer_latest(key=self.period_key(year - 1, month))
            prev = prev_answer.answers if prev_answer else None
            last_year = last_answer.answers if last_answer else None
        from .reference_values import YearReferenceValues

        ref = YearReferenceValues(period["year"]) if period else None
        return RuleContext(enterprise=enterprise_profile(self.enterprise), period=period, prev=prev, last_year=last_year,
                           ref=ref)

    def initial_answers(self):
        from .selectors import enterprise_initial_answers

        return enterprise_initial_answers(self.enterprise)

    def submit(self, *, answers, result, explanation, actor):
        from .services import form_answer_store

        answer = form_answer_store(version=self.version, user=self.user, key=self.draft_key(), result=result, explanation=explanation)
        return reverse("formdefs:answer", args=[answer.pk])


def parse_period(text: str | None, today: datetime.date | None = None) -> tuple[int, int]:
    """`2026-02` → (2026, 2); default: last month (reports are filled for the month just ended)."""
    if text:
        try:
            year, month = (int(p) for p in text.split("-", 1))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return year, month
        except ValueError:
            pass
    today = today or datetime.date.today()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
