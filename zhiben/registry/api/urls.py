"""Registry routes under /api/v1/ (included by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from zhiben.registry.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("enterprises", views.EnterpriseViewSet, basename="enterprise")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("persons", views.PersonViewSet, basename="person")
router.register("certificates", views.CertificateViewSet, basename="certificate")

urlpatterns = router.urls
