"""问卷发布和统计 in the Wagtail admin: the list, the six-step designer, distribute, answers, analysis.

Views parse input, call one service or selector, and render; the designer's logic is in `design.py`
and `services/`, permissions are checked there too.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import AdministratorProfile
from formdefs.engine import compile_document
from formdefs.forms.step_form import StepForm
from reporting.periods import period_parse

from . import design as designs
from . import analysis, selectors, services
from .admin_forms import AnswerFilterForm, ListFilterForm, ThemeForm
from .enums import BRANCHING_TYPES, SPECIFY_TYPES, DesignStep, FillKind, QuestionnaireStatus, QuestionType
from .models import Questionnaire

PAGE_SIZE = 20
ANSWERS_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
    if not context.pop("is_list", False):
        items.append({"url": reverse("survey_admin:list"), "label": _("Questionnaire publishing and statistics")})
    items += [*crumbs, {"url": "", "label": title}]
    context.update(header_title=title, page_title=title, breadcrumbs_items=items, header_icon="form")
    return TemplateResponse(request, template, context)


def _visible(request, pk) -> Questionnaire:
    try:
        return selectors.questionnaire_visible_get(user=request.user, pk=pk)
    except Questionnaire.DoesNotExist:
        raise Http404


def _refused(request, exc) -> None:
    for message in getattr(exc, "messages", None) or [str(exc) or _("You may not do this.")]:
        messages.error(request, message)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- the list ---------------------------------------------------------------------------------------

def questionnaire_list(request):
    selectors.survey_scope(request.user)
    form = ListFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.questionnaire_list(user=request.user, frequency=filters.get("frequency", ""), status=filters.get("status", ""),
                                      date_from=filters.get("date_from"), date_to=filters.get("date_to"),
                                      mine=filters.get("mine") == "1", title=filters.get("title", ""))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for q in page.object_list:
        own = q.created_by_id == request.user.pk
        rows.append({"q": q, "own": own, "can_edit": own and q.is_draft, "can_stop": own and q.status == QuestionnaireStatus.ACTIVE,
                     "can_distribute": q.status == QuestionnaireStatus.ACTIVE, "has_answers": not q.is_draft})
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "survey_builder/admin/list.html", title=_("Questionnaire publishing and statistics"), is_list=True, form=form, page=page,
                   rows=rows, query=query.urlencode())


# -- the designer -----------------------------------------------------------------------------------

def _step_url(questionnaire, step: int) -> str:
    return reverse("survey_admin:design", args=[questionnaire.pk, step])


def _after_save(request, questionnaire, step: int):
    action = request.POST.get("action", "save")
    if action == "list":
        return redirect("survey_admin:list")
    if action == "prev" and step > 1:
        return redirect(_step_url(questionnaire, step - 1))
    if action == "next" and step < DesignStep.ENABLE:
        return redirect(_step_url(questionnaire, step + 1))
    return redirect(_step_url(questionnaire, step))


def _design_page(request, questionnaire, step: int, **context):
    steps = [{"number": s.value, "label": s.label, "current": s.value == step,
              "url": _step_url(questionnaire, s.value) if questionnaire else ""} for s in DesignStep]
    title = questionnaire.title if questionnaire else _("New questionnaire")
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
                     "last": number == len(designs.questions(design))})
    return rows


def _step_questions(request, questionnaire):
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            questionnaire, dropped = services.questionnaire_questions_edit(
                questionnaire=questionnaire, actor=request.user, data=request.POST, op=op)
        except designs.DesignError as exc:
            _refused(request, exc)
            return redirect(_step_url(questionnaire, DesignStep.QUESTIONS))
        for message in dropped:
            messages.warning(request, message)
        if op:
            anchor = op.split(":")[1] if op.count(":") >= 1 and not op.startswith("add:") else ""
            if op.startswith("add:") and designs.questions(questionnaire.design):
                anchor = designs.questions(questionnaire.design)[-1]["id"]
            return redirect(_step_url(questionnaire, DesignStep.QUESTIONS) + (f"#q-{anchor}" if anchor else ""))
        if request.POST.get("action") in ("next", "list", "prev") or request.POST.get("action") == "save":
            problems = designs.question_problems(questionnaire.design) if request.POST.get("action") == "next" else []
            if problems:
                for _qid, message in problems:
                    messages.error(request, message)
                return _design_page(request, questionnaire, DesignStep.QUESTIONS, rows=_question_rows(questionnaire.design, problems),
                                    types=QuestionType.choices)
            messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.QUESTIONS)
    return _design_page(request, questionnaire, DesignStep.QUESTIONS, rows=_question_rows(questionnaire.design),
                        types=QuestionType.choices)


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


def _step_branches(request, questionnaire):
    design = questionnaire.design
    if request.method == "POST":
        chosen = {}
        for question in designs.questions(design):
            if question["type"] in BRANCHING_TYPES:
                chosen[question["id"]] = {o["id"]: request.POST.get(f"b-{question['id']}-{o['id']}", "")
                                          for o in question.get("options", [])}
        try:
            services.questionnaire_branches_set(questionnaire=questionnaire, actor=request.user, chosen=chosen)
        except designs.DesignError as exc:
            _refused(request, exc)
            return _design_page(request, questionnaire, DesignStep.BRANCHES, rows=_branch_rows(design, request.POST, exc.problems))
        messages.success(request, _("Saved."))
        return _after_save(request, questionnaire, DesignStep.BRANCHES)
    problems = designs.branch_problems(design)
    return _design_page(request, questionnaire, DesignStep.BRANCHES, rows=_branch_rows(design, problems=problems))


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
            services.questionnaire_validation_set(questionnaire=questionnaire, actor=request.user, raw=raw)
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
                                              numbering=request.POST.get("numbering") == "1", per_row=per_row)
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


# -- list actions -----------------------------------------------------------------------------------

def preview(request, pk):
    """预览: the engine's preview mode on the draft's current design (or the published version)."""
    questionnaire = _visible(request, pk)
    try:
        version = services.questionnaire_preview_version(questionnaire=questionnaire, actor=request.user)
    except PermissionDenied as exc:
        _refused(request, exc)
        return redirect("survey_admin:list")
    return redirect("formdefs:preview", version.pk)


@require_POST
def copy(request, pk):
    questionnaire = _visible(request, pk)
    try:
        twin = services.questionnaire_copy(questionnaire=questionnaire, actor=request.user)
    except (PermissionDenied, services.QuestionnaireRefused) as exc:
        _refused(request, exc)
        return redirect("survey_admin:list")
    messages.success(request, _("Copied: the new draft is “%(title)s”.") % {"title": twin.title})
    return redirect(_step_url(twin, DesignStep.THEME))


@require_POST
def delete(request, pk):
    questionnaire = _visible(request, pk)
    try:
        services.questionnaire_delete(questionnaire=questionnaire, actor=request.user)
    except (PermissionDenied, services.QuestionnaireRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Deleted “%(title)s”.") % {"title": questionnaire.title})
    return redirect("survey_admin:list")


@require_POST
def stop(request, pk):
    questionnaire = _visible(request, pk)
    try:
        services.questionnaire_stop(questionnaire=questionnaire, actor=request.user)
    except (PermissionDenied, services.QuestionnaireRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Stopped “%(title)s”.") % {"title": questionnaire.title})
    return redirect("survey_admin:list")


def distribute(request, pk):
    """分发 to subordinate administrators."""
    questionnaire = _visible(request, pk)
    candidates = selectors.distribution_candidates(user=request.user, questionnaire=questionnaire)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("administrators") if v.isdigit()]
        chosen = list(AdministratorProfile.objects.filter(pk__in=ids).select_related("user"))
        try:
            created = services.questionnaire_distribute(questionnaire=questionnaire, actor=request.user, administrators=chosen)
        except (PermissionDenied, services.QuestionnaireRefused) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Distributed to %(n)s more administrators.") % {"n": created})
            return redirect("survey_admin:list")
    top = selectors.survey_scope(request.user).profile.depth
    for row in candidates:
        row["indent"] = row["profile"].depth - top - 1
    return _render(request, "survey_builder/admin/distribute.html", title=_("Distribute “%(title)s”") % {"title": questionnaire.title},
                   questionnaire=questionnaire, candidates=candidates)


# -- answers and statistics -------------------------------------------------------------------------

def answers(request, pk):
    """查看: the raw answers (filters user ID and report month) and their export."""
    questionnaire = _visible(request, pk)
    scope = selectors.survey_scope(request.user)
    form = AnswerFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    period = period_parse(filters.get("period", "")) if filters.get("period") else None
    qs = analysis.responses_scoped(questionnaire=questionnaire, scope=scope, period=period, username=filters.get("username", ""))
    if request.GET.get("export"):
        return _xlsx(analysis.raw_export(questionnaire=questionnaire, responses=qs), f"questionnaire-{questionnaire.code}-answers.xlsx")
    fixed, fields = analysis.raw_columns(questionnaire)
    page = Paginator(analysis.raw_queryset(qs), ANSWERS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [analysis.raw_row(r, fields) for r in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return _render(request, "survey_builder/admin/answers.html", title=_("Answers: %(title)s") % {"title": questionnaire.title},
                   questionnaire=questionnaire, form=form, page=page, rows=rows,
                   headers=fixed + [f"Q{i}. {f['label']}" for i, f in enumerate(fields, 1)],
                   query=query.urlencode(), export_url="?" + urlencode({**query.dict(), "export": "1"}))


def analyse(request, pk):
    """分析: per report month, each choice question's counts and chart (previous / next), typed answers listed."""
    questionnaire = _visible(request, pk)
    scope = selectors.survey_scope(request.user)
    periods = analysis.response_periods(questionnaire=questionnaire, scope=scope)
    period = period_parse(request.GET.get("period", "")) or (periods[0] if periods else None)
    stats = analysis.questionnaire_statistics(questionnaire=questionnaire, scope=scope, period=period) if period else []
    if period and request.GET.get("export"):
        return _xlsx(analysis.statistics_export(questionnaire=questionnaire, period=period, stats=stats),
                     f"questionnaire-{questionnaire.code}-{period:%Y-%m}.xlsx")
    choices = [s for s in stats if s.is_choice]
    texts = [s for s in stats if not s.is_choice]
    try:
        index = min(max(int(request.GET.get("q", 1)), 1), max(len(choices), 1)) - 1
    except ValueError:
        index = 0
    current = choices[index] if choices else None
    base = {"period": f"{period:%Y-%m}"} if period else {}
    return _render(request, "survey_builder/admin/analyse.html", title=_("Statistics: %(title)s") % {"title": questionnaire.title},
                   questionnaire=questionnaire, periods=periods, period=period, current=current, texts=texts,
                   chart=current.chart_data() if current else None, position=index + 1, total=len(choices),
                   prev_url="?" + urlencode({**base, "q": index}) if index > 0 else "",
                   next_url="?" + urlencode({**base, "q": index + 2}) if index + 1 < len(choices) else "",
                   export_url="?" + urlencode({**base, "export": "1"}), texts_shown=analysis.TEXTS_SHOWN)
