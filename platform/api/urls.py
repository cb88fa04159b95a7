"""/api/v1/ (the API, its OpenAPI document and docs) and the portal's token pages (/api/tokens/)."""
from django.urls import path

from . import views
from .v1 import api

urlpatterns = [
    path("v1/", api.urls),
    path("tokens/", views.tokens, name="api-tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
]
