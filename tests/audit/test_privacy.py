"""The audit log masks personal data in ``before``/``after`` for readers who may not see it
at the event's place (API, web page, CSV export), by key and at any depth, per kind
(phone, ID number, care flag); and every page or export of it that shows a full ID number
is itself recorded (docs/privacy.md)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent
from gongzhi.people import services as people
from gongzhi.people.services import ID_NUMBERS_SHOWN
from tests.audit.conftest import make_event

PHONE, MASKED_PHONE = "13812345678", "138****5678"
ID, MASKED_ID = "11010519491231002X", "1101**********002X"
LIST = reverse("api:audit-event-list", kwargs={"version": "v1"})


@pytest.fixture
def opened(cast):
    """What a community worker registering a resident of A leaves in the log: the
    person (phone, ID number, care flag) and their account (phone)."""
    person = people.person_create(
        actor=cast.community_worker, room=cast.room_a, name="张三", phone=PHONE,
        id_number=ID, is_vulnerable=True,
    )  # fmt: skip
    people.household_add(actor=cast.community_worker, room=cast.room_a, head=person)
    people.account_create(actor=cast.community_worker, person=person, phone=PHONE)
    return {
        "person": AuditEvent.objects.get(action="person.create"),
        "account": AuditEvent.objects.get(action="account.create"),
        "person_id": person.pk,
    }


def api_event(user, event) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(
        reverse("api:audit-event-detail", kwargs={"version": "v1", "pk": event.pk})
    )
    assert response.status_code == 200
    return response.json()


def api_list(user) -> dict[str, dict]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return {row["action"]: row for row in response.json()["results"]}


def csv_rows(client, user) -> dict[str, dict]:
    client.force_login(user)
    response = client.get(reverse("audit:event_export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["操作"]: row for row in csv.DictReader(io.StringIO(body))}


def shown_events():
    return list(AuditEvent.objects.filter(action=ID_NUMBERS_SHOWN).order_by("id"))


# -- the street official: figures and audit, no personal data ------------------------------


def test_street_official_sees_account_phones_masked_in_the_api(cast, opened):
    account = api_event(cast.street_official, opened["account"])
    assert account["after"]["phone"] == MASKED_PHONE
    person = api_list(cast.street_official)["person.create"]
    assert (person["after"]["phone"], person["after"]["id_number"]) == (MASKED_PHONE, MASKED_ID)
    assert person["after"]["is_vulnerable"] == "***"
    assert person["after"]["name"] == "张三"  # the rest as it was
    assert shown_events() == []


def test_street_official_sees_them_masked_on_the_web_page(client, cast, opened):
    client.force_login(cast.street_official)
    html = client.get(reverse("audit:event_detail", args=[opened["account"].pk])).content.decode()
    assert MASKED_PHONE in html and PHONE not in html
    html = client.get(reverse("audit:event_detail", args=[opened["person"].pk])).content.decode()
    assert MASKED_ID in html and ID not in html and PHONE not in html


def test_street_official_exports_them_masked(client, cast, opened):
    rows = csv_rows(client, cast.street_official)
    assert json.loads(rows["account.create"]["变更后"])["phone"] == MASKED_PHONE
    after = json.loads(rows["person.create"]["变更后"])
    assert (after["phone"], after["id_number"], after["is_vulnerable"]) == (
        MASKED_PHONE, MASKED_ID, "***",
    )  # fmt: skip
    assert shown_events() == []


# -- per kind: the secretary sees phones and care flags, not ID numbers ---------------------


def test_branch_secretary_sees_phones_and_care_but_not_id_numbers(cast, opened):
    after = api_event(cast.secretary, opened["person"])["after"]
    assert (after["phone"], after["id_number"], after["is_vulnerable"]) == (
        PHONE, MASKED_ID, True,
    )  # fmt: skip


def test_masking_is_by_the_events_place(cast):
    """An event made at community C1 that also touched A is seen by A's secretary, who
    sees phones in A but not in the whole community: masked, at any depth."""
    make_event(
        cast.community.path, action="account.create", object_type="people.account",
        after={"phone": PHONE, "rows": [{"person": {"mobile": PHONE}}]},
        also_at=[cast.room_a.path],
    )  # fmt: skip
    row = api_list(cast.secretary)["account.create"]
    assert row["after"] == {"phone": MASKED_PHONE, "rows": [{"person": {"mobile": MASKED_PHONE}}]}
    row = api_list(cast.community_worker)["account.create"]
    assert row["after"]["phone"] == PHONE


# -- full ID numbers in the log: shown to those who may see them, and recorded -------------


def test_community_worker_sees_the_id_number_and_the_api_page_is_recorded(cast, opened):
    rows = api_list(cast.community_worker)
    assert rows["person.create"]["after"]["id_number"] == ID
    (event,) = shown_events()
    assert event.actor == cast.community_worker
    assert event.after["persons"] == [opened["person_id"]]
    assert event.after["events"] == [opened["person"].pk]
    assert event.place_path == cast.room_a.path


def test_the_web_page_of_an_event_with_an_id_number_is_recorded(client, cast, opened):
    client.force_login(cast.community_worker)
    html = client.get(reverse("audit:event_detail", args=[opened["person"].pk])).content.decode()
    assert ID in html
    client.get(reverse("audit:event_detail", args=[opened["account"].pk]))  # a phone only
    (event,) = shown_events()
    assert event.after["where"] == "audit:event_detail"
    assert event.after["events"] == [opened["person"].pk]


def test_an_export_with_id_numbers_is_recorded_once_and_not_exported_itself(client, cast, opened):
    rows = csv_rows(client, cast.community_worker)
    assert json.loads(rows["person.create"]["变更后"])["id_number"] == ID
    assert ID_NUMBERS_SHOWN not in rows
    (event,) = shown_events()
    assert event.after["where"] == "audit:event_export"
    assert event.after["persons"] == [opened["person_id"]]


def test_superuser_sees_everything(cast, opened, superuser):
    after = api_event(superuser, opened["person"])["after"]
    assert (after["phone"], after["id_number"], after["is_vulnerable"]) == (PHONE, ID, True)
