from django.urls import path

from . import views, views_receipt

app_name = "reporting"
urlpatterns = [
    path("", views.history, name="history"),
    path("current/", views.current, name="current"),
    path("import/", views.import_page, name="import"),
    path("s/<int:pk>/", views.detail, name="detail"),
    path("s/<int:pk>/print/", views.detail_print, name="print"),
    path("s/<int:pk>/receipt/", views_receipt.receipt, name="receipt"),
    path("s/<int:pk>/export.xlsx", views.detail_export, name="export"),
    path("s/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:key>/template.xlsx", views.template_download, name="template"),
    path("<slug:key>/<str:period>/fill/", views.ReportWizardView.as_view(), name="fill"),
    path("<slug:key>/<str:period>/", views.submit_page, name="submit"),
]
