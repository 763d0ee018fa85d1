"""Who may import and export a compound's roster (花名册), on top of people.permissions.

Import and export both need EDIT_ROSTER at the compound (core.capabilities: "import,
export, edit rooms and people"): an export discloses every owner and resident at once.
Whether the export shows full phones, ID numbers and care flags is a separate question
per kind (people.permissions.reveal_at: Cap.VIEW_PHONE, VIEW_ID_NUMBER, VIEW_CARE).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongzhi.people import permissions as people_permissions
from gongzhi.people.rules import Reveal
from gongzhi.places import permissions as places_permissions
from gongzhi.places.models import Compound


def can_import_roster(user, compound: Compound) -> bool:
    return people_permissions.can_edit_roster(user, compound.path)


def can_export_roster(user, compound: Compound) -> bool:
    return people_permissions.can_edit_roster(user, compound.path)


def export_reveal(user, compound: Compound) -> Reveal:
    """What of people's personal data the export shows in full; the rest is masked."""
    return people_permissions.reveal_at(user, compound.path)


def get_compound_for_roster(user, pk: int, *, export: bool = False) -> Compound:
    """The compound for a roster page: 404 when the user cannot see it, 403 when the user
    sees it but may not import (or export) its roster."""
    compound = places_permissions.get_compound_for(user, pk)
    allowed = can_export_roster if export else can_import_roster
    if not allowed(user, compound):
        raise PermissionDenied(_("您没有权限导入或导出该小区的花名册。"))
    return compound
