from django.urls import path

from . import views

app_name = "formdefs"
urlpatterns = [
    path("preview/<int:version_id>/", views.PreviewWizardView.as_view(), name="preview"),
    path("preview/<int:version_id>/done/", views.PreviewDoneView.as_view(), name="preview-done"),
    path("demo/<slug:key>/", views.DemoWizardView.as_view(), name="demo"),
    path("answers/<int:pk>/", views.AnswerView.as_view(), name="answer"),
]
