"""Back-office URLs of enterprises, mounted in the Wagtail admin at /admin/enterprises/ (see wagtail_hooks).

The batch actions live at Wagtail's /admin/bulk/enterprises/enterprise/<disable|reviewer>/.
"""
from django.urls import path

from . import admin_views as views

app_name = "enterprises_admin"
urlpatterns = [
    path("", views.EnterpriseIndexView.as_view(), name="enterprises"),
    path("results/", views.EnterpriseIndexView.as_view(results_only=True), name="enterprises_results"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise"),
    path("<int:pk>/disable/", views.enterprise_disable, name="disable"),
    path("<int:pk>/enable/", views.enterprise_enable, name="enable"),
    path("<int:pk>/delete/", views.enterprise_delete, name="delete"),
    path("registrations/", views.RegistrationIndexView.as_view(), name="registrations"),
    path("registrations/results/", views.RegistrationIndexView.as_view(results_only=True), name="registrations_results"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="registration_approve"),
    path("registrations/<int:pk>/return/", views.registration_return, name="registration_return"),
    path("registrations/<int:pk>/delete/", views.registration_delete, name="registration_delete"),
]
