"""People API v1 routes (included under api/<version>/ by core.api_urls)."""

from django.urls import path

from gongzhi.people import api

app_name = "people"

urlpatterns = [
    path(
        "compounds/<int:pk>/residents",
        api.CompoundResidentsView.as_view(),
        name="compound-residents",
    ),
    path("people/<int:pk>", api.PersonDetailView.as_view(), name="person-detail"),
]
