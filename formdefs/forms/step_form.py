"""One wizard step as a Django form, built from a compiled definition."""
from django import forms
from django.utils.translation import gettext as _, gettext_lazy

from ..engine.definition import localized
from ..engine.results import RuleContext
from .builder import step_adapters


def display_number(value) -> str:
    """Computed values as shown, the same on the server and in the browser: 10.0 → 10, 12.345 → 12.35."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


class StepForm(forms.Form):
    """The fields of one step. Hidden fields are not required and their answers are dropped;
    `error` rules of the step become form errors, warnings and severe warnings stay on `issues`.

    `prior_answers` are the answers of the other steps (rules and conditions may read them).
    """

    template_name = "formdefs/step_form.html"
    error_css_class = "has-error"

    def __init__(self, *args, compiled, step_id: str, context: RuleContext | None = None,
                 prior_answers: dict | None = None, explain: bool = False, carry: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.compiled = compiled
        # 带入上期 (`FormOwner.grid_carry`): values shown in empty grid cells; they never enter `clean`.
        self.carry = carry or {}
        self.step_id = step_id
        self.context = context or RuleContext()
        self.prior_answers = prior_answers or {}
        self.issues = []
        self.answers = {}
        self.adapters, fields = step_adapters(compiled, step_id, data=self.data if self.is_bound else None,
                                              initial=self.initial_answers())
        self.fields.update(fields)
        number = 0
        for adapter in self.adapters:
            if not self.is_bound:
                self.initial.update(adapter.to_initial(self.initial_answers()))
            if compiled.document.get("numbering") and adapter.has_answer:
                number += 1
                adapter.number = number
        self.state_answers = {**self.prior_answers, **(self.peek() if self.is_bound else self.initial_answers())}
        self.hidden = compiled.hidden_nodes(self.state_answers, self.context)
        for adapter in self.adapters:
            adapter.hide(self.hidden)
        # Carried cells the clerk cleared (the page listed them as carried, they came back empty): they
        # stay empty, and the page still offers ↺ / 采用 (grid.GridAdapter.carry_cleared).
        # Unbound (no draft of the step): the cells the owner keeps as cleared (CarriedCell.cleared).
        self.carry_cleared = frozenset().union(*(
            a.carry_cleared(self.data if self.is_bound else None, self.carry) for a in self.adapters)) \
            if self.carry else frozenset()
        self.explain = explain
        if explain:
            self.fields["explanation"] = forms.CharField(
                label=gettext_lazy("Filler's note"), help_text=gettext_lazy("Required when severe warnings remain; shown to the reviewers."), required=False,
                widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def initial_answers(self) -> dict:
        return self.initial.get("__answers__", {}) if isinstance(self.initial, dict) else {}

    def peek(self) -> dict:
        answers = {}
        for adapter in self.adapters:
            answers.update(adapter.peek(self.data))
        return answers

    def live_state(self) -> dict:
        """Hidden nodes and computed values for the browser, decided by the same code as validation."""
        if getattr(self, "_live_state", None) is None:
            self._live_state = self._compute_live_state()
        return self._live_state

    def _compute_live_state(self) -> dict:
        answers = self.state_answers
        carry = {path: cell for path, cell in self.carry.items() if path not in self.carry_cleared}
        for adapter in self.adapters if carry else ():
            answers = adapter.with_carry(answers, carry, self.hidden)
        kept = self.compiled.prune(answers, self.hidden)
        self.compiled.compute(kept, self.context, self.hidden)
        computed = {}
        for spec in self.compiled.index.step_fields(self.step_id):
            if spec["type"] == "computed":
                computed[spec["id"]] = kept.get(spec["id"])
            elif spec["type"] == "indicator_grid":
                for row_id, cells in (kept.get(spec["id"]) or {}).items():
                    for column in spec.get("columns", []):
                        if column.get("expr"):
                            computed[f"{spec['id']}.{row_id}.{column['id']}"] = cells.get(column["id"])
        return {"hidden": sorted(self.hidden), "computed": {k: display_number(v) for k, v in computed.items()}}

    def clean(self):
        cleaned = super().clean()
        answers = {}
        for adapter in self.adapters:
            if adapter.id in self.hidden:
                continue
            adapter.clean(cleaned, self.add_error)
            answers.update(adapter.to_answer(cleaned))
        merged = {**self.prior_answers, **answers}
        result = self.compiled.validate(merged, self.context, steps={self.step_id}, check_schema=False, check_required=False)
        step_keys = {spec["id"] for spec in self.compiled.index.step_fields(self.step_id)}
        self.answers = {k: v for k, v in result.answers.items() if k.removesuffix("_other") in step_keys}
        self.issues = list(result.issues)
        for issue in result.errors:
            names = [n for n in (f.replace(".", "__") for f in issue.fields) if n in self.fields]
            if names:
                for name in names:
                    self.add_error(name, issue.message)
            else:
                self.add_error(None, issue.message)
        if self.explain and self.is_valid_so_far():
            self._check_explanation(merged, cleaned)
        return cleaned

    def is_valid_so_far(self) -> bool:
        return not self._errors

    def _check_explanation(self, merged: dict, cleaned: dict) -> None:
        full = self.compiled.validate(merged, self.context, check_schema=False, check_required=False)
        if full.severe and not (cleaned.get("explanation") or "").strip():
            self.add_error("explanation", _("Explain the severe warnings before submitting."))

    def layout(self) -> list:
        """Sections with one render context per field, for the templates."""
        index = self.compiled.index
        step = index.steps[index.step_index[self.step_id]]
        by_id = {a.id: a for a in self.adapters}
        computed = self.live_state()["computed"]
        sections = []
        for section in step.get("sections", []):
            items = [by_id[f["id"]].context(self, self.hidden, computed) for f in section.get("fields", [])]
            sections.append({"spec": section, "title": localized(section, "title"), "help": localized(section, "help"),
                             "columns": section.get("columns", 1), "hidden": section["id"] in self.hidden, "items": items})
        return sections
