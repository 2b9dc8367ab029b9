from rest_framework.routers import SimpleRouter

from zhiben.hazards.api.views import HazardViewSet

router = SimpleRouter()
router.register("hazards", HazardViewSet, basename="hazard")
urlpatterns = router.urls
