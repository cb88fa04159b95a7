from django.urls import path

from . import views

app_name = "survey_builder"
urlpatterns = [
    path("", views.my_questionnaires, name="mine"),
    path("<int:pk>/<str:period>/", views.AnswerWizardView.as_view(), name="answer"),
]
