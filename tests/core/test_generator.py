"""``manage.py generate_district``: a tiny district with the right counts and valid paths."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import Body, BodyKind, Membership
from gongzhi.people.models import Household, Ownership, Person, Residency
from gongzhi.people.rules import is_id_number, is_mobile
from gongzhi.places.models import Building, Compound, District, Entrance, Grid, Room
from gongzhi.places.rules import parse_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def district() -> District:
    out = StringIO()
    call_command(
        "generate_district",
        "--compounds",
        "3",
        "--rooms-per-compound",
        "20",
        "--name",
        "小测区",
        stdout=out,
    )
    assert "阶段用时" in out.getvalue()
    return District.objects.get(name="小测区")


def test_creates_the_right_counts(district):
    compounds = Compound.objects.filter(community__street__district=district)
    assert compounds.count() == 3
    rooms = Room.objects.filter(compound__in=compounds)
    assert rooms.count() == 60
    for compound in compounds:
        assert Room.objects.filter(compound=compound).count() == 20
    households = Household.objects.filter(room__compound__in=compounds)
    assert 0 < households.count() <= 60
    assert Residency.objects.filter(household__in=households).count() >= households.count()
    event = AuditEvent.objects.get(action="district.generate")
    assert event.after["rooms"] == 60 and event.after["compounds"] == 3


def test_every_path_lies_under_its_parent(district):
    for compound in Compound.objects.filter(community__street__district=district):
        assert compound.path.startswith(compound.community.path)
        assert compound.community.path.startswith(district.path)
        for room in Room.objects.filter(compound=compound).select_related("building", "entrance"):
            assert room.path.startswith(compound.path)
            assert room.path.startswith((room.entrance or room.building).path)
            assert parse_path(room.path)[-1] == ("room", room.pk)
    for model in (Grid, Building, Entrance, Room):
        nodes = model.objects.filter(path__startswith=district.path)
        assert nodes.exists() or model is Entrance
        assert not model.objects.filter(path__isnull=True).exists()
        assert all(parse_path(n.path)[-1] == (model.LEVEL, n.pk) for n in nodes)


def test_every_room_has_an_owner_and_one_designated_voter(district):
    rooms = Room.objects.filter(path__startswith=district.path).annotate(
        owners=Count("ownerships"),
        voters=Count("ownerships", filter=Q(ownerships__is_designated_voter=True)),
    )
    assert not rooms.filter(owners=0).exists()
    assert not rooms.exclude(voters=1).exists()


def test_people_have_valid_id_numbers_and_mobiles(district):
    owners = Person.objects.filter(
        ownerships__in=Ownership.objects.filter(room__path__startswith=district.path)
    ).distinct()
    people = [p for p in owners if not p.name.startswith("开发商:")]
    assert people and all(is_id_number(p.id_number) and is_mobile(p.phone) for p in people)


def test_each_compound_has_its_bodies_and_posts(district):
    for compound in Compound.objects.filter(community__street__district=district):
        branch = Body.objects.get(compound=compound, kind=BodyKind.COMPOUND_PARTY_BRANCH)
        posts = set(
            Membership.objects.filter(body__compound=compound).values_list("post", flat=True)
        )
        assert Membership.objects.filter(body=branch, post="secretary").exists()
        assert "building_leader" in posts
        if compound.has_property_company:
            assert "clerk" in posts
    community_bodies = Body.objects.filter(place_path__startswith=district.path, compound=None)
    kinds = set(community_bodies.values_list("kind", flat=True))
    assert {BodyKind.STREET_OFFICE, BodyKind.RESIDENTS_COMMITTEE} <= kinds


def test_same_name_twice_is_refused(district):
    with pytest.raises(CommandError, match="小测区"):
        call_command("generate_district", "--compounds", "1", "--name", "小测区", stdout=StringIO())


def test_a_larger_layout_has_shops_parking_and_developer_rooms():
    call_command(
        "generate_district",
        "--compounds",
        "2",
        "--rooms-per-compound",
        "300",
        "--seed",
        "7",
        stdout=StringIO(),
    )
    rooms = Room.objects.filter(path__startswith=District.objects.get(name="基准测试区7").path)
    assert rooms.count() == 600
    assert rooms.filter(use="commercial").count() == 2 * (300 // 50)
    assert rooms.filter(use="parking").count() == 2 * (300 // 30)
    assert rooms.filter(held_by_developer=True).exists()
    assert all(
        60 <= a <= 140
        for a in rooms.filter(use="residential").values_list("exclusive_area", flat=True)
    )
