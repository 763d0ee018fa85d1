"""Bodies API v1 routes (included under api/<version>/ by core.api_urls)."""

from django.urls import path

from gongzhi.bodies import api

app_name = "bodies"

urlpatterns = [
    path("compounds/<int:pk>/bodies", api.CompoundBodiesView.as_view(), name="compound-bodies"),
    path("bodies/<int:pk>", api.BodyDetailView.as_view(), name="body-detail"),
    path(
        "bodies/<int:pk>/memberships",
        api.BodyMembershipsView.as_view(),
        name="body-memberships",
    ),
    path("memberships/<int:pk>/end", api.MembershipEndView.as_view(), name="membership-end"),
    path("bodies/<int:pk>/dissolve", api.BodyDissolveView.as_view(), name="body-dissolve"),
]
