"""People routes under /api/v1/ (included by config/api_urls.py)."""

from django.urls import path

from zhiben.people.api import views

urlpatterns = [
    path("persons/<str:pk>/competence/", views.CompetenceView.as_view(), name="person-competence"),
]
