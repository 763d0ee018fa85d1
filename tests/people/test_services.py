"""people.services: SMS login codes, households, residents, owners; scoped and audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.demands.capabilities import DemandCap
from gongzhi.people import services
from gongzhi.people.models import Account, Household, Ownership, Person, Residency, SmsCode
from gongzhi.people.sms import MemorySmsSender
from tests.factories import AccountFactory, PersonFactory, ResidencyFactory, RoomFactory

T0 = timezone.make_aware(dt.datetime(2026, 5, 1, 9, 0))


@pytest.fixture
def outbox(settings):
    settings.SMS_SENDER = "gongzhi.people.sms.MemorySmsSender"
    settings.SMS_CODE_TTL_SECONDS = 300
    settings.SMS_CODE_MAX_ATTEMPTS = 3
    MemorySmsSender.outbox.clear()
    yield MemorySmsSender.outbox
    MemorySmsSender.outbox.clear()


@pytest.fixture
def account(db):
    return AccountFactory(phone="13912345678", person__phone="13912345678")


def request_code(capture, phone="13912345678", now=T0) -> str:
    """Ask for a code and return it, as read from the SMS that was sent on commit."""
    before = len(MemorySmsSender.outbox)
    with capture(execute=True):
        services.sms_code_request(phone=phone, now=now)
    assert len(MemorySmsSender.outbox) == before + 1
    sent_to, message = MemorySmsSender.outbox[-1]
    assert sent_to == services.rules.normalise_mobile(phone)
    return re.search(r"\d{6}", message).group()


# --- SMS codes -------------------------------------------------------------------------


def test_code_is_sent_through_the_configured_sender_only_on_commit(
    outbox, account, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.sms_code_request(phone="13912345678", now=T0)
    assert outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    [(phone, message)] = outbox
    assert phone == "13912345678"
    assert re.fullmatch(r"【共治】您的登录验证码是\d{6},5分钟内有效。", message)


def test_code_is_stored_hashed(outbox, account, django_capture_on_commit_callbacks):
    code = request_code(django_capture_on_commit_callbacks)
    stored = SmsCode.objects.get(phone="13912345678")
    assert code not in stored.code_hash
    assert stored.expires_at == T0 + dt.timedelta(seconds=300)


def test_phone_is_normalised_before_sending(outbox, account, django_capture_on_commit_callbacks):
    code = request_code(django_capture_on_commit_callbacks, phone="+86 139-1234-5678")
    assert services.sms_code_verify(phone="139 1234 5678", code=code, now=T0)


def test_code_verifies_once(outbox, account, django_capture_on_commit_callbacks):
    code = request_code(django_capture_on_commit_callbacks)
    assert services.sms_code_verify(phone="13912345678", code=code, now=T0)
    assert not services.sms_code_verify(phone="13912345678", code=code, now=T0)


def test_code_verifies_until_it_expires(outbox, account, django_capture_on_commit_callbacks):
    code = request_code(django_capture_on_commit_callbacks)
    last_moment = T0 + dt.timedelta(seconds=299)
    assert services.sms_code_verify(phone="13912345678", code=code, now=last_moment)


def test_expired_code_is_refused(outbox, account, django_capture_on_commit_callbacks):
    code = request_code(django_capture_on_commit_callbacks)
    expired = T0 + dt.timedelta(seconds=300)
    assert not services.sms_code_verify(phone="13912345678", code=code, now=expired)


def test_wrong_attempts_are_counted_up_to_the_limit(
    outbox, account, django_capture_on_commit_callbacks
):
    code = request_code(django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        assert not services.sms_code_verify(phone="13912345678", code=wrong, now=T0)
    assert SmsCode.objects.get(phone="13912345678").attempts == 3
    # the limit is reached: even the right code no longer works, and nothing more is counted
    assert not services.sms_code_verify(phone="13912345678", code=code, now=T0)
    assert SmsCode.objects.get(phone="13912345678").attempts == 3


def test_right_code_after_fewer_wrong_attempts_than_the_limit_works(
    outbox, account, django_capture_on_commit_callbacks
):
    code = request_code(django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        assert not services.sms_code_verify(phone="13912345678", code=wrong, now=T0)
    assert services.sms_code_verify(phone="13912345678", code=f" {code} ", now=T0)


def test_resend_within_a_minute_is_refused(outbox, account, django_capture_on_commit_callbacks):
    request_code(django_capture_on_commit_callbacks)
    with pytest.raises(services.SmsTooSoon):
        services.sms_code_request(phone="13912345678", now=T0 + dt.timedelta(seconds=59))
    assert len(outbox) == 1


def test_resend_after_a_minute_replaces_the_old_code(
    outbox, account, django_capture_on_commit_callbacks
):
    first = request_code(django_capture_on_commit_callbacks)
    later = T0 + dt.timedelta(seconds=61)
    second = request_code(django_capture_on_commit_callbacks, now=later)
    if first != second:
        assert not services.sms_code_verify(phone="13912345678", code=first, now=later)
    assert services.sms_code_verify(phone="13912345678", code=second, now=later)


def test_unknown_phone_gets_no_sms_and_no_error(outbox, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_code_request(phone="13800000000", now=T0)
    assert outbox == []


def test_no_code_sent_to_an_unknown_phone_can_log_anyone_in(
    outbox, db, django_capture_on_commit_callbacks
):
    # A code row is written for unknown numbers too (so the throttle leaks nothing), but
    # with no account behind it, no guess logs anyone in.
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_code_request(phone="13800000000", now=T0)
    from gongzhi.people.auth import SmsCodeBackend

    assert SmsCodeBackend().authenticate(None, username="13800000000", sms_code="000000") is None


def test_inactive_account_gets_no_code(outbox, account, django_capture_on_commit_callbacks):
    Account.objects.filter(pk=account.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_code_request(phone="13912345678", now=T0)
    assert outbox == []


def test_not_a_mobile_number_is_refused(outbox, db):
    with pytest.raises(ValidationError):
        services.sms_code_request(phone="010-12345678", now=T0)


def test_resend_throttle_does_not_reveal_whether_an_account_exists(
    outbox, account, django_capture_on_commit_callbacks
):
    def second_request_refused(phone: str) -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            services.sms_code_request(phone=phone, now=T0)
        try:
            services.sms_code_request(phone=phone, now=T0 + dt.timedelta(seconds=5))
        except services.SmsTooSoon:
            return True
        return False

    assert second_request_refused("13912345678") == second_request_refused("13800000000")


# --- owners and the designated voter ---------------------------------------------------


@pytest.fixture
def room(cast):
    """A room of compound A with no owner yet."""
    return RoomFactory(building=cast.building_a2, name="201")


def test_first_owner_is_the_designated_voter(cast, room):
    first = services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    second = services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    assert first.is_designated_voter
    assert not second.is_designated_voter


def test_ownership_add_refuses_a_second_designated_voter(cast, room):
    services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    with pytest.raises(ValidationError, match="指定表决人"):
        services.ownership_add(
            actor=cast.community_worker, room=room, person=PersonFactory(), designated_voter=True
        )
    assert Ownership.objects.filter(room=room).count() == 1
    assert AuditEvent.objects.filter(action="ownership.add").count() == 1


def test_designated_voter_switches_to_another_co_owner(cast, room):
    first = services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    second = services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    result = services.designated_voter_set(
        actor=cast.community_worker, room=room, person=second.person
    )
    assert result.pk == second.pk and result.is_designated_voter
    first.refresh_from_db()
    assert not first.is_designated_voter
    assert Ownership.objects.filter(room=room, is_designated_voter=True).count() == 1
    event = AuditEvent.objects.get(action="ownership.designate_voter")
    assert event.before == {
        "designated": {str(first.person_id): True, str(second.person_id): False}
    }
    assert event.after == {"designated": second.person_id}
    assert event.place_path == room.path
    assert event.actor == cast.community_worker


def test_designated_voter_must_be_an_owner_of_the_room(cast, room):
    owner = services.ownership_add(actor=cast.community_worker, room=room, person=PersonFactory())
    with pytest.raises(ValidationError, match="不是该房屋的业主"):
        services.designated_voter_set(
            actor=cast.community_worker, room=room, person=PersonFactory()
        )
    owner.refresh_from_db()
    assert owner.is_designated_voter


def test_former_owner_cannot_become_designated_voter(cast, room):
    former = services.ownership_add(
        actor=cast.community_worker, room=room, person=PersonFactory(), designated_voter=False
    )
    Ownership.objects.filter(pk=former.pk).update(until=dt.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.designated_voter_set(actor=cast.community_worker, room=room, person=former.person)


# --- the other writes are audited -------------------------------------------------------


def test_person_create_is_audited_at_the_room(cast, room):
    person = services.person_create(actor=cast.community_worker, room=room, name="李四")
    event = AuditEvent.objects.get(action="person.create")
    assert (event.object_type, event.object_id) == ("people.person", str(person.pk))
    assert event.after["name"] == "李四"
    assert event.place_path == room.path
    assert event.actor == cast.community_worker


def test_person_create_validates_the_id_number(cast, room):
    with pytest.raises(ValidationError):
        services.person_create(
            actor=cast.community_worker, room=room, name="李四", id_number="110105194912310021"
        )
    assert not Person.objects.filter(name="李四").exists()


def test_same_id_number_with_lowercase_x_is_a_duplicate(cast, room):
    """'…X' and '…x' are one ID number: stored upper-case, so the unique constraint holds."""
    services.person_create(
        actor=cast.community_worker, room=room, name="张三", id_number="11010519491231002X"
    )
    with pytest.raises(ValidationError):
        services.person_create(
            actor=cast.community_worker, room=room, name="张三", id_number="11010519491231002x"
        )
    assert Person.objects.filter(id_number="11010519491231002X").count() == 1


def test_id_number_is_stored_upper_case_and_trimmed(cast, room):
    person = services.person_create(
        actor=cast.community_worker, room=room, name="赵六", id_number=" 11010519491231002x "
    )
    person.refresh_from_db()
    assert person.id_number == "11010519491231002X"


def test_household_add_makes_the_head_a_resident_and_is_audited(cast, room):
    head = PersonFactory()
    household = services.household_add(actor=cast.community_worker, room=room, head=head)
    assert Residency.objects.get(household=household).person == head
    event = AuditEvent.objects.get(action="household.add")
    assert event.object_id == str(household.pk)
    assert event.place_path == room.path


def test_renting_household_head_is_a_tenant(cast, room):
    household = services.household_add(
        actor=cast.community_worker, room=room, head=PersonFactory(), is_renting=True
    )
    residency = Residency.objects.get(household=household)
    assert (residency.relation, residency.is_tenant) == ("tenant", True)


def test_resident_add_is_audited(cast, room):
    household = services.household_add(actor=cast.community_worker, room=room, head=PersonFactory())
    residency = services.resident_add(
        actor=cast.community_worker, household=household, person=PersonFactory(), relation="child"
    )
    event = AuditEvent.objects.get(action="resident.add")
    assert event.object_id == str(residency.pk)
    assert event.after["relation"] == "child"


def test_new_resident_gains_the_residents_grant(cast, room):
    from gongzhi.core import access

    account = AccountFactory()
    services.household_add(actor=cast.community_worker, room=room, head=account.person)
    assert access.allows(account, DemandCap.FILE_DEMAND, cast.a.path)
    assert not access.allows(account, DemandCap.FILE_DEMAND, cast.b.path)


def test_account_create_is_audited_without_the_password(cast):
    person = PersonFactory()
    ResidencyFactory(household__room=cast.room_a, household__head=person)
    account = services.account_create(
        actor=cast.community_worker, person=person, phone="+86 137 0000 0002", password="x-y-z-123"
    )
    assert account.phone == "13700000002"
    event = AuditEvent.objects.get(action="account.create")
    assert "password" not in event.after
    assert event.place_path == cast.room_a.path


def test_account_create_refuses_a_taken_phone(cast):
    person = PersonFactory()
    ResidencyFactory(household__room=cast.room_a, household__head=person)
    with pytest.raises(ValidationError):
        services.account_create(
            actor=cast.community_worker, person=person, phone=cast.resident.phone
        )


def test_account_for_a_person_of_no_place_needs_a_superuser(cast):
    with pytest.raises(PermissionDenied):
        services.account_create(
            actor=cast.community_worker, person=PersonFactory(), phone="13700000003"
        )
    assert not Account.objects.filter(phone="13700000003").exists()


# --- an actor out of scope is refused and nothing is written ----------------------------

WRITES = {
    "person_create": lambda actor, cast, room, newcomer: services.person_create(
        actor=actor, room=room, name="王五"
    ),
    "household_add": lambda actor, cast, room, newcomer: services.household_add(
        actor=actor, room=room, head=newcomer
    ),
    "resident_add": lambda actor, cast, room, newcomer: services.resident_add(
        actor=actor,
        household=Household.objects.get(room=cast.room_a),
        person=newcomer,
        relation="child",
    ),
    "ownership_add": lambda actor, cast, room, newcomer: services.ownership_add(
        actor=actor, room=room, person=newcomer
    ),
    "designated_voter_set": lambda actor, cast, room, newcomer: services.designated_voter_set(
        actor=actor, room=cast.room_a, person=cast.owner.person
    ),
    "account_create": lambda actor, cast, room, newcomer: services.account_create(
        actor=actor, person=cast.resident.person, phone="13700000004"
    ),
}


@pytest.mark.parametrize(
    "actor_role",
    [
        "clerk_b",  # another compound's clerk
        "clerk",  # A's own clerk: sees the roster, may not edit it
        "secretary",  # A's branch secretary: likewise
        "street_official",  # above A, but the street does not edit rosters
        "grid_worker",
        "resident",
        "nobody",
    ],
)
@pytest.mark.parametrize("write", list(WRITES))
def test_actor_out_of_scope_is_refused_and_nothing_is_written(cast, room, actor_role, write):
    newcomer = PersonFactory()
    counts = [m.objects.count() for m in (Person, Household, Residency, Ownership, Account)]
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        WRITES[write](getattr(cast, actor_role), cast, room, newcomer)
    assert [m.objects.count() for m in (Person, Household, Residency, Ownership, Account)] == counts
    assert AuditEvent.objects.count() == events


def test_community_worker_of_another_community_is_refused(cast, room):
    from gongzhi.bodies.models import BodyKind
    from tests.factories import BodyFactory, MembershipFactory

    committee = BodyFactory(
        kind=BodyKind.RESIDENTS_COMMITTEE, place_path=cast.other_community.path,
        community=cast.other_community,
    )  # fmt: skip
    worker = AccountFactory()
    MembershipFactory(body=committee, person=worker.person, post="community_worker")
    with pytest.raises(PermissionDenied):
        services.household_add(actor=worker, room=room, head=PersonFactory())
    assert not AuditEvent.objects.exists()
