from django.urls import path

from gongzhi.places import views

app_name = "places"
urlpatterns = [
    path("compounds/", views.compound_list, name="compound_list"),
    path("compounds/<int:pk>/", views.compound_detail, name="compound_detail"),
    path(
        "compounds/<int:pk>/buildings/<int:bpk>/",
        views.building_detail,
        name="building_detail",
    ),
    path("compounds/<int:pk>/residents/", views.resident_list, name="resident_list"),
]
