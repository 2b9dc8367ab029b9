"""All of /api/v1/: each app contributes its routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhiben.accounts.api.urls")),
    path("", include("zhiben.people.api.urls")),
    path("", include("zhiben.registry.api.urls")),
    path("", include("zhiben.hazards.api.urls")),
    path("", include("zhiben.reports.api.urls")),
    path("", include("zhiben.dashboard.api.urls")),
    path("", include("zhiben.standards.api.urls")),
]
