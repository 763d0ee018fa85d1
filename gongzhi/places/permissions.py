"""Access to places: a place is seen by those whose grants cover it or lie inside it."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.places import rules
from gongzhi.places.models import Community, Compound


def can_view_place(user, path: str) -> bool:
    return access.allows(user, Cap.VIEW_PLACE, path) or access.reaches(user, path)


def compounds_visible_to(user):
    """Compounds the user's grants cover, or that contain one of the user's grants."""
    if access.is_superuser(user):
        return Compound.objects.all()
    q = access.scope_q(user, Cap.VIEW_PLACE)
    enclosing = {rules.ancestor_at(g.path, "compound") for g in access.grants_for(user)}
    enclosing.discard(None)
    if enclosing:
        q |= Q(path__in=enclosing)
    return Compound.objects.filter(q)


def get_compound_for(user, pk: int) -> Compound:
    """The compound, if the user may see it; 404 otherwise (an outsider learns nothing)."""
    compound = get_object_or_404(Compound.objects.select_related("community__street"), pk=pk)
    if not can_view_place(user, compound.path):
        raise Http404
    return compound


def get_community_for(user, pk: int) -> Community:
    """The community, if the user may see it; 404 otherwise (as get_compound_for)."""
    community = get_object_or_404(Community.objects.select_related("street"), pk=pk)
    if not can_view_place(user, community.path):
        raise Http404
    return community
