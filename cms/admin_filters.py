"""The filter drawer of the document library's listings: 类型 and 修改日期 (yyyy-mm-dd text inputs).

The rows are folders and files together (selectors.LibraryEntry), so the filter set only reads and checks the
values; `selectors.entries_filter` applies them.
"""
import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from config.widgets import IsoDateField

from .models import LibraryFile
from .selectors import KIND_FOLDER

KIND_CHOICES = [
    (KIND_FOLDER, _("Folders")),
    ("pdf", "PDF"),
    ("word", _("Word documents")),
    ("sheet", _("Spreadsheets")),
    ("slides", _("Presentations")),
    ("image", _("Images")),
    ("text", _("Text files")),
    ("archive", _("Archives")),
]


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


def _noop(queryset, name, value):
    return queryset


class LibraryFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=KIND_CHOICES, empty_label=_("All"), method=_noop)
    modified_from = IsoDateFilter(label=_("Modified from"), method=_noop)
    modified_to = IsoDateFilter(label=_("Modified until"), method=_noop)

    class Meta:
        model = LibraryFile
        fields = ["kind", "modified_from", "modified_to"]

    def values(self) -> dict:
        """The valid values, for selectors.entries_filter (an invalid filter is shown in the drawer and ignored)."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {"kind": data.get("kind") or "", "modified_from": data.get("modified_from"),
                "modified_to": data.get("modified_to")}
