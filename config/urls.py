from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("", include("zhiben.core.urls")),
    path("accounts/", include("zhiben.accounts.web.urls")),
    path("registry/", include("zhiben.registry.web.urls")),
    path("standards/", include("zhiben.standards.web.urls")),
    path("hazards/", include("zhiben.hazards.web.urls")),
    path("reports/", include("zhiben.reports.web.urls")),
    path("public/", include("zhiben.reports.web.public_urls")),
    path("captcha/", include("captcha.urls")),
    path("notifications/", include("zhiben.notifications.web.urls")),
    path("dashboard/", include("zhiben.dashboard.web.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = "zhiben.core.views.not_found"
