from django.urls import path

from gongzhi.roster import views

app_name = "roster"
urlpatterns = [
    path("compounds/<int:pk>/roster/import", views.roster_import, name="import"),
    path("compounds/<int:pk>/roster/export", views.roster_export, name="export"),
    path("roster/template.xlsx", views.roster_template, name="template"),
]
