"""催报 URLs, mounted in the Wagtail admin at /admin/reminders/ (see wagtail_hooks)."""
from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.index, name="index"),
    path("send/", views.send_one, name="send"),
    path("send-all/", views.send_all, name="send_all"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
]
