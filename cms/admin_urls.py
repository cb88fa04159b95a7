"""Document library URLs, mounted in the Wagtail admin at /admin/library/ (see wagtail_hooks)."""
from django.urls import path

from .views import groups, library

app_name = "cms_library"
urlpatterns = [
    path("space/<str:space>/", library.space, name="space"),
    path("folder/<int:folder_id>/", library.folder, name="folder"),
    path("folder/<int:folder_id>/action/", library.folder_action, name="folder_action"),
    path("file/<int:file_id>/", library.file, name="file"),
    path("file/<int:file_id>/action/", library.file_action, name="file_action"),
    path("file/<int:file_id>/download/", library.download, name="download"),
    path("file/<int:file_id>/preview/", library.preview, name="preview"),
    path("file/<int:file_id>/inline/", library.inline, name="inline"),
    path("shared/", library.shared_with_me, name="shared"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/<int:group_id>/", groups.group, name="group"),
    path("groups/<int:group_id>/action/", groups.group_action, name="group_action"),
]
