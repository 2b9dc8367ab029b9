"""The public portal, mounted on the public URL prefix (/public/): the only pages that need no login."""

from django.urls import path

from zhiben.reports.web import public

app_name = "public"
urlpatterns = [
    path("", public.portal, name="portal"),
    path("reports/new/", public.report_new, name="report_new"),
    path("reports/track/", public.track, name="track"),
    path("reports/claim/", public.claim, name="claim"),
    path("projects/", public.project_search, name="projects"),
    path("enterprises/", public.enterprise_search, name="enterprises"),
]
