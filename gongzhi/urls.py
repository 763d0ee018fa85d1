from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

api_v1 = [
    path("", include("gongzhi.core.api_urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/<version>/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
    path("", include("gongzhi.core.urls")),
    path("", include("gongzhi.people.urls")),
    path("", include("gongzhi.places.urls")),
    path("", include("gongzhi.bodies.urls")),
    path("", include("gongzhi.audit.urls")),
    path("", include("gongzhi.roster.urls")),
    path("", include("gongzhi.voting.urls")),
    path("", include("gongzhi.demands.urls")),
    path("", include("gongzhi.notifications.urls")),
    path("", include("gongzhi.notices.urls")),
    path("", include("gongzhi.lists.urls")),
]

if settings.BENCH_ENDPOINTS:
    urlpatterns.insert(0, path("bench/", include("gongzhi.core.bench_urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
