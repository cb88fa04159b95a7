"""问卷发布和统计 in the Wagtail admin: the list (a Wagtail IndexView), list actions, distribute, answers, analysis.

Views parse input, call one service or selector, and render; the designer's logic is in `design.py`
and `services/`, permissions are checked there too.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton

from accounts.models import AdministratorProfile
from formdefs.engine.localize import localized
from reporting.periods import period_parse

from . import analysis, selectors, services
from .admin_filters import QuestionnaireFilterSet
from .admin_forms import AnswerFilterForm
from .enums import DesignStep, QuestionnaireStatus
from .models import Questionnaire

PAGE_SIZE = 20
ANSWERS_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _render(request, template, *, title, crumbs=(), **context):
    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")},
             {"url": reverse("survey_admin:list"), "label": _("Questionnaire publishing and statistics")}]
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

class ActionsColumn(Column):
    """The row's actions (编辑, 预览, 导出XLSForm, 复制, 删除, 分发, 停用, 查看, 分析): links and POST forms
    that confirm first (data-confirm), as the administrator may act on this questionnaire."""

    cell_template_name = "survey_builder/admin/_list_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        own = instance.created_by_id == request.user.pk
        active = instance.status == QuestionnaireStatus.ACTIVE
        # the cell renders in its own context: the forms need the page's CSRF token
        context.update(csrf_token=get_token(request), q=instance, own=own, can_edit=own and instance.is_draft, can_stop=own and active,
                       can_distribute=active, has_answers=not instance.is_draft)
        return context


class QuestionnaireTable(Table):
    def get_row_attrs(self, instance):
        return {**super().get_row_attrs(instance), "data-code": instance.code}


def _title_url(questionnaire, user) -> str | None:
    if questionnaire.is_draft:
        return _step_url(questionnaire, DesignStep.THEME) if questionnaire.created_by_id == user.pk else None
    return reverse("survey_admin:analyse", args=[questionnaire.pk])


class QuestionnaireIndexView(IndexView):
    """问卷发布和统计's list: Wagtail's listing (filter drawer, search by name, sorting, pagination) over
    `selectors.questionnaire_list`, which decides what the administrator sees."""

    model = Questionnaire
    permission_policy = None
    any_permission_required = None
    page_title = gettext_lazy("Questionnaire publishing and statistics")
    header_icon = "form"
    template_name = "survey_builder/admin/list.html"
    index_url_name = "survey_admin:list"
    index_results_url_name = "survey_admin:list_results"
    add_url_name = "survey_admin:new"
    filterset_class = QuestionnaireFilterSet
    table_class = QuestionnaireTable
    search_fields = ["title"]
    default_ordering = "-created_at"
    paginate_by = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        selectors.survey_scope(request.user)  # PermissionDenied without the survey permission
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.questionnaire_list(user=self.request.user)

    def get_page_title(self):
        return self.page_title

    @cached_property
    def add_item_label(self):
        return _("New")

    @cached_property
    def add_button(self):
        return HeaderButton(self.add_item_label, url=self.add_url, icon_name="plus", attrs={"data-testid": "new"})

    @cached_property
    def header_buttons(self):
        return [*super().header_buttons,
                HeaderButton(_("Import XLSForm"), url=reverse("survey_admin:xlsform_import"), icon_name="upload",
                             attrs={"data-testid": "xlsform-import"})]

    @cached_property
    def columns(self):
        user = self.request.user
        return [
            TitleColumn("title", label=pgettext_lazy("questionnaire", "Name"), sort_key="title", accessor="localized_title",
                        get_url=lambda q: _title_url(q, user)),
            StatusTagColumn("status", label=gettext_lazy("Survey status"), accessor="get_status_display",
                            primary=lambda q: q.status == QuestionnaireStatus.ACTIVE, sort_key="status"),
            Column("frequency", label=gettext_lazy("Survey frequency"),
                   accessor=lambda q: f"{q.get_frequency_display()} · "
                                      f"{_('Mandatory survey') if q.mandatory else _('Optional survey')}"),
            Column("starts_on", label=gettext_lazy("Survey period"), sort_key="starts_on",
                   accessor=lambda q: _("%(start)s to %(end)s") % {"start": f"{q.starts_on:%Y-%m-%d}",
                                                                  "end": f"{q.ends_on:%Y-%m-%d}"}),
            Column("created_by", label=gettext_lazy("Creator"),
                   accessor=lambda q: q.created_by.username if q.created_by_id else _("built in")),
            Column("distributions", label=gettext_lazy("Distributed to"),
                   accessor=lambda q: "、".join(d.administrator.user.username for d in q.distributions.all())),
            ActionsColumn("actions", label=gettext_lazy("Actions")),
        ]


# -- the designer (survey_builder/admin_design.py) -------------------------------------------------

def _step_url(questionnaire, step: int) -> str:
    return reverse("survey_admin:design", args=[questionnaire.pk, step])


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
        messages.success(request, _("Deleted “%(title)s”.") % {"title": questionnaire.localized_title})
    return redirect("survey_admin:list")


@require_POST
def stop(request, pk):
    questionnaire = _visible(request, pk)
    try:
        services.questionnaire_stop(questionnaire=questionnaire, actor=request.user)
    except (PermissionDenied, services.QuestionnaireRefused) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Stopped “%(title)s”.") % {"title": questionnaire.localized_title})
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
    return _render(request, "survey_builder/admin/distribute.html", title=_("Distribute “%(title)s”") % {"title": questionnaire.localized_title},
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
    return _render(request, "survey_builder/admin/answers.html", title=_("Answers: %(title)s") % {"title": questionnaire.localized_title},
                   questionnaire=questionnaire, form=form, page=page, rows=rows,
                   headers=fixed + [f"Q{i}. {localized(f)}" for i, f in enumerate(fields, 1)],
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
    single = "q" in request.GET  # 逐题查看: one choice question at a time; else every question on one page
    return _render(request, "survey_builder/admin/analyse.html", title=_("Statistics: %(title)s") % {"title": questionnaire.localized_title},
                   questionnaire=questionnaire, periods=periods, period=period, current=current, texts=texts,
                   single=single, stats=stats, entries=[{"item": s, "chart": s.chart_data() if s.is_choice else None, "id": f"sb-chart-{s.number}",
                                                        "data_id": f"sb-chart-{s.number}-data"} for s in stats],
                   all_url="?" + urlencode(base), single_url="?" + urlencode({**base, "q": 1}),
                   chart=current.chart_data() if current else None, position=index + 1, total=len(choices),
                   prev_url="?" + urlencode({**base, "q": index}) if index > 0 else "",
                   next_url="?" + urlencode({**base, "q": index + 2}) if index + 1 < len(choices) else "",
                   export_url="?" + urlencode({**base, "export": "1"}), texts_shown=analysis.TEXTS_SHOWN)
