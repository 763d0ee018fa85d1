"""Personal data, minimum necessary (PIPL; docs/privacy.md): every page and API answer
that shows people masks phones, ID numbers and care flags each by its own capability, and
every display of a full ID number is itself recorded, one event per page naming the
persons shown."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent
from gongzhi.demands import web_selectors
from gongzhi.people import rules
from gongzhi.people.selectors import Sight, person_card
from gongzhi.people.serializers import PersonCardSerializer
from gongzhi.people.services import ID_NUMBERS_SHOWN
from tests.factories import OwnershipFactory, PersonFactory, ResidencyFactory, RoomFactory

ID = "11010519491231002X"
PHONE = "13812345678"
MASKED_ID = "1101**********002X"
MASKED_PHONE = "138****5678"
CARE_BADGE = "需关爱"


@pytest.fixture
def zhang(cast):
    """A vulnerable resident of room 101 in compound A, phone and ID number on record."""
    person = PersonFactory(name="张三", phone=PHONE, id_number=ID, is_vulnerable=True)
    ResidencyFactory(household__room=cast.room_a, household__head=person)
    return person


def api(account) -> APIClient:
    client = APIClient()
    client.force_login(account)
    return client


def shown_events():
    return list(AuditEvent.objects.filter(action=ID_NUMBERS_SHOWN).order_by("id"))


def page(client, account, url) -> str:
    client.force_login(account)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# -- the residents page (web) -------------------------------------------------------------


def test_clerk_sees_phones_but_no_id_numbers_or_care_flags(client, cast, zhang):
    html = page(client, cast.clerk, f"/compounds/{cast.a.pk}/residents/")
    assert PHONE in html
    assert ID not in html and MASKED_ID in html
    assert CARE_BADGE not in html
    assert "身份证号已部分隐藏" in html
    assert shown_events() == []  # nothing full shown, nothing to record


def test_branch_secretary_sees_phones_and_care_flags_but_no_id_numbers(client, cast, zhang):
    html = page(client, cast.secretary, f"/compounds/{cast.a.pk}/residents/")
    assert PHONE in html and CARE_BADGE in html
    assert ID not in html


def test_owners_chair_sees_everything_masked(client, cast, zhang):
    html = page(client, cast.owners_chair, f"/compounds/{cast.a.pk}/residents/")
    assert MASKED_PHONE in html and MASKED_ID in html
    assert PHONE not in html and ID not in html and CARE_BADGE not in html


def test_community_worker_sees_all_and_the_page_is_recorded_once(client, cast, zhang):
    html = page(client, cast.community_worker, f"/compounds/{cast.a.pk}/residents/")
    assert PHONE in html and ID in html and CARE_BADGE in html
    (event,) = shown_events()
    assert event.actor == cast.community_worker
    assert event.place_path == cast.a.path
    assert event.after["where"] == "places:resident_list"
    assert event.after["persons"] == [zhang.pk]  # the resident without an ID is not named


def test_each_page_names_only_the_persons_it_showed(client, cast):
    room = RoomFactory(building=cast.building_a1, name="999")
    people = []
    for i in range(60):
        person = PersonFactory(id_number=_id(i))
        ResidencyFactory(household__room=room, household__head=person)
        people.append(person.pk)
    page(client, cast.community_worker, f"/compounds/{cast.a.pk}/residents/")
    page(client, cast.community_worker, f"/compounds/{cast.a.pk}/residents/?page=2")
    first, second = shown_events()  # 61 rows: the cast's resident (no ID number) and 60
    assert len(first.after["persons"]) == first.after["count"] == 49
    assert set(first.after["persons"]).isdisjoint(second.after["persons"])
    assert set(first.after["persons"]) | set(second.after["persons"]) == set(people)


def _id(i: int) -> str:
    """A valid 18-digit ID number, different for each ``i``."""
    body = f"110105199001{1 + i // 28:02d}{1 + i % 28:02d}"[:14] + f"{i % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, rules._ID_WEIGHTS, strict=True))
    return body + rules._ID_CHECK[total % 11]


# -- the building page --------------------------------------------------------------------


def test_building_page_records_the_owners_whose_id_numbers_it_showed(client, cast, zhang):
    owner = PersonFactory(id_number=_id(1))
    OwnershipFactory(room=RoomFactory(building=cast.building_a1, name="102"), person=owner)
    url = f"/compounds/{cast.a.pk}/buildings/{cast.building_a1.pk}/"
    html = page(client, cast.community_worker, url)
    assert _id(1) in html
    (event,) = shown_events()
    assert event.after["persons"] == [owner.pk]  # the page shows heads' phones, not IDs
    assert event.place_path == cast.building_a1.path

    html = page(client, cast.building_leader, url)  # serves the building: phones only
    assert owner.phone in html and _id(1) not in html
    assert len(shown_events()) == 1


# -- the API ------------------------------------------------------------------------------


def test_api_residents_page_is_recorded_once_naming_its_persons(cast, zhang):
    response = api(cast.community_worker).get(f"/api/v1/compounds/{cast.a.pk}/residents")
    card = next(r["person"] for r in response.json()["results"] if r["person"]["id"] == zhang.pk)
    assert (card["id_number"], card["is_vulnerable"], card["masked"]) == (ID, True, False)
    (event,) = shown_events()
    assert event.after["persons"] == [zhang.pk]
    assert event.after["where"] == "api:people:compound-residents"


def test_api_residents_for_the_clerk_mask_id_and_care_and_record_nothing(cast, zhang):
    response = api(cast.clerk).get(f"/api/v1/compounds/{cast.a.pk}/residents")
    card = next(r["person"] for r in response.json()["results"] if r["person"]["id"] == zhang.pk)
    assert (card["phone"], card["id_number"], card["is_vulnerable"]) == (PHONE, MASKED_ID, None)
    assert shown_events() == []


def test_api_person_detail_is_recorded(cast, zhang):
    body = api(cast.community_worker).get(f"/api/v1/people/{zhang.pk}").json()
    assert body["person"]["id_number"] == ID
    (event,) = shown_events()
    assert (event.after["persons"], event.place_path) == ([zhang.pk], cast.room_a.path)


def test_api_rooms_are_recorded(cast, zhang):
    api(cast.community_worker).get(f"/api/v1/buildings/{cast.building_a1.pk}/rooms")
    (event,) = shown_events()
    assert event.after["persons"] == [zhang.pk]


def test_appointment_answers_with_the_appointees_data_as_the_reader_may_see_it(cast, zhang):
    """Today's hole: 201 with the appointee's full phone and ID number for anyone."""
    response = api(cast.secretary).post(
        f"/api/v1/bodies/{cast.branch_a.pk}/memberships",
        {"person": zhang.pk, "post": "member"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = response.json()["person"]
    assert (person["phone"], person["id_number"], person["is_vulnerable"]) == (
        PHONE, MASKED_ID, True,
    )  # fmt: skip
    assert shown_events() == []


def test_appointment_by_community_worker_shows_the_id_number_and_records_it(cast, zhang):
    response = api(cast.community_worker).post(
        f"/api/v1/bodies/{cast.branch_a.pk}/memberships",
        {"person": zhang.pk, "post": "member"},
        format="json",
    )
    assert response.json()["person"]["id_number"] == ID
    (event,) = shown_events()
    assert event.after["persons"] == [zhang.pk] and event.place_path == cast.a.path


def test_body_members_are_masked_per_reader(cast):
    person = cast.secretary.person
    person.id_number = ID
    person.save()
    for account, id_number in ((cast.clerk, MASKED_ID), (cast.community_worker, ID)):
        members = api(account).get(f"/api/v1/bodies/{cast.branch_a.pk}").json()["members"]
        card = next(m["person"] for m in members if m["person"]["id"] == person.pk)
        assert card["id_number"] == id_number
    (event,) = shown_events()
    assert event.actor == cast.community_worker and event.after["persons"] == [person.pk]


# -- demands: filing on a resident's behalf shows their phone to phone holders only ----------


def test_filing_choices_show_phones_to_those_who_serve_residents_only(cast, zhang):
    (choice,) = web_selectors.resident_choices(cast.clerk, cast.a, "张三")
    assert choice.phone == PHONE
    (choice,) = web_selectors.resident_choices(cast.owners_chair, cast.a, "张三")
    assert choice.phone == MASKED_PHONE


# -- the building blocks fail closed --------------------------------------------------------


def test_a_card_needs_a_reveal_not_a_bare_flag(zhang):
    with pytest.raises(TypeError):
        person_card(zhang, reveal=True)


def test_a_card_field_without_a_sight_masks_everything(cast, zhang):
    from gongzhi.people.serializers import PersonCardField

    field = PersonCardField()
    field.bind("person", PersonCardSerializer())  # a parent with no context
    card = field.to_representation(zhang)
    assert (card["phone"], card["id_number"], card["is_vulnerable"]) == (
        MASKED_PHONE, MASKED_ID, None,
    )  # fmt: skip


def test_a_sight_collects_only_full_id_numbers_it_showed(zhang):
    nobody = PersonFactory(id_number=None)
    sight = Sight(rules.EVERYTHING)
    sight.card(zhang), sight.card(nobody)
    assert sight.id_numbers_shown == {zhang.pk}
    masked = Sight(rules.Reveal(phone=True, care=True))
    masked.card(zhang)
    assert masked.id_numbers_shown == set()
