from django.urls import path

from zhiben.registry.web import views

app_name = "registry"
urlpatterns = []
