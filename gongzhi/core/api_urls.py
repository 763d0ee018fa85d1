"""API v1: core's routes, then each installed app's ``api_urls`` (core.registry)."""

from django.urls import include, path

from gongzhi.core.registry import app_url_modules

urlpatterns = [
    path("", include("gongzhi.core.api_routes")),
    *(path("", include(module)) for module in app_url_modules("api_urls")),
]
