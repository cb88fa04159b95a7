"""催报 URLs, mounted in the Wagtail admin at /admin/reminders/ (see wagtail_hooks)."""
from django.urls import path

from . import bulk_actions, views

app_name = "reminders"
urlpatterns = [
    path("", views.NonReporterIndexView.as_view(), name="index"),
    path("results/", views.NonReporterIndexView.as_view(results_only=True), name="index_results"),
    path("bulk/remind/", bulk_actions.bulk_remind, name="bulk_remind"),
    path("send/", views.send_one, name="send"),
    path("send-all/", views.send_all, name="send_all"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
]
