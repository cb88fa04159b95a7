"""Export URLs, mounted in the Wagtail admin at /admin/exports/ (see wagtail_hooks)."""
from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/download/", views.job_download, name="download"),
    path("<int:pk>/delete/", views.job_delete, name="delete"),
]
