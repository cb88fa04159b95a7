from django.urls import path

from . import views_associations, views_registration

app_name = "enterprises"
urlpatterns = [
    path("register/", views_registration.RegistrationWizardView.as_view(), name="register"),
    path("registration/", views_registration.registration_status, name="registration"),
    path("associations/", views_associations.associations, name="associations"),
    path("associations/<int:pk>/apply/", views_associations.filler_apply, name="filler-apply"),
    path("associations/<int:pk>/handover/", views_associations.filler_handover, name="filler-handover"),
    path("switch/", views_associations.enterprise_switch, name="switch"),
]
