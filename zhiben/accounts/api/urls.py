from django.urls import path
from rest_framework.routers import SimpleRouter

from zhiben.accounts.api import views

router = SimpleRouter()
router.register("users", views.UserViewSet, basename="user")

urlpatterns = [
    path("auth/token/", views.ObtainToken.as_view(), name="api-token"),
    *router.urls,
]
