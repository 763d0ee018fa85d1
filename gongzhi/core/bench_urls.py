"""Benchmark-only routes, included under ``bench/`` when ``BENCH_ENDPOINTS=true`` (see
gongzhi/urls.py and bench/run.py). Never enabled in a deployment."""

from django.urls import path

from gongzhi.core import bench_views

app_name = "bench"

urlpatterns = [
    path("floor", bench_views.floor, name="floor"),
]
