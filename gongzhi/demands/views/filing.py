"""Where /demands/ leads, and filing: a resident's demand or micro-wish, or one filed on
someone's behalf, with category suggestions and the resident search."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from gongzhi.core.ratelimit import RateLimited, client_address
from gongzhi.demands import forms as f
from gongzhi.demands import permissions, selectors, services, web_selectors
from gongzhi.demands.models import Channel, Kind, PlaceKind
from gongzhi.demands.photos import MAX_PHOTOS
from gongzhi.demands.services.filing import filing_allowance
from gongzhi.demands.views._common import (
    SEARCH_MAX,
    _int,
    _refused,
)
from gongzhi.places.models import Room
from gongzhi.places.permissions import get_compound_for

# --- entry ----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/demands/: the board for dispatchers, the inbox for handlers, else my demands."""
    user = request.user
    if permissions.may_dispatch_somewhere(user):
        return redirect("demands:board")
    if permissions.may_handle_somewhere(user):
        return redirect("demands:inbox")
    return redirect("demands:mine")


@login_required
@require_GET
def compound_new(request: HttpRequest, pk: int) -> HttpResponse:
    """/compounds/<pk>/demands/new/: a linkable way into the filing form of a compound."""
    compound = get_compound_for(request.user, pk)
    return redirect(f"{reverse('demands:new')}?{urlencode({'compound': compound.pk})}")


# --- filing -----------------------------------------------------------------------------------

KIND_TITLES = {
    (Kind.DEMAND, False): gettext_lazy("反映诉求"),
    (Kind.DEMAND, True): gettext_lazy("代居民录入诉求"),
    (Kind.MICRO_WISH, False): gettext_lazy("许个微心愿"),
    (Kind.MICRO_WISH, True): gettext_lazy("代居民登记微心愿"),
}
FILE_URLS = {
    (Kind.DEMAND, False): "demands:new",
    (Kind.DEMAND, True): "demands:new_behalf",
    (Kind.MICRO_WISH, False): "demands:new_wish",
    (Kind.MICRO_WISH, True): "demands:new_wish_behalf",
}


def _filing(request: HttpRequest, *, kind: str, behalf: bool) -> HttpResponse:
    user = request.user
    url_name = FILE_URLS[(kind, behalf)]
    compound_id = _int(request.GET.get("compound"))
    if compound_id is None:
        compounds = (
            web_selectors.behalf_compounds(user) if behalf else web_selectors.filing_compounds(user)
        )
        if len(compounds) == 1:
            query = request.GET.copy()
            query["compound"] = str(compounds[0].pk)
            return redirect(f"{reverse(url_name)}?{query.urlencode()}")
        if not compounds and not behalf and web_selectors.behalf_compounds(user):
            return redirect(FILE_URLS[(kind, True)])
        return render(
            request,
            "demands/choose_compound.html",
            {"compounds": compounds, "url_name": url_name, "title": KIND_TITLES[(kind, behalf)]},
        )

    compound = get_compound_for(user, compound_id)
    if behalf:
        if not web_selectors.may_file_on_behalf_in(user, compound):
            return _refused(request, _("只有本小区的工作人员可以代居民录入诉求。"))
        rooms = Room.objects.none()
    else:
        if not permissions.can_file(user, compound.path):
            if web_selectors.may_file_on_behalf_in(user, compound):
                return redirect(f"{reverse(FILE_URLS[(kind, True)])}?compound={compound.pk}")
            return _refused(request, _("只有本小区的居民或业主可以提交诉求。"))
        rooms = web_selectors.own_rooms(user, compound)
    form_kwargs = {
        "kind": kind,
        "behalf": behalf,
        "categories": selectors.categories_for(compound),
        "rooms": rooms,
        "buildings": compound.buildings.all(),
        "find_reporter": lambda person_id, room_id: web_selectors.resident_choice(
            user, compound, person_id, room_id
        ),
    }
    channel = Channel.QR if request.GET.get("via") == "qr" else Channel.APP
    status = 200
    if request.method == "POST":
        form = f.FileForm(request.POST, request.FILES, **form_kwargs)
        status = 400
        if form.is_valid():
            kwargs = form.service_kwargs()
            address = client_address(request)
            try:
                with filing_allowance(actor=user, address=address, behalf=behalf):
                    demand = _file(user, compound, kind, behalf, channel, kwargs)
            except RateLimited as exc:  # what was typed stays in the form
                form.add_error(None, exc.message)
                status = 429
            except ValidationError as exc:
                f.add_service_errors(form, exc)
            except PermissionDenied as exc:  # e.g. a place outside a grid worker's grid
                form.add_error(None, str(exc))
            else:
                return redirect("demands:filed", pk=demand.pk)
    # Read only for a page shown: a filing that succeeds redirects without them.
    room_list = list(rooms)
    if request.method != "POST":
        initial = {
            "place_kind": PlaceKind.ROOM if (room_list or behalf) else PlaceKind.COMMON,
            "room": room_list[0].pk if room_list else None,
        }
        form = f.FileForm(initial=initial, **form_kwargs)
    return render(
        request,
        "demands/file.html",
        {
            "form": form,
            "compound": compound,
            "kind": kind,
            "behalf": behalf,
            "title": KIND_TITLES[(kind, behalf)],
            "buildings": web_selectors.buildings_in(compound),
            "own_rooms": room_list,
            "via_qr": channel == Channel.QR,
            "selected_reporter": getattr(form, "selected_reporter", None),
            "max_photos": MAX_PHOTOS,
        },
        status=status,
    )


def _file(user, compound, kind, behalf, channel, kwargs):
    """One filing service, by kind and by who files."""
    if kind == Kind.MICRO_WISH:
        if not behalf:
            kwargs["channel"] = channel
        return services.microwish_file(actor=user, compound=compound, **kwargs)
    if behalf:
        return services.demand_file_on_behalf(actor=user, compound=compound, **kwargs)
    return services.demand_file(actor=user, compound=compound, channel=channel, **kwargs)


def _filing_page(kind: str, *, behalf: bool):
    @login_required
    @require_http_methods(["GET", "POST"])
    def page(request: HttpRequest) -> HttpResponse:
        return _filing(request, kind=kind, behalf=behalf)

    return page


file_demand = _filing_page(Kind.DEMAND, behalf=False)
file_on_behalf = _filing_page(Kind.DEMAND, behalf=True)
file_wish = _filing_page(Kind.MICRO_WISH, behalf=False)
file_wish_on_behalf = _filing_page(Kind.MICRO_WISH, behalf=True)


@login_required
@require_GET
def suggest_category(request: HttpRequest) -> HttpResponse:
    """htmx: the category suggested from the description typed so far."""
    compound = get_compound_for(request.user, _int(request.GET.get("compound")) or 0)
    text = request.GET.get("description", "")[:500]
    suggested = selectors.suggest_category(compound, text) if text.strip() else None
    return render(request, "demands/_suggestion.html", {"suggested": suggested})


@login_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """htmx: residents of the compound by room or phone, for filing on their behalf."""
    compound = get_compound_for(request.user, _int(request.GET.get("compound")) or 0)
    if not web_selectors.may_file_on_behalf_in(request.user, compound):
        raise Http404
    q = request.GET.get("q", "").strip()[:SEARCH_MAX]
    choices = web_selectors.resident_choices(request.user, compound, q)
    return render(
        request, "demands/_resident_choices.html", {"choices": choices, "q": q, "kind": None}
    )


@login_required
@require_GET
def filed(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after filing, with the demand's number."""
    demand = selectors.demand_for(request.user, pk)
    return render(request, "demands/filed.html", {"demand": demand})
