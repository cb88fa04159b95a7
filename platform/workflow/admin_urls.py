"""Review workflow URLs, mounted in the Wagtail admin at /admin/review/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views as views

app_name = "workflow_review"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("receive-all/", views.receive_all, name="receive_all"),
    path("skip-receive/", views.skip_receive, name="skip_receive"),
    path("return-several/", views.bulk_return, name="bulk_return"),
    path("enterprise/<int:enterprise_id>/<str:month>/", views.enterprise_month, name="month"),
    path("report/<int:pk>/", views.submission_view, name="submission"),
    path("report/<int:pk>/receive/", views.submission_receive, name="receive"),
    path("report/<int:pk>/return/", views.submission_return, name="return"),
    path("changes/", views.changes, name="changes"),
    path("audit/", views.audit, name="audit"),
    path("changes/<int:pk>/approve/", views.change_approve, name="change_approve"),
    path("changes/<int:pk>/return/", views.change_return, name="change_return"),
]
