"""导入记录: every batch import the administrator may see, on Wagtail's listing (filter drawer, search by file
name, pagination, spreadsheet export), over the one scoped selector `selectors.import_jobs_for`.

The import page itself keeps the latest few jobs and links here (issue 21 §4: one back office).
"""
import django_filters
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn

from accounts.listing import AdministratorIndexView
from ops.task_base import TaskStatus
from reporting.models import ReportType
from reporting.forms import MonthField

from .models import ImportJob
from .selectors import import_jobs_for


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        return qs.filter(period=value) if value else qs


class ImportJobFilterSet(WagtailFilterSet):
    """报表 (the types of the jobs in scope), 状态 and 月份 (yyyy-mm; a month that does not parse is refused by
    name above the list as well as in the drawer, and the list is not filtered by it: ImportJobIndexView)."""

    report_type = django_filters.ChoiceFilter(label=_("Report"), method="filter_report_type", empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TaskStatus.choices, empty_label=_("All"))
    month = MonthFilter(label=_("Month"), error_messages={"invalid": _("Enter the month as yyyy-mm, for example 2026-10.")})

    class Meta:
        model = ImportJob
        fields = ["report_type", "status", "month"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        keys = import_jobs_for(request.user).values("report_type_id") if request else []
        self.filters["report_type"].extra["choices"] = [
            (t.key, t.localized_title) for t in ReportType.objects.filter(pk__in=keys).order_by("pk")]

    def filter_report_type(self, queryset, name, value):
        return queryset.filter(report_type__key=value) if value else queryset


#: Columns left out on a phone (static/css/task_base.css): the file, month, status and counts stay.
HIDE = "tm-phone-hide"


class ImportJobIndexView(AdministratorIndexView):
    model = ImportJob
    page_title = _("Import records")
    header_icon = "upload"
    index_url_name = "imports:jobs"
    index_results_url_name = "imports:jobs_results"
    template_name = "imports/admin/jobs_index.html"
    results_template_name = "imports/admin/jobs_results.html"
    filterset_class = ImportJobFilterSet
    search_fields = ["file_name"]
    paginate_by = 20
    default_ordering = "-created_at"
    export_filename = "import-records"
    list_export = ["created_at", "report_type.title", "period", "file_name", "created_by.username",
                   "get_status_display", "total", "imported", "refused"]
    export_headings = {"created_at": _("Uploaded"), "report_type.title": _("Report"), "period": _("Month"),
                       "file_name": _("File"), "created_by.username": _("Imported by"),
                       "get_status_display": _("Status"), "total": pgettext_lazy("import", "Rows"),
                       "imported": pgettext_lazy("import", "Imported"),
                       "refused": pgettext_lazy("import", "Not imported")}

    def get_base_queryset(self):
        return import_jobs_for(self.request.user)

    def filter_queryset(self, queryset):
        # Wagtail drops every filter when one is invalid; the valid ones still apply (an invalid one is left
        # out of cleaned_data) and the refusal is shown above the list (`filter_errors`).
        if self.filters:
            self.filters.is_valid()
            queryset = self.filters.filter_queryset(queryset)
        return queryset

    @cached_property
    def filter_errors(self) -> list[str]:
        """「月份：…」 for each refused filter: the drawer is closed, so its own message under the field is unseen."""
        if not self.filters or self.filters.is_valid():
            return []
        form = self.filters.form
        return [f"{form.fields[name].label}：{error}" if name in form.fields else str(error)
                for name, errors in form.errors.items() for error in errors]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filter_errors": self.filter_errors}

    def get_valid_orderings(self):
        return ["created_at", "-created_at", "period", "-period"]

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("imports:index"), "label": _("Batch import")}, {"url": "", "label": self.page_title}]

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if "period" in row and item.period:
            row["period"] = f"{item.period:%Y-%m}"
        return row

    @cached_property
    def columns(self):
        return [
            TitleColumn("file_name", label=_("File"), get_url=lambda job: reverse("imports:job", args=[job.pk])),
            Column("report_type", label=_("Report"), accessor="report_type.localized_title", classname=HIDE),
            Column("period", label=_("Month"), accessor=lambda job: f"{job.period:%Y-%m}", sort_key="period"),
            Column("created_by", label=_("Imported by"), accessor="created_by.username", classname=HIDE),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column("imported", label=pgettext_lazy("import", "Imported")),
            Column("refused", label=pgettext_lazy("import", "Not imported")),
            DateColumn("created_at", label=_("Uploaded"), sort_key="created_at", classname=HIDE),
        ]
