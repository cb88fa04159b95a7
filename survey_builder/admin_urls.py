"""问卷发布和统计 URLs, mounted in the Wagtail admin at /admin/surveys/ (see wagtail_hooks)."""
from django.urls import path

from . import admin_design, admin_views as views
from . import admin_xlsform

app_name = "survey_admin"
urlpatterns = [
    path("", views.QuestionnaireIndexView.as_view(), name="list"),
    path("results/", views.QuestionnaireIndexView.as_view(results_only=True), name="list_results"),
    path("new/", admin_design.design_new, name="new"),
    path("import-xlsform/", admin_xlsform.xlsform_import, name="xlsform_import"),
    path("<int:pk>/xlsform/", admin_xlsform.xlsform_export, name="xlsform_export"),
    path("<int:pk>/design/<int:step>/", admin_design.design_step, name="design"),
    path("<int:pk>/preview/", views.preview, name="preview"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/stop/", views.stop, name="stop"),
    path("<int:pk>/distribute/", views.distribute, name="distribute"),
    path("<int:pk>/answers/", views.answers, name="answers"),
    path("<int:pk>/statistics/", views.analyse, name="analyse"),
]
