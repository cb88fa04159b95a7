"""Mounted in the Wagtail admin at /admin/api-tokens/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views as views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
