"""企业上报导入 URLs, mounted in the Wagtail admin at /admin/imports/ (see wagtail_hooks)."""
from django.urls import path

from . import views
from .admin_list import ImportJobIndexView

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("jobs/", ImportJobIndexView.as_view(), name="jobs"),
    path("jobs/results/", ImportJobIndexView.as_view(results_only=True), name="jobs_results"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:job_id>/export/", views.job_export, name="job_export"),
    path("jobs/<int:job_id>/file/", views.job_file, name="job_file"),
]
