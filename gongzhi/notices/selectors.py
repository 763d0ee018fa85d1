"""Reads on notices for views and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from gongzhi.notices.models import Notice
from gongzhi.notices.permissions import notices_visible_to
from gongzhi.places.models import Compound


def board_for(user, compound: Compound, *, kind: str = "") -> QuerySet[Notice]:
    """The compound's board as the user may read it: pinned first, newest first."""
    qs = notices_visible_to(user, compound).select_related("posted_by__person")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-pinned", "-posted_at", "-id")


def notices_about(obj) -> QuerySet[Notice]:
    """Notices posted about one object (e.g. an assembly), newest first."""
    return Notice.objects.filter(
        related_type=obj._meta.label_lower, related_id=str(obj.pk)
    ).order_by("-posted_at", "-id")
