"""Review workflow URLs, mounted in the Wagtail admin at /admin/review/ (see wagtail_hooks).

The list's batch actions (批量接收 / 批量退回 of the ticked reports) live at Wagtail's
/admin/bulk/reporting/submission/<receive|return>/."""
from django.urls import path

from . import admin_views as views

app_name = "workflow_review"
urlpatterns = [
    path("", views.ReviewIndexView.as_view(), name="list"),
    path("results/", views.ReviewIndexView.as_view(results_only=True), name="list_results"),
    path("receive-all/", views.receive_all, name="receive_all"),
    path("skip-receive/", views.skip_receive, name="skip_receive"),
    path("enterprise/<int:enterprise_id>/<str:month>/", views.enterprise_month, name="month"),
    path("report/<int:pk>/", views.submission_view, name="submission"),
    path("report/<int:pk>/receive/", views.submission_receive, name="receive"),
    path("report/<int:pk>/return/", views.submission_return, name="return"),
    path("changes/", views.changes, name="changes"),
    path("audit/", views.audit, name="audit"),
    path("changes/<int:pk>/approve/", views.change_approve, name="change_approve"),
    path("changes/<int:pk>/return/", views.change_return, name="change_return"),
]
