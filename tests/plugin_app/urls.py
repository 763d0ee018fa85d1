from django.http import HttpResponse
from django.urls import path

app_name = "plugin_app"


def garden(request, pk):
    return HttpResponse(f"花园 {pk}")


def index(request):
    return HttpResponse("插件")


urlpatterns = [
    path("plugin/", index, name="index"),
    path("plugin/<int:pk>/garden/", garden, name="garden"),
]
