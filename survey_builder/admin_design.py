"""问卷设计 (the six designer steps) in the back office: one view per step, htmx partials, autosave."""
from copy import deepcopy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from formdefs.engine import compile_document
from formdefs.forms.step_form import StepForm

from . import design as designs
from . import selectors, services
from .admin_forms import ThemeForm
from .enums import BRANCHING_TYPES, SPECIFY_TYPES, DesignStep, FillKind, QuestionType
from .admin_views import _refused, _render, _step_url, _visible
from .models import Questionnaire


def _goto_step(action: str) -> int | None:
    """The step of a step tab (`goto:3`): tabs submit the page's form, so moving never discards an edit."""
    if action.startswith("goto:") and action[5:].isdigit() and int(action[5:]) in DesignStep.values:
        return int(action[5:])
    return None


def _redirect(request, url: str):
    """A redirect, or for an htmx request the header that makes htmx load the page."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _after_save(request, questionnaire, step: int):
    action = request.POST.get("action", "save")
    if action == "list":
        return _redirect(request, reverse("survey_admin:list"))
    if action == "prev" and step > 1:
        return _redirect(request, _step_url(questionnaire, step - 1))
    if action == "next" and step < DesignStep.ENABLE:
        return _redirect(request, _step_url(questionnaire, step + 1))
    if _goto_step(action):
        return _redirect(request, _step_url(questionnaire, _goto_step(action)))
    return _redirect(request, _step_url(questionnaire, step))


def _posted_revision(request) -> int | None:
    """The revision token the page was drawn with (absent for a client that does not send one)."""
    value = request.POST.get("revision", "")
    return int(value) if value.isdigit() else None


def _design_page(request, questionnaire, step: int, **context):
    steps = [{"number": s.value, "label": s.label, "current": s.value == step,
              "url": _step_url(questionnaire, s.value) if questionnaire else ""} for s in DesignStep]
    title = questionnaire.title if questionnaire else _("New questionnaire")
    context.setdefault("revision", services.design_revision(questionnaire) if questionnaire else 0)
    return _render(request, f"survey_builder/admin/step_{step}.html", title=title,
                   crumbs=[] if questionnaire is None else [], questionnaire=questionnaire, steps=steps, step=step, **context)


def design_new(request):
    """新增: step 1 of a questionnaire that does not exist yet."""
    scope = selectors.survey_scope(request.user)
    form = ThemeForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            questionnaire = services.questionnaire_create(actor=request.user, theme=form.theme())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _after_save(request, questionnaire, DesignStep.THEME)
    return _design_page(request, None, DesignStep.THEME, form=form)


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _draft(request, pk) -> Questionnaire | None:
    questionnaire = _visible(request, pk)
    if questionnaire.created_by_id != request.user.pk or not questionnaire.is_draft:
        messages.error(request, _("An enabled questionnaire cannot change; copy it to make a new one.")
                       if not questionnaire.is_draft else _("Only the administrator who created this questionnaire may change it."))
        return None
    return questionnaire


def design_step(request, pk, step):
    selectors.survey_scope(request.user)
    questionnaire = _draft(request, pk)
    if questionnaire is None:
        return redirect("survey_admin:list")
    handler = STEP_HANDLERS.get(step)
    if handler is None:
        raise Http404
    return handler(request, questionnaire)


def _step_theme(request, questionnaire):
    scope = selectors.survey_scope(request.user)
    form = ThemeForm(request.POST or None, scope=scope, initial=ThemeForm.initial_of(questionnaire))
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_theme_update(questionnaire=questionnaire, actor=request.user, theme=form.theme())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return _after_save(request, questionnaire, DesignStep.THEME)
    return _design_page(request, questionnaire, DesignStep.THEME, form=form)


def _question_rows(design: dict, problems=()) -> list[dict]:
    by_question = {}
    for qid, message in problems:
        by_question.setdefault(qid, []).append(message)
    rows = []
    for number, question in enumerate(designs.questions(design), 1):
        rows.append({"q": question, "number": number, "type_label": QuestionType(question["type"]).label,
                     "has_options": designs.has_options(question), "has_rows": designs.has_rows(question),
                     "specify": question["type"] in SPECIFY_TYPES, "branching": question["type"] in BRANCHING_TYPES,
                     "errors": by_question.get(question["id"], []), "first": number == 1,
                     "last": number == len(designs.questions(design)),
                     "options_text": "\n".join(o.get("label", "") for o in question.get("options", [])),
                     "rows_text": "\n".join(r.get("label", "") for r in question.get("rows", [])),
                     "condition": designs.show_if_text(design, question.get("show_if")),
                     # a multi-line paste into the text box of a question whose options are still empty fills them too
                     "paste_options": designs.has_options(question) and not any(
                         o.get("label", "").strip() for o in question.get("options", []) if not o.get("specify"))})
    return rows


def design_preview(questionnaire, design: dict | None = None) -> list:
    """The whole draft rendered by the engine as a respondent sees it (beside the editor): every question shown,
    branches and show-if conditions left out (the editor names them)."""
    design = design if design is not None else questionnaire.design or designs.design_new()
    shown = {"numbering": design.get("numbering", True),
             "questions": [{k: v for k, v in q.items() if k not in ("branches", "show_if")} for q in designs.questions(design)]}
    if not shown["questions"]:
        return []
    document = designs.document_build(shown, designs.DocumentMeta(key="design_preview", title=questionnaire.title, description=""))
    return StepForm(compiled=compile_document(document), step_id="survey").layout()


def _questions_context(request, questionnaire, design: dict, problems=(), notes=(), focus: str = "") -> dict:
    from .services.designer_bank import bank_questions

    return {"rows": _question_rows(design, problems), "types": QuestionType.choices, "preview": design_preview(questionnaire, design),
            "notes": list(notes), "errors": [m for q, m in problems if not q], "focus": focus,
            "can_undo": bool(design.get("undo")), "bank": bank_questions(actor=request.user),
            "saved_at": timezone.localtime() if request.method == "POST" else None}


def _questions_page(request, questionnaire, design=None, problems=(), notes=(), focus="", status=200):
    design = design if design is not None else questionnaire.design
    response = _design_page(request, questionnaire, DesignStep.QUESTIONS,
                            **_questions_context(request, questionnaire, design, problems, notes, focus))
    response.status_code = status
    return response


def _focus_after(op: str, before: dict, after: dict) -> str:
    """The input to focus once an edit is drawn again: the new option after Enter, the new question."""
    name, *args = op.split(":")
    if name == "question_paste" and args:
        return f"q-{args[0]}-text"
    if name in ("item_after", "item_add", "item_paste") and len(args) >= 2:
        question = next((q for q in designs.questions(after) if q["id"] == args[0]), None)
        old = next((q for q in designs.questions(before) if q["id"] == args[0]), {})
        if question is not None:
            old_ids = {i["id"] for i in old.get(args[1], [])}
            new = [i["id"] for i in question.get(args[1], []) if i["id"] not in old_ids]
            if new:
                return f"q-{args[0]}-{args[1]}-{new[-1]}"
    if name in ("add", "copy", "bank_insert") or op == "undo":
        old_ids = {q["id"] for q in designs.questions(before)}
        new = [q["id"] for q in designs.questions(after) if q["id"] not in old_ids]
        if new:
            return f"q-{new[-1]}-text"
    return ""


def _typed(design: dict, data) -> dict:
    """The draft with what the page typed, not saved: drawn again when a write is refused, so no input is lost."""
    shown = deepcopy(design)
    designs.texts_apply(shown, data)
    return shown


def _step_questions(request, questionnaire):
    if request.method != "POST":
        return _questions_page(request, questionnaire)
    op = request.POST.get("op", "")
    action = request.POST.get("action", "")
    before = questionnaire.design or designs.design_new()
    try:
        if op.startswith("bank_insert:"):
            from .services.designer_bank import bank_question_get

            if request.POST:  # the typed texts first, then the bank question
                questionnaire, _dropped = services.questionnaire_questions_edit(
                    questionnaire=questionnaire, actor=request.user, data=request.POST, expected_revision=_posted_revision(request))
            questionnaire = services.questionnaire_question_insert(
                questionnaire=questionnaire, actor=request.user,
                question=bank_question_get(actor=request.user, key=op[12:] or request.POST.get("bank", "")))
            dropped = []
        elif op.startswith("bank_save:"):
            from .services.designer_bank import bank_question_save

            questionnaire, dropped = services.questionnaire_questions_edit(
                questionnaire=questionnaire, actor=request.user, data=request.POST, expected_revision=_posted_revision(request))
            bank_question_save(questionnaire=questionnaire, actor=request.user, qid=op[10:])
            dropped = [_("Saved to the question bank.")]
        else:
            questionnaire, dropped = services.questionnaire_questions_edit(
                questionnaire=questionnaire, actor=request.user, data=request.POST, op=op,
                text=_op_text(request, op), expected_revision=_posted_revision(request))
    except designs.DesignError as exc:
        if request.POST.get("autosave"):
            return _autosave_answer(request, questionnaire, problems=exc.problems, status=409 if isinstance(exc, services.DesignStale) else 422)
        if not request.htmx:
            _refused(request, exc)
        # drawn again with what was typed: nothing is lost, nothing is saved
        return _questions_page(request, questionnaire, design=_typed(before, request.POST), problems=exc.problems,
                               status=200 if request.htmx else 400)
    if request.POST.get("autosave"):
        return _autosave_answer(request, questionnaire, notes=dropped)
    if not op and (action in ("next", "list", "prev") or _goto_step(action)):
        problems = designs.question_problems(questionnaire.design) if action == "next" else []
        if problems:
            if not request.htmx:
                for _qid, message in problems:
                    messages.error(request, message)
            return _questions_page(request, questionnaire, problems=problems)
        if not request.htmx:
            messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.QUESTIONS)
    if request.htmx:
        return _questions_page(request, questionnaire, notes=dropped, focus=_focus_after(op, before, questionnaire.design))
    for message in dropped:
        messages.warning(request, message)
    if op:
        anchor = op.split(":")[1] if op.count(":") >= 1 and not op.startswith("add:") else ""
        if op.startswith("add:") and designs.questions(questionnaire.design):
            anchor = designs.questions(questionnaire.design)[-1]["id"]
        return redirect(_step_url(questionnaire, DesignStep.QUESTIONS) + (f"#q-{anchor}" if anchor.startswith("q") else ""))
    messages.success(request, _("Saved."))
    return _after_save(request, questionnaire, DesignStep.QUESTIONS)


def _op_text(request, op: str) -> str:
    """The text an operation takes: a paste (`op_text`, sent by the page's script) or the 「按文本编辑」 box."""
    if op.startswith("items_text:"):
        return request.POST.get("text-" + "-".join(op.split(":")[1:3]), "")
    return request.POST.get("op_text", "")


def _autosave_answer(request, questionnaire, *, problems=(), notes=(), status=200):
    """What a field saved on leaving it gets back: the new revision, the preview, and the saving state (htmx
    out-of-band swaps); a refused save keeps the page (and what was typed) and says why."""
    questionnaire.refresh_from_db()
    context = {"revision": services.design_revision(questionnaire), "problems": [m for _q, m in problems], "notes": list(notes),
               "preview": design_preview(questionnaire) if not problems else None, "saved_at": timezone.localtime(),
               "questionnaire": questionnaire}
    response = TemplateResponse(request, "survey_builder/admin/_design_autosave.html", context, status=200)
    if problems:
        response["HX-Reswap"] = "none"
    return response


def _branch_rows(design: dict, posted=None, problems=()) -> list[dict]:
    errors = {}
    for qid, message in problems:
        errors.setdefault(qid, []).append(message)
    rows = []
    for number, question in enumerate(designs.questions(design), 1):
        if question["type"] not in BRANCHING_TYPES:
            continue
        branches = question.get("branches") or {}
        options = []
        for option in question.get("options", []):
            name = f"b-{question['id']}-{option['id']}"
            chosen = posted.get(name, "") if posted is not None else branches.get(option["id"], "")
            options.append({"option": option, "name": name, "chosen": chosen})
        rows.append({"q": question, "number": number, "options": options, "targets": designs.branch_targets(design, question["id"]),
                     "errors": errors.get(question["id"], [])})
    return rows


RULES_SHOWN = 3


def _posted_conditions(request, design: dict) -> dict:
    """Step 3's show-if editor: `{question id: {"join", "rules": [{q, op, value}]}}` for the questions on the page."""
    conditions = {}
    for question in designs.questions(design):
        prefix = f"c-{question['id']}-"
        if f"{prefix}present" not in request.POST:
            continue
        sources = {s["id"]: s for s in designs.condition_sources(design, question["id"])}
        rules = []
        for n in range(1, RULES_SHOWN + 1):
            source = request.POST.get(f"{prefix}{n}-q", "")
            kind = sources.get(source, {}).get("kind")
            value = request.POST.get(f"{prefix}{n}-number" if kind == "number" else f"{prefix}{n}-value", "")
            rules.append({"q": source, "op": request.POST.get(f"{prefix}{n}-op", ""), "value": value})
        conditions[question["id"]] = {"join": request.POST.get(f"{prefix}join", "all"), "rules": rules}
    return conditions


def _condition_rows(design: dict, posted=None) -> list[dict]:
    rows = []
    for number, question in enumerate(designs.questions(design), 1):
        sources = designs.condition_sources(design, question["id"])
        if not sources:
            continue
        if posted is not None:
            prefix = f"c-{question['id']}-"
            join = posted.get(f"{prefix}join", "all")
            rules = [{"q": posted.get(f"{prefix}{n}-q", ""), "op": posted.get(f"{prefix}{n}-op", ""),
                      "value": posted.get(f"{prefix}{n}-value", ""), "number": posted.get(f"{prefix}{n}-number", "")}
                     for n in range(1, RULES_SHOWN + 1)]
        else:
            condition = question.get("show_if") or {}
            join = condition.get("join", "all")
            rules = [{"q": r["q"], "op": r["op"], "value": r["value"] if not isinstance(r["value"], (int, float)) else "",
                      "number": r["value"] if isinstance(r["value"], (int, float)) else ""} for r in condition.get("rules", [])]
            rules += [{"q": "", "op": "", "value": "", "number": ""}] * (RULES_SHOWN - len(rules))
        rows.append({"q": question, "number": number, "sources": sources, "join": join,
                     "rules": [dict(rule, n=n) for n, rule in enumerate(rules[:RULES_SHOWN], 1)],
                     "text": designs.show_if_text(design, question.get("show_if"))})
    return rows


def _step_branches(request, questionnaire):
    design = questionnaire.design
    if request.method == "POST":
        chosen = {}
        for question in designs.questions(design):
            if question["type"] in BRANCHING_TYPES:
                chosen[question["id"]] = {o["id"]: request.POST.get(f"b-{question['id']}-{o['id']}", "")
                                          for o in question.get("options", [])}
        try:
            services.questionnaire_branches_set(questionnaire=questionnaire, actor=request.user, chosen=chosen,
                                                conditions=_posted_conditions(request, design),
                                                expected_revision=_posted_revision(request))
        except designs.DesignError as exc:
            _refused(request, exc)
            return _design_page(request, questionnaire, DesignStep.BRANCHES, rows=_branch_rows(design, request.POST, exc.problems),
                                conditions=_condition_rows(design, request.POST))
        messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.BRANCHES)
    problems = designs.branch_problems(design)
    return _design_page(request, questionnaire, DesignStep.BRANCHES, rows=_branch_rows(design, problems=problems),
                        conditions=_condition_rows(design))


def _validation_rows(design: dict, posted=None, problems=()) -> list[dict]:
    errors = {}
    for qid, message in problems:
        errors.setdefault(qid, []).append(message)
    rows = []
    for number, question in enumerate(designs.questions(design), 1):
        keys = designs.validation_keys(question)
        values = dict(question.get("validation") or {})
        if posted is not None:
            values = {k: posted.get(f"v-{question['id']}-{k}", "") for k in keys}
            values["required"] = bool(posted.get(f"v-{question['id']}-required"))
        values.setdefault("kind", FillKind.TEXT)
        rows.append({"q": question, "number": number, "keys": keys, "values": values, "type_label": QuestionType(question["type"]).label,
                     "errors": errors.get(question["id"], [])})
    return rows


def _step_validation(request, questionnaire):
    design = questionnaire.design
    if request.method == "POST":
        raw = {}
        for question in designs.questions(design):
            prefix = f"v-{question['id']}-"
            if f"{prefix}present" not in request.POST:
                continue
            raw[question["id"]] = {k: request.POST.get(prefix + k, "") for k in designs.validation_keys(question)}
            raw[question["id"]]["required"] = bool(request.POST.get(prefix + "required"))
        try:
            services.questionnaire_validation_set(questionnaire=questionnaire, actor=request.user, raw=raw,
                                                  expected_revision=_posted_revision(request))
        except designs.DesignError as exc:
            _refused(request, exc)
            return _design_page(request, questionnaire, DesignStep.VALIDATION, rows=_validation_rows(design, request.POST, exc.problems),
                                kinds=FillKind.choices)
        messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.VALIDATION)
    return _design_page(request, questionnaire, DesignStep.VALIDATION, rows=_validation_rows(design), kinds=FillKind.choices)


def question_preview(questionnaire, qid: str) -> list:
    """One question rendered by the engine as a respondent sees it (布局定义's 预览), branches left out."""
    design = questionnaire.design
    question = designs.question_get(design, qid)
    single = {"numbering": design.get("numbering", True), "questions": [dict(question, branches={})]}
    document = designs.document_build(single, designs.DocumentMeta(key="question_preview", title=questionnaire.title, description=""))
    form = StepForm(compiled=compile_document(document), step_id="survey")
    sections = form.layout()
    for section in sections:
        for item in section["items"]:
            item["number"] = designs.question_number(design, qid) if design.get("numbering", True) else None
    return sections


def _step_layout(request, questionnaire):
    design = questionnaire.design
    if request.method == "POST":
        per_row = {}
        for question in designs.questions(design):
            value = request.POST.get(f"per_row-{question['id']}")
            if value is not None:
                try:
                    per_row[question["id"]] = int(value or 0)
                except ValueError:
                    per_row[question["id"]] = 0
        try:
            services.questionnaire_layout_set(questionnaire=questionnaire, actor=request.user,
                                              numbering=request.POST.get("numbering") == "1", per_row=per_row,
                                              expected_revision=_posted_revision(request))
        except designs.DesignError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.LAYOUT)
    rows = [{"q": q, "number": n, "per_row": designs.per_row_applies(q), "type_label": QuestionType(q["type"]).label}
            for n, q in enumerate(designs.questions(design), 1)]
    preview_id = request.GET.get("preview", "")
    preview = None
    if preview_id:
        try:
            preview = question_preview(questionnaire, preview_id)
        except designs.DesignError:
            preview = None
    return _design_page(request, questionnaire, DesignStep.LAYOUT, rows=rows, per_row_choices=range(1, designs.MAX_PER_ROW + 1),
                        preview=preview, preview_id=preview_id)


def _step_enable(request, questionnaire):
    if request.method == "POST":
        if request.POST.get("action") == "enable":
            try:
                services.questionnaire_enable(questionnaire=questionnaire, actor=request.user)
            except services.QuestionnaireRefused as exc:
                _refused(request, exc)
                return redirect(_step_url(questionnaire, DesignStep.ENABLE))
            messages.success(request, _("The questionnaire “%(title)s” is enabled.") % {"title": questionnaire.title})
            return redirect("survey_admin:list")
        return _after_save(request, questionnaire, DesignStep.ENABLE)
    problems = designs.design_problems(questionnaire.design or designs.design_new())
    return _design_page(request, questionnaire, DesignStep.ENABLE, problems=[m for _q, m in problems],
                        regions=list(questionnaire.target_regions.all()), question_count=len(designs.questions(questionnaire.design)))


STEP_HANDLERS = {DesignStep.THEME: _step_theme, DesignStep.QUESTIONS: _step_questions, DesignStep.BRANCHES: _step_branches,
                 DesignStep.VALIDATION: _step_validation, DesignStep.LAYOUT: _step_layout, DesignStep.ENABLE: _step_enable}
