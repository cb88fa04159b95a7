"""The document library's listings on Wagtail's listing UI (BaseListingView): a folder's content and 与我共享.

A folder holds folders and files, two models, so the rows are `selectors.LibraryEntry` (folders first, as in
a file browser) over one table: Wagtail's search box, filter drawer (cms.admin_filters), sortable columns,
pagination and bulk-action checkboxes (cms.bulk_actions). The views parse input, call one selector, render.
"""
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _, gettext_lazy
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, ButtonsColumnMixin, Column, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.widgets import Button, ButtonWithDropdown, ListingButton

from cms import selectors as sel
from cms.admin_filters import LibraryFilterSet
from cms.enums import LibrarySpace
from cms.uploads import allowed_extensions, max_upload_bytes

#: The bulk actions' item type: Wagtail's footer counts "1 item selected", "3 items selected".
BULK_OBJ_TYPE = "library"


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


class SizeColumn(Column):
    cell_template_name = "cms/admin/listing/size_cell.html"


class NameColumn(ButtonsColumnMixin, TitleColumn):
    """名称: the icon, the link to the folder or file, its version badges and, for a file, its buttons."""

    cell_template_name = "cms/admin/listing/name_cell.html"

    def __init__(self, *args, show_location=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_location = show_location

    def get_cell_context_data(self, instance, parent_context):
        return {**super().get_cell_context_data(instance, parent_context), "entry": instance,
                "show_location": self.show_location}

    def get_buttons(self, instance, parent_context):
        if instance.is_folder:
            return []
        pk = instance.item.pk
        return [
            ListingButton(_("Download"), url=reverse("cms_library:download", args=[pk]), priority=10),
            ButtonWithDropdown(
                buttons=[
                    Button(_("Preview"), url=reverse("cms_library:preview", args=[pk]), icon_name="view", priority=10),
                    Button(_("Versions and sharing"), url=reverse("cms_library:file", args=[pk]), icon_name="history",
                           priority=20),
                ],
                icon_name="dots-horizontal", priority=20,
                attrs={"aria-label": _("More options for '%(title)s'") % {"title": instance.name}},
            ),
        ]


def _columns(*, bulk: bool, show_location: bool, sharing: bool = True) -> list:
    columns = [BulkActionsCheckboxColumn("bulk_actions", obj_type=BULK_OBJ_TYPE)] if bulk else []
    return columns + [
        NameColumn("name", label=gettext_lazy("Name"), sort_key="name", get_url=lambda e: e.url,
                   get_title_id=lambda e: f"{BULK_OBJ_TYPE}_{e.pk}_title", show_location=show_location),
        SizeColumn("size", label=gettext_lazy("Size"), accessor=lambda e: e.size, classname="cms-lib-size"),
        Column("version", label=gettext_lazy("Version"), classname="cms-lib-phone-hide",
               accessor=lambda e: f"v{e.version}" if e.version else ""),
        Column("modified_by", label=gettext_lazy("Modified by"), classname="cms-lib-phone-hide",
               accessor="modified_by"),
        Column("modified", label=gettext_lazy("Modified at"), sort_key="modified", accessor=lambda e: _local(e.modified_at)),
    ] + ([Column("shared", label=gettext_lazy("Sharing"), classname="cms-lib-phone-hide",
                 accessor=lambda e: "、".join(e.shared_with))] if sharing else [])


class _LibraryListingView(BaseListingView):
    template_name = "cms/admin/folder.html"
    results_template_name = "cms/admin/listing/results.html"
    is_searchable = True
    filterset_class = LibraryFilterSet
    paginate_by = 50
    default_ordering = "name"
    header_icon = "folder-open-inverse"
    verbose_name_plural = gettext_lazy("items")

    def dispatch(self, request, *args, **kwargs):
        sel.library_require(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_valid_orderings(self):
        return ["name", "-name", "modified", "-modified"]

    def entries(self) -> list:
        raise NotImplementedError

    def get_queryset(self):
        values = self.filters.values() if self.filters else {}
        return sel.entries_filter(self.entries(), ordering=self.ordering, **values)


class FolderView(_LibraryListingView):
    """A folder of 组织文档 or 个人文档: its sub-folders and files, new folder and upload, 本类别 actions."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.folder_id = kwargs["folder_id"]

    @cached_property
    def folder(self):
        return sel.folder_get_for_view(self.request.user, self.folder_id)

    def get_page_title(self):
        return self.folder.display_name

    def get_index_url(self):
        return reverse("cms_library:folder", args=[self.folder.pk])

    def get_index_results_url(self):
        return reverse("cms_library:folder_results", args=[self.folder.pk])

    def get_breadcrumbs_items(self):
        chain = [{"url": reverse("cms_library:folder", args=[f.pk]), "label": f.display_name}
                 for f in sel.folder_ancestors(self.folder)[:-1]]
        return [{"url": reverse("wagtailadmin_home"), "label": _("Home")}, *chain,
                {"url": "", "label": self.get_page_title()}]

    def entries(self):
        return sel.folder_entries(self.request.user, self.folder, query=self.search_query)

    @cached_property
    def columns(self):
        return _columns(bulk=True, show_location=self.is_searching)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, folder = self.request.user, self.folder
        can_change = sel.folder_can_change(user, folder)
        context.update(
            folder=folder, space_label=LibrarySpace(folder.space).label, bulk=True,
            can_add=sel.folder_can_add(user, folder), can_change=can_change,
            groups=sel.share_groups_for(user) if can_change else [],
            shares=folder.shares.select_related("group") if can_change else [],
            allowed=", ".join(allowed_extensions()), max_mb=round(max_upload_bytes() / 1048576, 1),
        )
        return context


class SharedView(_LibraryListingView):
    """与我共享: what others shared with the user's share groups, read-only."""

    page_title = gettext_lazy("Shared with me")
    header_icon = "group"
    index_url_name = "cms_library:shared"
    index_results_url_name = "cms_library:shared_results"
    table_classname = "listing cms-lib-no-checkbox"  # no bulk column: library.css pads the first column instead

    def get_page_title(self):
        return self.page_title

    def entries(self):
        return sel.shared_entries(self.request.user, query=self.search_query)

    @cached_property
    def columns(self):
        return _columns(bulk=False, show_location=False, sharing=False) + [
            Column("group", label=gettext_lazy("Share group"), accessor=lambda e: e.share.group.name),
            Column("shared_by", label=gettext_lazy("Shared by"), classname="cms-lib-phone-hide",
                   accessor=lambda e: e.share.shared_by.username if e.share.shared_by else ""),
        ]
