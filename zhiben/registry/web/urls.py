from django.urls import path

from zhiben.registry.web import excel, views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/qualifications/new/", views.qualification_create, name="qualification_create"),
    path("qualifications/<int:pk>/edit/", views.qualification_edit, name="qualification_edit"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/participants/new/", views.participant_create, name="participant_create"),
    path("projects/<int:pk>/dangerous-works/new/", views.dangerous_work_create, name="dangerous_work_create"),
    path("dangerous-works/<int:pk>/edit/", views.dangerous_work_edit, name="dangerous_work_edit"),
    path("persons/", views.person_list, name="person_list"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/employments/new/", views.employment_create, name="employment_create"),
    path("persons/<int:pk>/certificates/new/", views.certificate_create, name="certificate_create"),
    path("employments/<int:pk>/edit/", views.employment_edit, name="employment_edit"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/edit/", views.certificate_edit, name="certificate_edit"),
    path("warnings/", views.warnings, name="warnings"),
    path("import/", excel.import_page, name="import"),
    path("import/<int:pk>/", excel.import_detail, name="import_detail"),
    path("import/<int:pk>/mapping/", excel.import_mapping, name="import_mapping"),
    path("import/<int:pk>/report/", excel.import_report, name="import_report"),
    path("template/<slug:kind>/", excel.template_download, name="template"),
    path("export/<slug:kind>/", excel.export, name="export"),
]
