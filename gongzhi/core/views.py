"""The home page: a landing page for visitors, and for signed-in users one card per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongzhi.core import registry
from gongzhi.core.selectors import home_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/landing.html", {"features": registry.features()})
    return render(request, "core/home.html", {"home": home_for(request.user)})
