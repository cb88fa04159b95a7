from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.region_children, name="region-children"),
    path("industries/", views.industry_children, name="industry-children"),
    path("registration-types/", views.registration_type_children, name="registration-type-children"),
]
