"""Demands (诉求) and micro-wishes (微心愿): DOMAIN.md mechanism 1, the closed loop.

States and moves are in ``rules.py``; every write goes through ``services``. The database
holds the invariants that must never break whatever code writes: one kind of place, a
handler whenever one is needed, ratings 1–5, merged ⇔ merged_into. Denormalised columns
(street, community, compound, place_path, due_at, rating, counters) keep the inbox, the
dispatch board, the escalation job and the street figures on narrow indexes at
district scale (2,000,000 demands).
"""

from gongzhi.demands.models.demand import (
    DESCRIPTION_MAX,
    STAFF_CHANNELS,
    Category,
    Channel,
    Demand,
    Kind,
    PlaceKind,
    Urgency,
)
from gongzhi.demands.models.routing import EscalationChain, RoutingRule, default_chain
from gongzhi.demands.models.timeline import (
    DemandEvent,
    DemandPhoto,
    Evaluation,
    EventKind,
    Follower,
    FollowReason,
    PhotoStage,
    photo_upload_to,
)

__all__ = [
    "DESCRIPTION_MAX",
    "STAFF_CHANNELS",
    "Category",
    "Channel",
    "Demand",
    "DemandEvent",
    "DemandPhoto",
    "EscalationChain",
    "Evaluation",
    "EventKind",
    "Follower",
    "FollowReason",
    "Kind",
    "PhotoStage",
    "PlaceKind",
    "RoutingRule",
    "Urgency",
    "default_chain",
    "photo_upload_to",
]
