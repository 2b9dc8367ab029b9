from django.urls import path

from zhiben.reports.web import pages

app_name = "reports"
urlpatterns = [
    path("", pages.report_list, name="list"),
    path("<int:pk>/", pages.report_detail, name="detail"),
    path("<int:pk>/assign/", pages.report_assign, name="assign"),
    path("<int:pk>/verify/", pages.report_verify, name="verify"),
    path("<int:pk>/close/", pages.report_close, name="close"),
    path("<int:pk>/reward/", pages.reward_propose, name="reward"),
    path("<int:pk>/identity/", pages.identity_reveal, name="identity"),
    path("<int:pk>/photos/<int:photo_pk>/", pages.photo, name="photo"),
    path("rewards/<int:pk>/approve/", pages.reward_approve, name="reward_approve"),
    path("rewards/<int:pk>/reject/", pages.reward_reject, name="reward_reject"),
    path("rewards/<int:pk>/pay/", pages.reward_pay, name="reward_pay"),
    path("rewards/<int:pk>/claimant/", pages.reward_claimant, name="reward_claimant"),
    path("reveals/", pages.reveal_log, name="reveals"),
]
