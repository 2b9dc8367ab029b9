from django.urls import path, re_path

from zhiben.hazards.web import actions, excel, notices, views

app_name = "hazards"
urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("new/items/", views.item_options, name="item_options"),
    path("export/", excel.export, name="export"),
    path("import/", excel.import_page, name="import"),
    path("import/template/", excel.import_template, name="import_template"),
    path("import/<int:pk>/mapping/", excel.import_mapping, name="import_mapping"),
    path("import/<int:pk>/", excel.import_detail, name="import_detail"),
    path("import/<int:pk>/report/", excel.import_report, name="import_report"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", actions.act, name="act"),
    path("<int:pk>/evidence/", actions.add_evidence, name="evidence"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("notices/", notices.NoticeList.as_view(), name="notice_list"),
    path("notices/new/<int:project_id>/", notices.notice_create, name="notice_create"),
    path("notices/<int:pk>/", notices.NoticeDetail.as_view(), name="notice_detail"),
    re_path(r"^notices/(?P<pk>\d+)/(?P<fmt>docx|pdf)/$", notices.notice_file, name="notice_file"),
]
