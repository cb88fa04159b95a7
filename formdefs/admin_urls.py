"""报表定义 URLs, mounted in the Wagtail admin at /admin/formdefs/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views as views

app_name = "formdefs_admin"
urlpatterns = [
    path("", views.DefinitionListView.as_view(), name="list"),
    path("upload/", views.DefinitionUploadView.as_view(), name="upload"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version"),
    path("versions/<int:pk>/document.json", views.version_document, name="document"),
    path("versions/<int:pk>/enable/", views.VersionEnableView.as_view(), name="enable"),
]
