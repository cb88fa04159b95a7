"""数据查询 URLs, mounted in the Wagtail admin at /admin/analytics/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views as views

app_name = "analytics"
urlpatterns = [
    path("remind/", views.remind, name="remind"),
    path("progress/", views.progress_page, name="progress"),
    path("<slug:key>/", views.QueryListingView.as_view(), name="query"),
    path("<slug:key>/results/", views.QueryListingView.as_view(results_only=True), name="query_results"),
    path("<slug:key>/export/", views.query_export, name="export"),
]
