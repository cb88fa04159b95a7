from django.urls import path

from . import views

app_name = "survey_builder"
urlpatterns = [
    path("<int:pk>/<str:period>/", views.AnswerWizardView.as_view(), name="answer"),
]
