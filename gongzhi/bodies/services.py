"""Writes on bodies: founding and dissolving a body, appointing and ending memberships,
linking households."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.bodies import permissions
from gongzhi.bodies.models import Body, CentralHouseholdLink, Membership, PartyMember, Post
from gongzhi.core import access
from gongzhi.core.access import ensure, is_superuser
from gongzhi.core.capabilities import Cap
from gongzhi.core.refs import ensure_field
from gongzhi.people import permissions as people_permissions
from gongzhi.people import rules as people_rules
from gongzhi.people.models import Household, Person
from gongzhi.places.models import Community, Compound
from gongzhi.places.rules import is_within


@transaction.atomic
def body_create(
    *, actor, kind: str, name: str, place, parent: Body | None = None, **fields
) -> Body:
    """Found a body at a place node (a street, community, compound, grid or building)."""
    ensure(
        actor is None
        or is_superuser(actor)
        or access.allows(actor, Cap.MANAGE_BODIES, permissions.founding_scope(place.path))
    )
    compound = place if isinstance(place, Compound) else getattr(place, "compound", None)
    community = place if isinstance(place, Community) else getattr(compound, "community", None)
    body = Body(
        kind=kind,
        name=name,
        place_path=place.path,
        compound=compound,
        community=community,
        parent=parent,
        **fields,
    )
    body.full_clean()
    body.save()
    audit.record(actor=actor, action="body.create", obj=body, after=snapshot(body))
    return body


REASON_MAX = Body._meta.get_field("dissolution_reason").max_length


@transaction.atomic
def body_dissolve(*, actor, body: Body, on: dt.date | None = None, reason: str) -> Body:
    """撤销: the body ceases to exist on ``on`` (default today; a later day for a contract
    that ends then, an earlier one for a dissolution recorded late). From that day its
    members hold none of its posts (``models.membership_current_q``): no grants, no inbox,
    no place where they are registered by it. Their terms are left as they were, so the
    history of who held which post stays true. Allowed to whoever may found a body there
    (``permissions.can_dissolve``); refused for a body already dissolved."""
    ensure(actor is None or permissions.can_dissolve(actor, body))
    body = Body.objects.select_for_update().get(pk=body.pk)  # two at once: the second waits
    if body.dissolved_on is not None:
        raise ValidationError(
            {"on": _("该组织已于 %(day)s 撤销。") % {"day": body.dissolved_on.isoformat()}}
        )
    on = on or timezone.localdate()
    errors = {}
    if body.established_on is not None and on < body.established_on:
        errors["on"] = [_("撤销日期不能早于成立日期。")]
    reason = " ".join((reason or "").split())
    if not reason:
        errors["reason"] = [_("请填写撤销原因。")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("撤销原因不能超过 %(n)s 个字。") % {"n": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    members = list(  # every term not yet over: their holders' cached grants carry the body
        Membership.objects.filter(body=body)
        .filter(Q(end__isnull=True) | Q(end__gte=timezone.localdate()))
        .select_related("person__account")
    )
    before = snapshot(body, ["dissolved_on", "dissolution_reason"])
    body.dissolved_on, body.dissolution_reason = on, reason
    body.save(update_fields=["dissolved_on", "dissolution_reason"])
    audit.record(
        actor=actor,
        action="body.dissolve",
        obj=body,
        before=before,
        after=snapshot(body, ["dissolved_on", "dissolution_reason"]),
        place_path=body.place_path,
    )
    for membership in members:  # their grants were read with the body still current
        _forget_person(membership.person)
    access.forget(actor)
    return body


@transaction.atomic
def membership_appoint(
    *,
    actor,
    body: Body,
    person: Person | None = None,
    newcomer: dict | None = None,
    post: str,
    scope=None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Membership:
    """Give a person a post in a body for a term; ``scope`` narrows it (building, grid).

    ``person`` is someone already registered, whom the actor must reach (bodies.manage
    wherever they are registered: people.permissions). ``newcomer`` (name, phone, and
    optionally id_number and gender) registers a person not yet known, by this post: a
    property clerk or a partner unit's liaison who lives elsewhere.
    """
    ensure(actor is None or permissions.can_manage_members(actor, body))
    if (person is None) == (newcomer is None):
        raise ValidationError({"person": _("请指定一位已登记的人员,或登记一位新人员。")})
    if post not in Post.values:
        raise ValidationError({"post": _("未知职务。")})
    if not body.is_current(start or timezone.localdate()):
        raise ValidationError({"start": _("该组织已撤销,不能任命成员。")})
    scope_path = scope.path if scope is not None else body.place_path
    if not is_within(scope_path, body.place_path):
        raise ValidationError({"scope": _("负责范围必须在组织所在范围之内。")})
    ensure(
        actor is None or permissions.can_appoint(actor, body, post, scope_path),
        _("不能任命拥有您本人所没有权限的职务(如业委会主任须经选举产生)。"),
    )
    if newcomer is not None:
        person, registered = _register_newcomer(actor, newcomer, scope_path), []
    else:
        registered = people_permissions.registered_paths([person.pk]).get(person.pk, [])
        ensure_field(
            actor is None
            or people_permissions.can_reach_person(
                actor, person, Cap.MANAGE_BODIES, paths=registered
            ),
            "person",
            people_permissions.PERSON_NOT_FOUND,
        )
    membership = Membership(
        body=body,
        person=person,
        post=post,
        scope_path=scope_path,
        start=start or timezone.localdate(),
        end=end,
    )
    membership.full_clean()
    membership.save()
    audit.record(
        actor=actor,
        action="membership.appoint",
        obj=membership,
        after=snapshot(membership),
        place_path=scope_path,
        also_at=registered,
    )
    _forget_person(person)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, end: dt.date | None = None) -> Membership:
    ensure(actor is None or permissions.can_manage_members(actor, membership.body))
    end = end or timezone.localdate()
    if membership.end is not None and membership.end <= timezone.localdate():
        raise ValidationError({"end": _("该任职已经结束。")})
    if end < membership.start:
        raise ValidationError({"end": _("任期结束不能早于开始。")})
    before = snapshot(membership, ["end"])
    membership.end = end
    membership.save(update_fields=["end"])
    _forget_person(membership.person)
    audit.record(
        actor=actor,
        action="membership.end",
        obj=membership,
        before=before,
        after=snapshot(membership, ["end"]),
        place_path=membership.scope_path,
    )
    return membership


@transaction.atomic
def central_household_link(
    *, actor, membership: Membership, household: Household
) -> CentralHouseholdLink:
    """Link a household to a party-member central household (article 003: five each)."""
    ensure(actor is None or permissions.can_manage_members(actor, membership.body))
    if membership.post != Post.CENTRAL_HOUSEHOLD:
        raise ValidationError(_("只有党员中心户可以联系住户。"))
    if not Membership.objects.active().filter(pk=membership.pk).exists():
        raise ValidationError(_("该党员中心户的任期已结束。"))
    if not is_within(household.room.path, membership.scope_path):
        raise ValidationError(_("联系户必须在本组织范围内。"))
    link = CentralHouseholdLink.objects.create(membership=membership, household=household)
    audit.record(
        actor=actor,
        action="central_household.link",
        obj=link,
        after=snapshot(link),
        place_path=household.room.path,
    )
    return link


@transaction.atomic
def party_member_register(
    *,
    actor,
    person: Person,
    organisation: Body | None = None,
    organisation_name: str = "",
    is_in_service: bool = False,
    registered_community: Community | None = None,
    joined_on: dt.date | None = None,
) -> PartyMember:
    """Record a party member; in-service members may 双报到 at the community where they live."""
    scope = (
        registered_community.path
        if registered_community
        else organisation.place_path
        if organisation
        else ""
    )
    ensure(actor is None or is_superuser(actor) or access.allows(actor, Cap.MANAGE_BODIES, scope))
    if registered_community is not None and not is_in_service:
        raise ValidationError(_("只有在职党员可以双报到。"))
    # The person is someone the actor reaches (bodies.manage wherever they are registered:
    # people.permissions); anyone else is refused as a missing person is (core.refs).
    registered = people_permissions.registered_paths([person.pk]).get(person.pk, [])
    ensure_field(
        actor is None
        or people_permissions.can_reach_person(actor, person, Cap.MANAGE_BODIES, paths=registered),
        "person",
        people_permissions.PERSON_NOT_FOUND,
    )
    member = PartyMember(
        person=person,
        organisation=organisation,
        organisation_name=organisation_name,
        is_in_service=is_in_service,
        registered_community=registered_community,
        joined_on=joined_on,
        registered_on=timezone.localdate() if registered_community else None,
    )
    member.full_clean()
    member.save()
    audit.record(
        actor=actor,
        action="party_member.register",
        obj=member,
        after=snapshot(member),
        place_path=scope,
        # Seen where the person is registered, and at their organisation's place.
        also_at=[
            path
            for path in [*registered, organisation.place_path if organisation else ""]
            if path and not (scope and path.startswith(scope))
        ],
    )
    _forget_person(person)
    return member


def _register_newcomer(actor, fields: dict, scope_path: str) -> Person:
    """A person not yet known, registered at the post they are given (in the caller's
    transaction). An ID number already on record is refused without telling whose it is."""
    id_number = people_rules.normalise_id_number(fields.get("id_number") or None)
    if id_number and Person.objects.filter(id_number=id_number).exists():
        raise ValidationError(
            {
                "id_number": _(
                    "该身份证号已有登记:请按手机号或身份证号查找此人后任命;"
                    "若此人登记在您的管辖范围以外,请由同时管辖两地的工作人员办理。"
                )
            }
        )
    person = Person(
        name=fields.get("name", ""),
        phone=fields.get("phone", ""),
        id_number=id_number,
        gender=fields.get("gender", ""),
    )
    person.full_clean()
    person.save()
    audit.record(
        actor=actor, action="person.create", obj=person, after=snapshot(person),
        place_path=scope_path,
    )  # fmt: skip
    return person


def _forget_person(person: Person) -> None:
    account = getattr(person, "account", None)
    if account is not None:
        access.forget(account)
