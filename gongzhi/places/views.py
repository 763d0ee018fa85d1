"""Compounds, buildings and residents, as the user's roles let them see them.

Every view loads its compound through ``places.permissions.get_compound_for`` (404
outside the user's scope) and asks the permissions modules what else to show.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from gongzhi.bodies.models import BodyKind
from gongzhi.bodies.permissions import can_view_body
from gongzhi.bodies.selectors import bodies_of_place
from gongzhi.core import access
from gongzhi.core.access import ensure
from gongzhi.core.capabilities import Cap
from gongzhi.people import services as people_services
from gongzhi.people.permissions import can_edit_roster, can_view_roster
from gongzhi.people.selectors import resident_cards, residents_of, sight_at
from gongzhi.places.models import Building
from gongzhi.places.permissions import can_view_place, get_compound_for
from gongzhi.places.rules import natural_key
from gongzhi.places.selectors import (
    building_rows,
    buildings_of,
    compound_figures,
    compound_search,
)

PAGE_SIZE = 50
SEARCH_MAX = 50


def _search_term(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:SEARCH_MAX]


def _partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a history restore needs the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@require_GET
def compound_list(request: HttpRequest) -> HttpResponse:
    q = _search_term(request)
    page = Paginator(compound_search(request.user, search=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "places/compound_list.html", {"page": page, "q": q})


@login_required
@require_GET
def compound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    compound = get_compound_for(user, pk)
    # Roster counts are for the roles that keep or oversee the roster; the compound's
    # public figures are for everyone who may see the compound.
    show_figures = can_view_roster(user, compound.path) or access.allows(
        user, Cap.VIEW_FIGURES, compound.path
    )
    bodies = [(b, can_view_body(user, b)) for b in bodies_of_place(compound.path)]
    return render(
        request,
        "places/compound_detail.html",
        {
            "compound": compound,
            "figures": compound_figures(compound) if show_figures else None,
            "own_bodies": [(b, ok) for b, ok in bodies if b.place_path.startswith(compound.path)],
            "upper_bodies": [
                (b, ok) for b, ok in bodies if not b.place_path.startswith(compound.path)
            ],
            "property_companies": [
                b
                for b, _ok in bodies
                if b.kind == BodyKind.PROPERTY_COMPANY and b.place_path.startswith(compound.path)
            ],
            "buildings": [
                (b, can_view_place(user, b.path))
                for b in sorted(buildings_of(compound), key=lambda b: natural_key(b.name))
            ],
            "can_view_roster": can_view_roster(user, compound.path),
            "can_edit_roster": can_edit_roster(user, compound.path),
        },
    )


@login_required
@require_GET
def building_detail(request: HttpRequest, pk: int, bpk: int) -> HttpResponse:
    user = request.user
    compound = get_compound_for(user, pk)
    building = get_object_or_404(Building.objects.select_related("grid"), pk=bpk, compound=compound)
    if not can_view_place(user, building.path):
        raise Http404
    roster = can_view_roster(user, building.path)
    sight = sight_at(user, building.path)
    rows = building_rows(building, roster=roster, sight=sight)
    people_services.id_numbers_shown(
        actor=user, persons=sight.id_numbers_shown, place_path=building.path,
        where="places:building_detail", label=f"{compound.name} {building.name}",
    )  # fmt: skip
    return render(
        request,
        "places/building_detail.html",
        {
            "compound": compound,
            "building": building,
            "rows": rows,
            "roster": roster,
            "reveal": sight.reveal,
        },
    )


@login_required
@require_GET
def resident_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    compound = get_compound_for(user, pk)
    ensure(can_view_roster(user, compound.path))
    q = _search_term(request)
    page = Paginator(residents_of(compound, search=q), PAGE_SIZE).get_page(request.GET.get("page"))
    sight = sight_at(user, compound.path)
    page.object_list = resident_cards(page.object_list, sight)  # this page's rows only
    people_services.id_numbers_shown(
        actor=user, persons=sight.id_numbers_shown, place_path=compound.path,
        where="places:resident_list", label=compound.name,
    )  # fmt: skip
    template = "places/_resident_table.html" if _partial(request) else "places/resident_list.html"
    response = render(
        request,
        template,
        {
            "compound": compound,
            "page": page,
            "q": q,
            "reveal": sight.reveal,
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
