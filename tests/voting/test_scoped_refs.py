"""Ids named by a voting write are resolved in scope (core.refs): a proxy's holder, the
proxy a ballot is cast under, a roll correction's voter, a nominee and their nominators,
the roll entry of a paper sheet, the assembly an election is put on. One of elsewhere is
refused exactly as an id naming nothing (same status, same words), nothing is written,
and nobody of elsewhere is named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.people.permissions import PERSON_NOT_FOUND
from gongzhi.voting import permissions, services
from gongzhi.voting.models import Ballot, Candidate, PaperSheet, Proxy, RollEntry
from tests.factories import BuildingFactory, PersonFactory, resident_of
from tests.scoped import MISSING, api_client, assert_refused_alike, audit_count
from tests.voting.helpers import add_owner, open_assembly, scan

REFUSED = {"holder": [str(PERSON_NOT_FOUND)]}


@pytest.fixture
def principal(cast):
    return add_owner(cast.a, "80.00")


@pytest.fixture
def assembly(cast, staff, principal):
    return open_assembly(staff[0], cast.a)


def _register(actor, assembly, principal, holder):
    return services.proxy_register(
        actor=actor, assembly=assembly, principal=permissions.roll_entry_of(principal, assembly),
        holder=holder, authorisation=scan(),
    )  # fmt: skip


# --- proxies ------------------------------------------------------------------------------


@pytest.mark.parametrize("holder_of", ["z", None])
def test_staff_cannot_name_a_holder_out_of_their_reach(cast, staff, assembly, principal, holder_of):
    """A community worker of C1 registering a proxy for someone of C2, or for someone
    registered nowhere: refused as a missing person; the holder gains nothing."""
    holder = resident_of(cast.z) if holder_of else PersonFactory()
    before = audit_count()
    with pytest.raises(ValidationError) as error:
        _register(staff[0], assembly, principal, holder)
    assert error.value.message_dict == REFUSED
    assert not Proxy.objects.exists() and audit_count() == before


def test_staff_name_a_holder_of_another_compound_they_reach_and_its_auditors_see_it(
    cast, staff, assembly, principal
):
    holder = resident_of(cast.b)  # B is in the community worker's community too
    proxy = _register(staff[0], assembly, principal, holder)
    event = AuditEvent.objects.get(action="ballot.proxy.register")
    assert event.place_path == cast.a.path
    touched = list(event.places.values_list("path", flat=True))
    assert len(touched) == 1 and touched[0].startswith(cast.b.path)
    assert proxy.holder == holder


def test_a_holder_registers_their_own_authorisation(cast, assembly, principal):
    proxy = _register(cast.resident, assembly, principal, cast.resident.person)
    assert proxy.holder == cast.resident.person
    assert not AuditEvent.objects.get(action="ballot.proxy.register").places.exists()


def test_a_ballot_under_someone_elses_proxy_is_refused_as_under_a_missing_one(
    cast, assembly, principal
):
    proxy = _register(cast.resident, assembly, principal, cast.resident.person)
    client = api_client(cast.owner)  # on the roll, but not the holder
    question = assembly.questions.get()
    url = f"/api/v1/assemblies/{assembly.pk}/ballots/"

    def cast_ballot(proxy_id):
        return client.post(url, {"question": question.pk, "choice": "agree", "proxy": proxy_id},
                           format="json")  # fmt: skip

    foreign, missing = cast_ballot(proxy.pk), cast_ballot(MISSING)
    assert_refused_alike(foreign, missing, status=404, hidden=[principal.person.name])
    assert not Ballot.objects.exists()


def test_a_ballot_on_another_assemblys_question_is_refused_as_on_a_missing_one(
    cast, staff, assembly
):
    other = open_assembly(staff[0], cast.b, title="乙小区业主大会")
    client = api_client(cast.owner)
    url = f"/api/v1/assemblies/{assembly.pk}/ballots/"
    foreign = client.post(url, {"question": other.questions.get().pk, "choice": "agree"},
                          format="json")  # fmt: skip
    missing = client.post(url, {"question": MISSING, "choice": "agree"}, format="json")
    assert_refused_alike(foreign, missing, status=404, hidden=["乙小区"])
    assert not Ballot.objects.exists()


@pytest.mark.parametrize("value", ["abc", "²", str(2**70)])
def test_the_vote_page_takes_an_odd_proxy_id_for_none(client, cast, assembly, value):
    client.force_login(cast.owner)
    assert client.get(f"/assemblies/{assembly.pk}/vote", {"proxy": value}).status_code == 404


# --- the roll -----------------------------------------------------------------------------


@pytest.fixture
def published(cast, staff, principal):
    assembly = services.assembly_create(
        actor=staff[0], compound=cast.a, title="2026年业主大会",
        opens_at=timezone.now() + dt.timedelta(days=10),
        closes_at=timezone.now() + dt.timedelta(days=11),
    )  # fmt: skip
    services.question_add(actor=staff[0], assembly=assembly, title="更换电梯",
                          matter="use_maintenance_fund")  # fmt: skip
    services.assembly_publish_roll(actor=staff[0], assembly=assembly, objection_days=7)
    assembly.refresh_from_db()
    return assembly


def test_a_roll_correction_naming_an_owner_of_elsewhere_is_refused_as_a_missing_one(
    cast, staff, published, principal
):
    entry = permissions.roll_entry_of(principal, published)
    owner_z = add_owner(cast.z, "70.00").person
    before = audit_count()
    with pytest.raises(ValidationError) as error:
        services.roll_entry_correct(actor=staff[0], entry=entry, person=owner_z, reason="异议")
    assert error.value.message_dict == {"person": [str(PERSON_NOT_FOUND)]}
    entry.refresh_from_db()
    assert entry.person == principal.person and audit_count() == before


def test_the_roll_correction_page_refuses_an_owner_of_elsewhere_as_a_missing_one(
    client, cast, staff, published, principal
):
    entry = permissions.roll_entry_of(principal, published)
    owner_z = add_owner(cast.z, "70.00").person
    client.force_login(staff[0])
    url = f"/roll-entries/{entry.pk}/correct"
    foreign = client.post(url, {"person": owner_z.pk, "reason": "异议"}, follow=True)
    missing = client.post(url, {"person": MISSING, "reason": "异议"}, follow=True)
    assert foreign.status_code == missing.status_code
    assert owner_z.name not in foreign.content.decode()
    entry.refresh_from_db()
    assert entry.person == principal.person


def test_a_paper_sheet_for_another_assemblys_roll_entry_is_refused_as_for_a_missing_one(
    client, cast, staff, assembly
):
    other = open_assembly(staff[0], cast.b, title="乙小区业主大会",
                          before=lambda a: add_owner(cast.b, "60.00"))  # fmt: skip
    foreign_entry = RollEntry.objects.filter(assembly=other).first()
    client.force_login(staff[0])
    url = f"/assemblies/{assembly.pk}/paper"
    question = assembly.questions.get()

    def enter(entry_id):
        return client.post(url, {"entry": entry_id, f"q{question.pk}": "agree", "scan": scan()})

    foreign, missing = enter(foreign_entry.pk), enter(MISSING)
    assert foreign.status_code == missing.status_code
    assert foreign_entry.rooms_label not in foreign.content.decode()
    assert not PaperSheet.objects.exists()


# --- elections ----------------------------------------------------------------------------


@pytest.fixture
def owners_b(cast):
    building = BuildingFactory(compound=cast.b)
    return [add_owner(cast.b, "100.00", building=building) for _ in range(7)]


@pytest.fixture
def election_b(cast):
    return services.election_create(
        actor=cast.community_worker, compound=cast.b, title="第二届业主委员会换届选举",
        committee_kind="owners_committee", seats=5, term_years=5,
    )  # fmt: skip


def test_staff_cannot_nominate_a_person_of_elsewhere(cast, election_b):
    outsider = add_owner(cast.z, "70.00").person
    before = audit_count()
    with pytest.raises(ValidationError) as error:
        services.candidate_nominate(
            actor=cast.community_worker, election=election_b, person=outsider, kind="self"
        )
    assert error.value.message_dict == {"person": [str(PERSON_NOT_FOUND)]}
    assert not Candidate.objects.exists() and audit_count() == before


def test_nominators_of_elsewhere_are_refused_without_being_named(cast, election_b, owners_b):
    outsider = add_owner(cast.z, "70.00").person
    nominators = [o.person for o in owners_b[1:6]] + [outsider]
    with pytest.raises(ValidationError) as error:
        services.candidate_nominate(
            actor=cast.community_worker, election=election_b, person=owners_b[0].person,
            kind="joint", nominators=nominators,
        )  # fmt: skip
    assert error.value.message_dict == {"nominators": [str(PERSON_NOT_FOUND)]}
    assert outsider.name not in str(error.value)
    assert not Candidate.objects.exists()


def test_a_nominator_of_the_compound_who_may_not_nominate_is_still_named(
    cast, election_b, owners_b
):
    tenant = resident_of(cast.b)  # lives in B, owns nothing: not for an owners' committee
    nominators = [o.person for o in owners_b[1:6]] + [tenant]
    with pytest.raises(ValidationError, match=tenant.name):
        services.candidate_nominate(
            actor=cast.community_worker, election=election_b, person=owners_b[0].person,
            kind="joint", nominators=nominators,
        )  # fmt: skip


def test_an_owner_may_still_nominate_themself_and_be_checked_later(cast, election_b, owners_b):
    candidate = services.candidate_nominate(
        actor=owners_b[0], election=election_b, person=owners_b[0].person, kind="self"
    )
    assert candidate.person == owners_b[0].person


def test_an_election_put_on_another_compounds_assembly_is_refused_as_on_a_missing_one(
    client, cast, election_b, staff
):
    other = services.assembly_create(
        actor=staff[0], compound=cast.a, title="甲小区业主大会",
        opens_at=timezone.now(), closes_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    client.force_login(cast.community_worker)
    url = f"/elections/{election_b.pk}/start-ballot"
    foreign = client.post(url, {"assembly": other.pk}, follow=True)
    missing = client.post(url, {"assembly": MISSING}, follow=True)
    assert foreign.status_code == missing.status_code == 200
    for response in (foreign, missing):
        assert "请选择本小区一次筹备中的业主大会会议。" in response.content.decode()
    assert not other.questions.exists()


def test_removing_a_question_of_another_compounds_assembly_is_refused_as_a_missing_one(
    client, cast, staff
):
    """Already safe: the question's assembly is loaded for the user (404 out of scope)."""
    other = services.assembly_create(
        actor=None, compound=cast.z, title="丙小区业主大会",
        opens_at=timezone.now() + dt.timedelta(days=10),
        closes_at=timezone.now() + dt.timedelta(days=11),
    )  # fmt: skip
    question = services.question_add(actor=None, assembly=other, title="更换电梯",
                                     matter="use_maintenance_fund")  # fmt: skip
    client.force_login(staff[0])
    foreign = client.post(f"/questions/{question.pk}/remove")
    missing = client.post(f"/questions/{MISSING}/remove")
    assert foreign.status_code == missing.status_code == 404
    assert other.questions.filter(pk=question.pk).exists()
