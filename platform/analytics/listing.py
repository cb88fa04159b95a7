"""数据查询 on Wagtail's listing UI (issue 21 §4): one `QueryListingView` serves any of the ten queries.

The rows are aggregates, not model instances, so the view is a `BaseListingView` rather than an IndexView:
its filter drawer is the query's own form (`QueryFilters` hands it to Wagtail's drawer and live filtering
through the `_results` URL), its table has one `QueryCellColumn` per header of the query (numbers
right-aligned with thousands separators, the `cell` filter), its pagination is Wagtail's (`p`, 50 a page)
and its 导出 header button opens the query's export with the same filters. Rows are read on
settings.QUERY_DATABASE (`config.routers.heavy_reads`).
"""
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, gettext_lazy, pgettext
from wagtail.admin.active_filters import ActiveFilter
from wagtail.admin.ui.tables import Column, Table
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets.button import HeaderButton

from config.routers import heavy_reads

from .enums import PER_PAGE
from .forms import choice_label
from .queries import QUERIES, QueryUnavailable, query_build
from .queries.base import Query
from .selectors import analytics_scope
from .templatetags.analytics_tags import cell, is_number

#: Fields of a query form that choose columns rather than rows: in the drawer, but not shown as active filters.
CHOOSERS = ("columns", "indicators")
#: Query-string keys that are the listing's own, not filters.
LISTING_KEYS = ("p", "_w_filter_fragment")


def query_data(form_class, source) -> dict:
    """A QueryDict (request.GET) as form data: lists for the multiple-choice fields, single values otherwise."""
    multi = {name for name, f in form_class.base_fields.items() if getattr(f.widget, "allow_multiple_selected", False)}
    return {name: source.getlist(name) if name in multi else source.get(name)
            for name in source if name in form_class.base_fields}


def query_for(request, key, *, export=False):
    """The query `key` over request.GET's filters in the administrator's scope (404: unknown key or no
    active report type; PermissionDenied: not an administrator)."""
    if key not in QUERIES:
        raise Http404
    scope = analytics_scope(request.user)
    try:
        return query_build(key, scope=scope, data=query_data(QUERIES[key].form_class, request.GET), export=export)
    except QueryUnavailable as exc:
        raise Http404(str(exc))


def filter_querystring(source) -> str:
    """request.GET without the listing's own keys (page, fragment flag): the filters, for 导出 and 催报's return."""
    params = source.copy()
    for key in LISTING_KEYS:
        params.pop(key, None)
    return params.urlencode()


class QueryFilters:
    """The query's form as the listing's filterset: Wagtail's drawer renders `form`; the query itself has
    already applied the filters (it reads them when it is built), so `filter_queryset` changes nothing."""

    def __init__(self, query):
        self.query = query
        self.form = query.form
        self.filters = {}

    def is_valid(self) -> bool:
        return self.query.valid

    def filter_queryset(self, queryset):
        return queryset


class QueryRow:
    """One table row: the object it came from (`"heading"` for a section line) and its cells."""

    __slots__ = ("obj", "cells")

    def __init__(self, obj, cells):
        self.obj, self.cells = obj, cells


class QueryCellColumn(Column):
    """The i-th cell of a row: numbers right-aligned (aq-num) with thousands separators, percentages with %."""

    cell_template_name = "analytics/admin/_query_cell.html"

    def __init__(self, index: int, label):
        super().__init__(f"c{index}", label=label, accessor=lambda row: row.cells[index] if index < len(row.cells) else None)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context.update(value=cell(value), number=is_number(value))
        return context


class RemindColumn(Column):
    """催报 on a row of 未报送企业查询 (a POST to analytics:remind that comes back to this page)."""

    cell_template_name = "analytics/admin/_remind_cell.html"

    def __init__(self, view):
        super().__init__("remind", label=pgettext("analytics", "SMS reminder"), accessor="obj")
        self.view = view

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        query = self.view.query
        context.update(enterprise=instance.obj, report_type=query.report_type, back=self.view.page_url,
                       month=query.filters.get("month"))
        return context

    def render_cell_html(self, instance, parent_context):
        context = self.get_cell_context_data(instance, parent_context)
        return self.cell_template.render(context, request=context["request"])  # the form's {% csrf_token %}


class QueryTable(Table):
    """Wagtail's table with the query's header groups above the headers and section lines in bold."""

    template_name = "analytics/admin/_query_table.html"
    classname = "listing aq-table"

    def __init__(self, *args, groups=(), extra=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups, self.extra = list(groups), extra

    def get_row_classname(self, instance):
        return "aq-heading" if instance.obj == "heading" else ""


class QueryListingView(BaseListingView):
    template_name = "analytics/admin/query.html"
    results_template_name = "analytics/admin/query_results.html"
    header_icon = "table"
    index_url_name = "analytics:query"
    index_results_url_name = "analytics:query_results"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.key = kwargs["key"]

    def dispatch(self, request, *args, **kwargs):
        self.query = query_for(request, self.key)
        return super().dispatch(request, *args, **kwargs)

    # -- the query -------------------------------------------------------------------------------
    @cached_property
    def unavailable(self) -> str:
        query = self.query
        return query.unavailable() or (query.empty_reason() if query.valid else "")

    @cached_property
    def runs(self) -> bool:
        return self.query.valid and not self.unavailable

    @cached_property
    def can_remind(self) -> bool:
        return self.query.remind and self.query.scope.profile.can_sms_remind

    @cached_property
    def querystring(self) -> str:
        return filter_querystring(self.request.GET)

    @cached_property
    def page_url(self) -> str:
        """This page as the administrator sees it (filters and page; not the results fragment's URL)."""
        params = self.request.GET.copy()
        params.pop("_w_filter_fragment", None)
        return f"{self.index_url}?{params.urlencode()}" if params else self.index_url

    def get_page_title(self):
        return str(self.query.title)

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, {"url": "", "label": _("Data queries")},
                {"url": "", "label": self.get_page_title()}]

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.key])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.key])

    @cached_property
    def header_buttons(self):
        url = reverse("analytics:export", args=[self.key])
        return [HeaderButton(pgettext("analytics", "Export"), url=f"{url}?{self.querystring}" if self.querystring else url,
                             icon_name="download", attrs={"data-testid": "query-export"})]

    # -- the listing -----------------------------------------------------------------------------
    @cached_property
    def filters(self):
        return QueryFilters(self.query)

    @cached_property
    def is_filtering(self) -> bool:
        return False  # the count is the page's own line (the drawer always holds the query's defaults)

    @cached_property
    def active_filters(self):
        """A pill per filter set in the URL to other than its default (removing it brings the default back)."""
        form, out = self.query.form, []
        if not self.query.valid:
            return out
        defaults = form.defaults()
        base = self.index_results_url
        for name, field in form.fields.items():
            if name in CHOOSERS or name == "type" or name not in self.request.GET:
                continue
            raw = self.request.GET.get(name, "")
            value = form.cleaned_data.get(name)
            if raw in ("", None) or str(defaults.get(name, "")) == raw or (value == "" and not defaults.get(name)):
                continue  # (the last: 全部 where 全部 is the default)
            if hasattr(field, "choices"):
                value = choice_label(field, raw)
            elif value is True:
                value = _("Yes")
            elif hasattr(value, "strftime"):
                value = raw
            params = QueryDict(self.querystring, mutable=True)
            params.pop(name, None)
            params["_w_filter_fragment"] = "1"
            out.append(ActiveFilter(form[name].auto_id, field.label, str(value), f"{base}?{params.urlencode()}"))
        return out

    def get_paginate_by(self, queryset):
        return PER_PAGE if self.query.paginated else None

    def get_queryset(self):
        if not self.runs:
            return []
        with heavy_reads():
            return self.query.objects()

    @cached_property
    def columns(self):
        columns = [QueryCellColumn(i, label) for i, label in enumerate(self.query.headers())] if self.runs else []
        if self.runs and self.can_remind:
            columns.append(RemindColumn(self))
        return columns

    def get_table(self, object_list):
        return QueryTable(self.columns, object_list, groups=self.query.header_groups() if self.runs else (),
                          extra=1 if self.can_remind else 0, base_url=self.index_url,
                          attrs={"data-testid": "query-table"})

    def get_context_data(self, **kwargs):
        # The page's rows, its captions and its chart are read here, on the query database; the table
        # then renders plain values.
        with heavy_reads():
            context = super().get_context_data(**kwargs)
            objects = context["object_list"]
            rows = [QueryRow(obj, cells) for obj, cells in self.query.cells(objects)] if self.runs else []
            context["table"] = self.get_table(rows)
            chart = self.query.chart(objects) if rows else None
            captions = self.query.captions() if self.runs else []
        context.update(query=self.query, form=self.query.form, rows=rows, object_list=rows, chart=chart,
                       captions=captions, unavailable=self.unavailable, can_remind=self.can_remind,
                       no_results_message=gettext_lazy("Nothing matches these filters."),
                       charted=type(self.query).chart is not Query.chart,
                       errors=[(self.query.form.fields[name].label if name in self.query.form.fields else "", e)
                               for name, errors in self.query.form.errors.items() for e in errors])
        if not context.get("is_paginated"):
            context["items_count"] = len(rows)
        return context
