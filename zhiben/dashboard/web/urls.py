from django.urls import path

from zhiben.dashboard.web import views

app_name = "dashboard"
urlpatterns = [
    path("", views.campaign, name="campaign"),
    path("screen/", views.screen, name="screen"),
    path("export/", views.export, name="export"),
    path("monthly-report/", views.monthly_report, name="monthly_report"),
]
