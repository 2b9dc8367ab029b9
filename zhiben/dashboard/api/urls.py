from django.urls import path

from zhiben.dashboard.api.views import CampaignView, FiguresView

urlpatterns = [
    path("dashboard/campaign/", CampaignView.as_view(), name="api-campaign"),
    path("dashboard/figures/", FiguresView.as_view(), name="api-figures"),
]
