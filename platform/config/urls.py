import re

from django.conf import settings
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from reporting import views as reporting_views
from reporting import views_receipt

from .views import healthz, metrics, readyz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("ref/", include("regions.urls")),
    path("forms/", include("formdefs.urls")),
    path("enterprise/", include("enterprises.urls")),
    path("content/", include("cms.urls")),
    # The back office uses the same two-step login (password + SMS code) as the portal.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("reports/", include("reporting.urls")),
    # 回执核验: public, no login (issue 21 §3).
    path("receipt/check/", views_receipt.receipt_check, name="receipt_verify"),
    path("surveys/", include("survey_builder.urls")),
    path("tasks/", include("filing.urls")),
    path("api/", include("api.urls")),
    path("", reporting_views.home, name="home"),
]


def media_serve(request, path):
    """MEDIA_ROOT (Wagtail images) in DEBUG only, as `static()` would, except the private directories.

    Batch import files are stored in the private root and served by imports:job_file to the
    administrators who may see the job; PRIVATE_MEDIA keeps a file left under MEDIA_ROOT/imports/
    from an older version unreachable by URL too.
    """
    if not settings.DEBUG or path.replace("\\", "/").lstrip("/").split("/", 1)[0].lower() in PRIVATE_MEDIA:
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


#: Directories of MEDIA_ROOT never served by URL.
PRIVATE_MEDIA = ("imports",)
urlpatterns += [re_path(r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")), media_serve)]

# Wagtail pages (notices, guides) are served below the portal's own routes.
urlpatterns += [path("", include(wagtail_urls))]

# Error pages in the user's language and the portal's or the back office's layout (config.errors).
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
