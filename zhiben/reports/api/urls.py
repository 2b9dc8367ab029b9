from django.urls import path
from rest_framework.routers import SimpleRouter

from zhiben.reports.api.views import (
    PublicReportCreateView,
    PublicReportTrackView,
    PublicRewardClaimView,
    ReportViewSet,
    RewardViewSet,
)

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("rewards", RewardViewSet, basename="reward")
urlpatterns = [
    path("public/reports/", PublicReportCreateView.as_view(), name="public-report-create"),
    path("public/reports/<str:receipt_code>/", PublicReportTrackView.as_view(), name="public-report-track"),
    path("public/reports/<str:receipt_code>/claim/", PublicRewardClaimView.as_view(), name="public-reward-claim"),
    *router.urls,
]
