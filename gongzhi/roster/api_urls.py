"""Roster API routes, included from /api/<version>/ (gongzhi.core.api_urls)."""

from django.urls import path

from gongzhi.roster import api

urlpatterns = [
    path("compounds/<int:pk>/roster", api.CompoundRosterView.as_view(), name="compound-roster"),
]
