"""Who sees and who posts notices. Built on core.access like every app's permissions."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from gongzhi.core import access
from gongzhi.notices.capabilities import NoticeCap
from gongzhi.notices.models import Notice
from gongzhi.places.models import Compound
from gongzhi.places.permissions import can_view_place


def can_post_notice(user, compound: Compound) -> bool:
    """Those who run the compound's business (NoticeCap.POST_NOTICE: community staff,
    branch leads, grid workers, owners' committee chairs)."""
    return access.allows(user, NoticeCap.POST_NOTICE, compound.path)


def _caps_at(user, path: str) -> list[str]:
    return sorted(access.capabilities_at(user, path))


def can_view_notice(user, notice: Notice) -> bool:
    path = notice.compound.path
    if not can_view_place(user, path):
        return False
    return not notice.audience_cap or access.allows(user, notice.audience_cap, path)


def notices_visible_to(user, compound: Compound) -> QuerySet[Notice]:
    """The compound's notices the user may read (the caller has checked the compound)."""
    audience = Q(audience_cap="") | Q(audience_cap__in=_caps_at(user, compound.path))
    return Notice.objects.filter(compound=compound).filter(audience)


def get_notice_for(user, pk: int) -> Notice:
    notice = get_object_or_404(Notice.objects.select_related("compound", "posted_by"), pk=pk)
    if not can_view_notice(user, notice):
        raise Http404
    return notice
