"""Document library URLs, mounted in the Wagtail admin at /admin/library/ (see wagtail_hooks).

The bulk actions live at Wagtail's /admin/bulk/cms/libraryfile/<move|copy|delete>/ (cms.bulk_actions)."""
from django.urls import path

from .views import groups, library, listing

app_name = "cms_library"
urlpatterns = [
    path("space/<str:space>/", library.space, name="space"),
    path("folder/<int:folder_id>/", listing.FolderView.as_view(), name="folder"),
    path("folder/<int:folder_id>/results/", listing.FolderView.as_view(results_only=True), name="folder_results"),
    path("folder/<int:folder_id>/action/", library.folder_action, name="folder_action"),
    path("file/<int:file_id>/", library.file, name="file"),
    path("file/<int:file_id>/action/", library.file_action, name="file_action"),
    path("file/<int:file_id>/download/", library.download, name="download"),
    path("file/<int:file_id>/preview/", library.preview, name="preview"),
    path("file/<int:file_id>/inline/", library.inline, name="inline"),
    path("shared/", listing.SharedView.as_view(), name="shared"),
    path("shared/results/", listing.SharedView.as_view(results_only=True), name="shared_results"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/<int:group_id>/", groups.group, name="group"),
    path("groups/<int:group_id>/action/", groups.group_action, name="group_action"),
]
