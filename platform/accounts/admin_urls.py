"""下级管理员维护 URLs, mounted in the Wagtail admin at /admin/subordinates/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_views

app_name = "accounts_admin"
urlpatterns = [
    path("", admin_views.tree, name="tree"),
    path("create/", admin_views.create, name="create"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/edit/", admin_views.edit, name="edit"),
    path("<int:pk>/delete/", admin_views.delete, name="delete"),
    path("<int:pk>/password/", admin_views.password_reset, name="password"),
]
