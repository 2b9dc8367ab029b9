from django.urls import path

from zhiben.registry.web import excel

app_name = "registry"
urlpatterns = [
    path("import/", excel.import_page, name="import"),
    path("import/<int:pk>/", excel.import_detail, name="import_detail"),
    path("import/<int:pk>/report/", excel.import_report, name="import_report"),
    path("template/<slug:kind>/", excel.template_download, name="template"),
    path("export/<slug:kind>/", excel.export, name="export"),
]
