"""Writes about people: accounts, SMS login codes, households, residents and owners."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot
from gongzhi.core import ratelimit
from gongzhi.core.access import ensure, is_superuser
from gongzhi.core.capabilities import Cap
from gongzhi.core.refs import ensure_field
from gongzhi.people import permissions, rules
from gongzhi.people.models import Account, Household, Ownership, Person, Residency
from gongzhi.people.sms import get_sender
from gongzhi.places.models import Room

SMS_RESEND_SECONDS = 60
ID_NUMBERS_SHOWN = "person.id_numbers_shown"


class SmsTooSoon(ValidationError):
    pass


@transaction.atomic
def sms_code_request(*, phone: str, address: str = "", now: dt.datetime | None = None) -> None:
    """Send a 6-digit one-time login code. Silent about whether the account exists.

    One code a minute per number (SmsTooSoon); and, counted in the cache before anything
    else is done, RATE_SMS_CODE_ADDRESS requests per client ``address`` whatever the
    numbers (ratelimit.RateLimited), so one address cannot send codes to a list of phones.
    """
    from gongzhi.people.models import SmsCode

    phone = rules.normalise_mobile(phone)
    if not rules.is_mobile(phone):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")
    ratelimit.take(
        ratelimit.Limit(
            "sms.address",
            address,
            settings.RATE_SMS_CODE_ADDRESS,
            _("从您所在的网络获取验证码的次数太多,请 %(wait)s 后再试。"),
        )
    )
    now = now or timezone.now()
    recent = SmsCode.objects.filter(
        phone=phone, created_at__gt=now - dt.timedelta(seconds=SMS_RESEND_SECONDS)
    ).exists()
    if recent:
        raise SmsTooSoon(
            _("验证码已发送,请%(seconds)s秒后再试。") % {"seconds": SMS_RESEND_SECONDS},
            code="too_soon",
        )
    # The same work whether or not the account exists (a code row, a hash), so neither the
    # resend throttle nor the timing tells anyone which numbers have accounts.
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
    SmsCode.objects.create(
        phone=phone,
        code_hash=make_password(code),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
    )
    if not Account.objects.filter(phone=phone, is_active=True).exists():
        return
    message = _("【共治】您的登录验证码是%(code)s,%(minutes)s分钟内有效。") % {
        "code": code,
        "minutes": settings.SMS_CODE_TTL_SECONDS // 60,
    }
    transaction.on_commit(lambda: get_sender().send(phone, message))


@transaction.atomic
def sms_code_verify(*, phone: str, code: str, now: dt.datetime | None = None) -> bool:
    """True once for a valid, unexpired code; each wrong try counts toward the limit."""
    from gongzhi.people.models import SmsCode

    now = now or timezone.now()
    phone = rules.normalise_mobile(phone)
    sms = (
        SmsCode.objects.select_for_update()
        .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if sms is None or sms.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
        return False
    if not check_password(code.strip(), sms.code_hash):
        sms.attempts += 1
        sms.save(update_fields=["attempts"])
        return False
    sms.used_at = now
    sms.save(update_fields=["used_at"])
    return True


@transaction.atomic
def account_create(*, actor, person: Person, phone: str, password: str | None = None) -> Account:
    """Open an account for a person (staff do it for residents; or a superuser)."""
    # The account acts for the person wherever they are registered: the actor must hold
    # roster.edit at every one of those places (people.permissions).
    registered = permissions.registered_paths([person.pk]).get(person.pk, [])
    ensure(
        actor is None
        or permissions.can_reach_person(actor, person, Cap.EDIT_ROSTER, paths=registered)
    )
    phone = rules.normalise_mobile(phone)
    if Account.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": _("该手机号已注册账号。")})
    account = Account.objects.create_user(phone, password, person=person)
    audit.record(
        actor=actor, action="account.create", obj=account, after=snapshot(account),
        place_path=_person_place(person), also_at=registered,
    )  # fmt: skip
    return account


def _person_place(person: Person) -> str:
    room = (
        Room.objects.filter(households__residencies__person=person).only("path").first()
        or Room.objects.filter(ownerships__person=person).only("path").first()
    )
    return room.path if room else ""


def _check_link(actor, person: Person, room_path: str, field: str) -> list[str]:
    """Linking ``person`` into a room: one registered elsewhere only by someone holding
    roster.edit there too; else refused as a missing person is (core.refs). Returns the
    places elsewhere, for the audit event (their auditors see it)."""
    elsewhere = permissions.registered_elsewhere(person, room_path)
    ensure_field(
        permissions.may_link_person(actor, person, Cap.EDIT_ROSTER, elsewhere=elsewhere),
        field,
        permissions.PERSON_NOT_FOUND,
    )
    return elsewhere


@transaction.atomic
def person_create(*, actor, room: Room | None = None, **fields) -> Person:
    if room is not None:
        ensure(actor is None or permissions.can_edit_roster(actor, room.path))
    else:
        ensure(actor is None or is_superuser(actor))
    person = Person(**fields)
    person.full_clean()
    person.save()
    audit.record(
        actor=actor,
        action="person.create",
        obj=person,
        after=snapshot(person),
        place_path=room.path if room else "",
    )
    return person


@transaction.atomic
def household_add(
    *, actor, room: Room, head: Person, is_renting: bool = False, moved_in=None
) -> Household:
    ensure(actor is None or permissions.can_edit_roster(actor, room.path))
    elsewhere = _check_link(actor, head, room.path, "head")
    household = Household.objects.create(
        room=room, head=head, is_renting=is_renting, moved_in=moved_in
    )
    Residency.objects.create(
        person=head, household=household, relation="tenant" if is_renting else "head",
        is_tenant=is_renting, since=moved_in,
    )  # fmt: skip
    audit.record(
        actor=actor,
        action="household.add",
        obj=household,
        after=snapshot(household),
        place_path=room.path,
        also_at=elsewhere,
    )
    return household


@transaction.atomic
def resident_add(
    *, actor, household: Household, person: Person, relation: str, is_tenant: bool = False
) -> Residency:
    ensure(actor is None or permissions.can_edit_roster(actor, household.room.path))
    elsewhere = _check_link(actor, person, household.room.path, "person")
    residency = Residency.objects.create(
        person=person, household=household, relation=relation, is_tenant=is_tenant
    )
    audit.record(
        actor=actor,
        action="resident.add",
        obj=residency,
        after=snapshot(residency),
        place_path=household.room.path,
        also_at=elsewhere,
    )
    return residency


@transaction.atomic
def ownership_add(
    *, actor, room: Room, person: Person, designated_voter: bool | None = None, **fields
) -> Ownership:
    """Register an owner. The first owner of a room is its designated voter by default."""
    ensure(actor is None or permissions.can_edit_roster(actor, room.path))
    elsewhere = _check_link(actor, person, room.path, "person")
    Room.objects.select_for_update().filter(pk=room.pk).first()  # serialise owners of one room
    has_voter = Ownership.objects.filter(
        room=room, until__isnull=True, is_designated_voter=True
    ).exists()
    if designated_voter is None:
        designated_voter = not has_voter
    if designated_voter and has_voter:
        raise ValidationError(_("该房屋已有指定表决人,请先变更。"))
    ownership = Ownership.objects.create(
        room=room, person=person, is_designated_voter=designated_voter, **fields
    )
    audit.record(
        actor=actor,
        action="ownership.add",
        obj=ownership,
        after=snapshot(ownership),
        place_path=room.path,
        also_at=elsewhere,
    )
    return ownership


@transaction.atomic
def designated_voter_set(*, actor, room: Room, person: Person) -> Ownership:
    """Make one co-owner the room's designated voter (the others then count through them)."""
    ensure(actor is None or permissions.can_edit_roster(actor, room.path))
    owners = list(Ownership.objects.select_for_update().filter(room=room, until__isnull=True))
    target = next((o for o in owners if o.person_id == person.pk), None)
    if target is None:
        raise ValidationError(_("此人不是该房屋的业主。"))
    before = {o.person_id: o.is_designated_voter for o in owners}
    Ownership.objects.filter(room=room, until__isnull=True).update(is_designated_voter=False)
    Ownership.objects.filter(pk=target.pk).update(is_designated_voter=True)
    audit.record(
        actor=actor,
        action="ownership.designate_voter",
        obj=room,
        before={"designated": before},
        after={"designated": person.pk},
    )
    target.refresh_from_db()
    return target


@transaction.atomic
def id_numbers_shown(
    *, actor, persons: Iterable[int], place_path: str, where: str, label: str = "",
    events: Iterable[int] = (),
):  # fmt: skip
    """Record that ``actor`` was shown the full ID numbers of ``persons`` on one page or
    in one export (``where``: the page's URL name, ``roster.export`` ...): one event
    naming them all, at the place they were shown; ``events`` names the audit events
    whose data showed them (the audit log's pages). Nothing is recorded when no full ID
    number was shown. A record of a read the caller's permission check allowed
    (``permissions.reveal_at``), so there is nothing more to check here."""
    ids = sorted({int(p) for p in persons})
    event_ids = sorted({int(e) for e in events})
    if not ids and not event_ids:
        return None
    after = {"where": where, "count": len(ids), "persons": ids}
    if event_ids:
        after["events"] = event_ids
    return audit.record(
        actor=actor,
        action=ID_NUMBERS_SHOWN,
        object_type="people.person",
        object_id="",
        object_repr=label[:200],
        after=after,
        place_path=place_path,
    )
