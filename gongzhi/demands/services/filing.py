"""Filing demands and micro-wishes (居民点单), following and commenting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core import ratelimit, sql
from gongzhi.core.access import ensure
from gongzhi.demands import notify, permissions, rules
from gongzhi.demands.models import (
    DESCRIPTION_MAX,
    STAFF_CHANNELS,
    Category,
    Channel,
    Demand,
    EventKind,
    Follower,
    FollowReason,
    Kind,
    PlaceKind,
    Urgency,
)
from gongzhi.demands.photos import prepare as prepare_photos
from gongzhi.demands.rules import DemandError
from gongzhi.demands.services._common import actor_account, add_event, save_photos
from gongzhi.people.models import Ownership, Person, Residency
from gongzhi.people.permissions import lives_or_owns_in
from gongzhi.people.selectors import homes_of
from gongzhi.places import rules as place_rules
from gongzhi.places.models import Building, Compound, Room


@contextmanager
def filing_allowance(*, actor, address: str, behalf: bool) -> Iterator[None]:
    """Count one filing (demand or micro-wish) against the rate limits: the account's
    (RATE_DEMAND_FILE_ACCOUNT for a resident, RATE_DEMAND_FILE_STAFF for staff filing on
    someone's behalf) and the client address's (RATE_DEMAND_FILE_ADDRESS). Counted in the
    cache (core.ratelimit): no database query. Raises ratelimit.RateLimited past either;
    a filing refused for what it says gives its count back. Every filing entry point (the
    pages, the API, Open311) files inside one."""
    account = actor_account(actor)
    taken = ratelimit.take(
        ratelimit.Limit(
            "demand.file.staff" if behalf else "demand.file",
            str(account.pk) if account is not None else "",
            settings.RATE_DEMAND_FILE_STAFF if behalf else settings.RATE_DEMAND_FILE_ACCOUNT,
            _("提交太频繁:每 %(period)s 最多提交 %(count)s 件,请 %(wait)s 后再试。"),
        ),
        ratelimit.Limit(
            "demand.file.address",
            address,
            settings.RATE_DEMAND_FILE_ADDRESS,
            _("从您所在的网络提交的诉求太多,请 %(wait)s 后再试。"),
        ),
    )
    try:
        yield
    except (ValidationError, PermissionDenied):  # DemandError is a ValidationError
        ratelimit.give_back(taken)
        raise


def _lives_or_owns(person_id: int, room: Room, account=None) -> bool:
    """Does the person live in or own ``room`` now? For the acting account's own person
    the answer comes from the homes already read for its grants (people.selectors)."""
    if account is not None and account.person_id == person_id:
        return any(home.room_id == room.pk for home in homes_of(account))
    lives = Residency.objects.filter(
        person_id=person_id,
        household__room=room,
        until__isnull=True,
        household__moved_out__isnull=True,
    ).exists()
    return (
        lives
        or Ownership.objects.filter(person_id=person_id, room=room, until__isnull=True).exists()
    )


def _resolve_place(
    compound: Compound, place_kind: str, room: Room | None, building: Building | None
) -> tuple[Room | None, Building | None, str, dict]:
    """The room / building / common area, checked against the compound; its path."""
    errors: dict[str, list[str]] = {}
    if place_kind not in PlaceKind.values:
        errors["place_kind"] = [_("请选择位置:本户、楼栋或小区公共区域。")]
        return None, None, "", errors
    if place_kind == PlaceKind.ROOM:
        if room is None:
            errors["room"] = [_("请选择房屋。")]
        elif room.compound_id != compound.pk:
            errors["room"] = [_("所选房屋不属于该小区。")]
        else:
            # The web form reads the room with its building (select_related): no read more.
            cached = Room.building.is_cached(room)
            building = room.building if cached else sql.by_pk(Building, room.building_id)
            return room, building, room.path, errors
    elif place_kind == PlaceKind.BUILDING:
        if building is None:
            errors["building"] = [_("请选择楼栋。")]
        elif building.compound_id != compound.pk:
            errors["building"] = [_("所选楼栋不属于该小区。")]
        else:
            return None, building, building.path, errors
    else:
        return None, None, compound.path, errors
    return None, None, "", errors


def _create(
    *,
    actor,
    kind: str,
    compound: Compound | None,
    reporter: Person | None,
    category: Category | None,
    description: str,
    place_kind: str,
    room: Room | None,
    building: Building | None,
    location_note: str,
    urgency: str,
    is_public: bool,
    channel: str,
    uploads,
    now: dt.datetime | None,
) -> Demand:
    errors: dict[str, list[str]] = {}
    if compound is None:
        raise DemandError({"compound": [_("请选择小区。")]})
    text = (description or "").strip()
    if not text:
        errors["description"] = [
            _("请填写诉求内容。") if kind == Kind.DEMAND else _("请填写心愿内容。")
        ]
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = [_("描述不能超过%(max)s字。") % {"max": DESCRIPTION_MAX}]
    if category is None and kind == Kind.DEMAND:
        errors["category"] = [_("请选择诉求类别。")]
    elif category is not None and (
        not category.is_active or category.compound_id not in (None, compound.pk)
    ):
        errors["category"] = [_("该类别不适用于本小区。")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("紧急程度无效。")]
    if channel not in Channel.values:
        errors["channel"] = [_("来源渠道无效。")]
    if len(location_note or "") > 200:
        errors["location_note"] = [_("位置说明不能超过200字。")]
    room, building, place_path, place_errors = _resolve_place(compound, place_kind, room, building)
    errors.update(place_errors)
    if errors:
        raise DemandError(errors)
    prepared = prepare_photos(uploads)  # every photo checked before anything is written

    now = now or timezone.now()
    accept_hours = category.accept_within_hours if category else rules.DEFAULT_ACCEPT_HOURS
    accept_by = rules.accept_deadline(now, accept_hours)
    demand = Demand.objects.create(
        kind=kind,
        street_id=dict(place_rules.parse_path(compound.path))["street"],  # d/s/c/p/
        community_id=compound.community_id,
        compound=compound,
        place_kind=place_kind,
        room=room,
        building=building,
        location_note=(location_note or "").strip(),
        place_path=place_path,
        category=category,
        description=text,
        urgency=urgency,
        is_public=bool(is_public),
        reporter=reporter,
        filed_by=actor_account(actor),
        channel=channel,
        accept_by=accept_by,
        due_at=accept_by,
        created_at=now,
    )
    if reporter is not None:
        Follower.objects.create(
            demand=demand, person=reporter, reason=FollowReason.REPORTER, created_at=now
        )
    save_photos(actor, demand, prepared)
    add_event(
        actor,
        demand,
        kind=EventKind.FILED,
        to_state=demand.state,
        data={"channel": channel, "photos": len(prepared)},
        at=now,
    )
    audit.record(
        actor=actor,
        action=f"{kind}.file",
        obj=demand,
        after=snapshot(demand),
        place_path=place_path,
    )
    notify.after_commit(demand, kind="demand.filed", audiences=[notify.DISPATCHERS], actor=actor)
    return demand


def _self_reporter(actor, compound: Compound, place_kind: str, room: Room | None) -> Person:
    if compound is None:
        raise DemandError({"compound": [_("请选择小区。")]})
    account = actor_account(actor)
    if account is None:
        raise PermissionDenied(_("请先登录。"))
    ensure(permissions.can_file(account, compound.path), _("只有本小区的居民或业主可以提交诉求。"))
    if not account.person_id:
        raise DemandError(_("您的账号尚未关联人员信息,请联系社区。"))
    if (
        place_kind == PlaceKind.ROOM
        and room is not None
        and room.compound_id == compound.pk
        and not _lives_or_owns(account.person_id, room, account)
    ):
        raise DemandError({"room": [_("只能为自己居住或拥有的房屋提交诉求。")]})
    return account.person  # read with the account by the API's token authentication


@transaction.atomic
def demand_file(
    *,
    actor,
    compound: Compound,
    category: Category | None,
    description: str,
    place_kind: str = PlaceKind.COMMON,
    room: Room | None = None,
    building: Building | None = None,
    location_note: str = "",
    urgency: str = Urgency.NORMAL,
    is_public: bool = False,
    photos=(),
    channel: str = Channel.APP,
    now: dt.datetime | None = None,
) -> Demand:
    """A resident or owner files a demand in their compound (线上 or 扫码)."""
    if channel not in (Channel.APP, Channel.QR):
        raise DemandError({"channel": [_("居民自行提交只能通过线上或扫码。")]})
    reporter = _self_reporter(actor, compound, place_kind, room)
    return _create(
        actor=actor,
        kind=Kind.DEMAND,
        compound=compound,
        reporter=reporter,
        category=category,
        description=description,
        place_kind=place_kind,
        room=room,
        building=building,
        location_note=location_note,
        urgency=urgency,
        is_public=is_public,
        channel=channel,
        uploads=photos,
        now=now,
    )


def _check_on_behalf(actor, compound, reporter, channel, place_kind, room, building=None) -> None:
    if compound is None:
        raise DemandError({"compound": [_("请选择小区。")]})
    account = actor_account(actor)
    if actor is not None:
        if account is None:
            raise PermissionDenied(_("请先登录。"))
        ensure(
            permissions.can_file_on_behalf(account, compound.path)
            or (room is not None and permissions.can_file_on_behalf(account, room.path))
            or (building is not None and permissions.can_file_on_behalf(account, building.path)),
            _("只有本小区的工作人员可以代居民录入诉求。"),
        )
    if channel not in STAFF_CHANNELS:
        raise DemandError({"channel": [_("代录入须注明来源:电话、入户走访、纸质意见条或会议。")]})
    if reporter is not None and not lives_or_owns_in(reporter, compound.path):
        # The reporter comes to see and withdraw the demand: only a person of the compound.
        raise DemandError({"reporter": [_("本小区没有这位住户或业主。")]})
    if (
        reporter is not None
        and place_kind == PlaceKind.ROOM
        and room is not None
        and room.compound_id == compound.pk
        and not _lives_or_owns(reporter.pk, room)
    ):
        raise DemandError({"room": [_("诉求人不是该房屋的住户或业主。")]})


@transaction.atomic
def demand_file_on_behalf(
    *,
    actor,
    reporter: Person | None,
    channel: str,
    compound: Compound,
    category: Category | None,
    description: str,
    place_kind: str = PlaceKind.COMMON,
    room: Room | None = None,
    building: Building | None = None,
    location_note: str = "",
    urgency: str = Urgency.NORMAL,
    is_public: bool = False,
    photos=(),
    now: dt.datetime | None = None,
) -> Demand:
    """Staff record a resident's demand from a phone call, a visit, a paper slip or a
    meeting. ``reporter`` may be None for an anonymous paper slip."""
    _check_on_behalf(actor, compound, reporter, channel, place_kind, room, building)
    return _create(
        actor=actor,
        kind=Kind.DEMAND,
        compound=compound,
        reporter=reporter,
        category=category,
        description=description,
        place_kind=place_kind,
        room=room,
        building=building,
        location_note=location_note,
        urgency=urgency,
        is_public=is_public,
        channel=channel,
        uploads=photos,
        now=now,
    )


@transaction.atomic
def microwish_file(
    *,
    actor,
    compound: Compound,
    description: str,
    reporter: Person | None = None,
    channel: str = Channel.APP,
    category: Category | None = None,
    place_kind: str = PlaceKind.ROOM,
    room: Room | None = None,
    building: Building | None = None,
    location_note: str = "",
    is_public: bool = True,
    photos=(),
    now: dt.datetime | None = None,
) -> Demand:
    """微心愿: a resident's wish (often an elderly one's, recorded by staff on a visit) to be
    fulfilled by a volunteer, a partner unit or a 双报到 party member."""
    if reporter is None:
        if channel not in (Channel.APP, Channel.QR):
            raise DemandError({"channel": [_("居民自行提交只能通过线上或扫码。")]})
        reporter = _self_reporter(actor, compound, place_kind, room)
    else:
        _check_on_behalf(actor, compound, reporter, channel, place_kind, room, building)
    return _create(
        actor=actor,
        kind=Kind.MICRO_WISH,
        compound=compound,
        reporter=reporter,
        category=category,
        description=description,
        place_kind=place_kind,
        room=room,
        building=building,
        location_note=location_note,
        urgency=Urgency.NORMAL,
        is_public=is_public,
        channel=channel,
        uploads=photos,
        now=now,
    )


@transaction.atomic
def demand_follow(*, actor, demand: Demand) -> Follower:
    """Follow a demand one may see (e.g. a public one of one's compound: "me too")."""
    account = actor_account(actor)
    ensure(account is not None and permissions.can_view(account, demand), _("您无权关注该诉求。"))
    if not account.person_id:
        raise DemandError(_("您的账号尚未关联人员信息,请联系社区。"))
    if demand.state in rules.TERMINAL:
        raise DemandError(_("该诉求已结束,不能再关注。"))
    follower, created = Follower.objects.get_or_create(
        demand=demand, person_id=account.person_id, defaults={"reason": FollowReason.FOLLOWED}
    )
    if created:
        audit.record(
            actor=actor,
            action="demand.follow",
            obj=demand,
            after={"person": account.person_id},
            place_path=demand.place_path,
        )
    return follower


@transaction.atomic
def demand_unfollow(*, actor, demand: Demand) -> None:
    account = actor_account(actor)
    if account is None or not account.person_id:
        raise PermissionDenied(_("请先登录。"))
    if demand.reporter_id == account.person_id:
        raise DemandError(_("诉求人不能取消关注自己的诉求。"))
    deleted = Follower.objects.filter(demand=demand, person_id=account.person_id).delete()[0]
    if deleted:
        audit.record(
            actor=actor,
            action="demand.unfollow",
            obj=demand,
            before={"person": account.person_id},
            place_path=demand.place_path,
        )


@transaction.atomic
def demand_comment(*, actor, demand: Demand, text: str) -> None:
    """A note on the timeline by the reporter, a follower, the handler or staff."""
    account = actor_account(actor)
    ensure(account is not None and permissions.can_comment(account, demand), _("您无权留言。"))
    text = (text or "").strip()
    if not text:
        raise DemandError({"text": [_("请填写留言内容。")]})
    if len(text) > 1000:
        raise DemandError({"text": [_("留言不能超过1000字。")]})
    try:
        add_event(actor, demand, kind=EventKind.COMMENT, text=text)
    except IntegrityError:  # pragma: no cover - the demand vanished meanwhile
        raise DemandError(_("诉求不存在。")) from None
    audit.record(
        actor=actor,
        action="demand.comment",
        obj=demand,
        after={"text": text},
        place_path=demand.place_path,
    )
