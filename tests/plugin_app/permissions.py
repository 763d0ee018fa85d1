"""The test app's named predicates, as every app has them (the permission matrix reads them)."""

from django.http import Http404

from gongzhi.core import access
from gongzhi.places.models import Compound
from tests.plugin_app.capabilities import GardenCap


def can_water(user, place_path: str) -> bool:
    """Residents and building leaders water the garden where they live or serve."""
    return access.allows(user, GardenCap.WATER, place_path)


def get_garden_for(user, pk: int) -> Compound:
    """The compound whose garden ``user`` may water; 404 otherwise."""
    compound = Compound.objects.filter(pk=pk).first()
    if compound is None or not can_water(user, compound.path):
        raise Http404
    return compound
