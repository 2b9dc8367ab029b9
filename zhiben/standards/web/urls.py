from django.urls import path

from zhiben.standards.web import views

app_name = "standards"
urlpatterns = [
    path("", views.standard_list, name="list"),
    path("<int:pk>/", views.standard_detail, name="detail"),
    path("<int:pk>/compare/", views.standard_compare, name="compare"),
    path("<int:pk>/copy/", views.standard_copy, name="copy"),
    path("<int:pk>/edit/", views.standard_edit, name="edit"),
    path("<int:pk>/publish/", views.standard_publish, name="publish"),
    path("<int:pk>/items/new/", views.item_new, name="item_new"),
    path("<int:pk>/items/<int:item_pk>/", views.item_row, name="item_row"),
    path("<int:pk>/items/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
]
