from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from gongzhi.core.registry import app_url_modules

api_v1 = [
    path("", include("gongzhi.core.api_urls")),
]

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema", SpectacularAPIView.as_view(api_version="v1"), name="api-schema"),
    path("api/docs", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "api/redoc",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="core/api/redoc.html"),
        name="api-redoc",
    ),
    path("api/<version>/", include((api_v1, "api"))),
    path("admin/", admin.site.urls),
    path("", include("gongzhi.core.urls")),
    # Each installed app's pages (its urls module), in INSTALLED_APPS order.
    *(path("", include(module)) for module in app_url_modules("urls")),
]

# Requests refused before a view runs: JSON under /api/ (and Open311), a page in Chinese
# elsewhere (core.errors).
handler400 = "gongzhi.core.errors.bad_request"
handler403 = "gongzhi.core.errors.permission_denied"
handler404 = "gongzhi.core.errors.page_not_found"
handler500 = "gongzhi.core.errors.server_error"

if settings.BENCH_ENDPOINTS:
    urlpatterns.insert(0, path("bench/", include("gongzhi.core.bench_urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
