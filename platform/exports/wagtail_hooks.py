"""Wagtail admin integration of the exports: URLs only (the 我的导出 menu item lives in 数据查询)."""
from django.urls import include, path
from wagtail import hooks

from . import admin_urls


@hooks.register("register_admin_urls")
def export_urls():
    return [path("exports/", include(admin_urls, namespace="exports"))]
