from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from reporting import views as reporting_views

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
    path("surveys/", include("survey_builder.urls")),
    path("tasks/", include("filing.urls")),
    path("api/", include("api.urls")),
    path("", reporting_views.home, name="home"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail pages (notices, guides) are served below the portal's own routes.
urlpatterns += [path("", include(wagtail_urls))]
