from django.urls import path
from rest_framework.routers import SimpleRouter

from zhiben.standards.api import views

router = SimpleRouter()
router.register("standards", views.StandardViewSet, basename="standard")

item_list = views.StandardItemViewSet.as_view({"get": "list", "post": "create"})
item_detail = views.StandardItemViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("standards/items-in-force/", views.ItemsInForceView.as_view(), name="standard-items-in-force"),
    path("standards/<int:standard_pk>/items/", item_list, name="standard-item-list"),
    path("standards/<int:standard_pk>/items/<int:pk>/", item_detail, name="standard-item-detail"),
    *router.urls,
]
