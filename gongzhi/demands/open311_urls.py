"""Open311 GeoReport v2 routes, included by demands.urls at open311/v2/."""

from django.urls import path, re_path

from gongzhi.demands import open311

app_name = "open311"
FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("discovery.json", open311.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", open311.services_list, name="services"),
    re_path(rf"^services/(?P<code>[^/.]+)\.{FMT}$", open311.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", open311.requests_view, name="requests"),
    re_path(rf"^requests/(?P<pk>[^/.]+)\.{FMT}$", open311.request_detail, name="request"),
    path("media/<int:photo_pk>.jpg", open311.media, name="media"),
]
