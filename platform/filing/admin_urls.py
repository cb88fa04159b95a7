"""填报任务管理 URLs, mounted in the Wagtail admin at /admin/filing/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views as views

app_name = "filing_admin"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("new/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("<int:pk>/open/", views.task_open, name="task_open"),
    path("<int:pk>/close/", views.task_close, name="task_close"),
    path("applications/", views.application_list, name="applications"),
    path("applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
]
