from django.urls import path

from zhiben.registry.web import excel, views

app_name = "registry"
urlpatterns = [
    path("enterprises/", views.EnterpriseList.as_view(), name="enterprise_list"),
    path("enterprises/new/", views.EnterpriseCreate.as_view(), name="enterprise_create"),
    path("enterprises/<int:pk>/", views.EnterpriseDetail.as_view(), name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseEdit.as_view(), name="enterprise_edit"),
    path("enterprises/<int:pk>/qualifications/new/", views.QualificationCreate.as_view(),
         name="qualification_create"),
    path("qualifications/<int:pk>/edit/", views.QualificationEdit.as_view(), name="qualification_edit"),
    path("projects/", views.ProjectList.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreate.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectEdit.as_view(), name="project_edit"),
    path("projects/<int:pk>/participants/new/", views.ParticipantCreate.as_view(), name="participant_create"),
    path("projects/<int:pk>/dangerous-works/new/", views.DangerousWorkCreate.as_view(),
         name="dangerous_work_create"),
    path("dangerous-works/<int:pk>/edit/", views.DangerousWorkEdit.as_view(), name="dangerous_work_edit"),
    path("persons/", views.PersonList.as_view(), name="person_list"),
    path("persons/new/", views.PersonCreate.as_view(), name="person_create"),
    path("persons/<int:pk>/", views.PersonDetail.as_view(), name="person_detail"),
    path("persons/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("persons/<int:pk>/employments/new/", views.EmploymentCreate.as_view(), name="employment_create"),
    path("persons/<int:pk>/certificates/new/", views.CertificateCreate.as_view(), name="certificate_create"),
    path("employments/<int:pk>/edit/", views.EmploymentEdit.as_view(), name="employment_edit"),
    path("certificates/", views.CertificateList.as_view(), name="certificate_list"),
    path("certificates/<int:pk>/edit/", views.CertificateEdit.as_view(), name="certificate_edit"),
    path("warnings/", views.warnings, name="warnings"),
    path("import/", excel.import_page, name="import"),
    path("import/<int:pk>/", excel.import_detail, name="import_detail"),
    path("import/<int:pk>/mapping/", excel.import_mapping, name="import_mapping"),
    path("import/<int:pk>/report/", excel.import_report, name="import_report"),
    path("template/<slug:kind>/", excel.template_download, name="template"),
    path("export/<slug:kind>/", excel.export, name="export"),
]
