"""Places API v1 routes (included under api/<version>/ by core.api_urls)."""

from django.urls import path

from gongzhi.places import api

app_name = "places"

urlpatterns = [
    path("compounds", api.CompoundListView.as_view(), name="compound-list"),
    path("compounds/<int:pk>", api.CompoundDetailView.as_view(), name="compound-detail"),
    path(
        "compounds/<int:pk>/buildings",
        api.CompoundBuildingsView.as_view(),
        name="compound-buildings",
    ),
    path("buildings/<int:pk>/rooms", api.BuildingRoomsView.as_view(), name="building-rooms"),
]
