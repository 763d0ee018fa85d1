"""API v1: each app contributes its routes in its own api_urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("gongzhi.core.api_routes")),
    path("", include("gongzhi.places.api_urls")),
    path("", include("gongzhi.people.api_urls")),
    path("", include("gongzhi.bodies.api_urls")),
    path("", include("gongzhi.audit.api_urls")),
    path("", include("gongzhi.roster.api_urls")),
    path("", include("gongzhi.voting.api_urls")),
    path("", include("gongzhi.demands.api_urls")),
    path("", include("gongzhi.notifications.api_urls")),
    path("", include("gongzhi.notices.api_urls")),
    path("", include("gongzhi.lists.api_urls")),
]
