from django.urls import path

from . import views

app_name = "filing"
urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("apply/", views.application_list, name="applications"),
    path("apply/<int:pk>/", views.apply, name="apply"),
    path("<int:pk>/fill/", views.TaskWizardView.as_view(), name="fill"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/template.xlsx", views.template_download, name="template"),
    path("<int:pk>/import/", views.import_page, name="import"),
    path("reports/", views.report_list, name="reports"),
    path("reports/export/", views.report_batch_export, name="batch_export"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/export.xlsx", views.report_export, name="report_export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
