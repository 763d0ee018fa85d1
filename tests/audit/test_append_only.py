"""The audit log is append-only: the model refuses changes, and PostgreSQL refuses them too."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from gongzhi.audit import sealing
from gongzhi.audit import services as audit
from gongzhi.audit.middleware import CorrelationMiddleware
from gongzhi.audit.models import AppendOnlyError, AuditEvent
from tests.factories import PersonFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the table trigger exists on PostgreSQL only"
)


@pytest.fixture
def event(db):
    return audit.record(actor=None, action="room.update", object_type="places.room", object_id=1)


# --- the model refuses ------------------------------------------------------------------


def test_saving_an_existing_event_is_refused(event):
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 1


def test_bulk_update_is_refused(event):
    event.action = "forged"
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update is atomic itself
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_refusal_message_is_chinese(event):
    with pytest.raises(AppendOnlyError, match="只能追加"):
        event.delete()


def test_saving_a_new_instance_over_an_existing_pk_is_refused(event):
    forged = AuditEvent(pk=event.pk, action="forged", object_type="places.room")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        forged.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_base_manager_cannot_update_events(event):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(action="forged")
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_base_manager_cannot_delete_events(event):
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_save_like_loaddata_cannot_overwrite_an_event(event):
    forged = AuditEvent(pk=event.pk, action="forged", object_type="places.room")
    with pytest.raises(AppendOnlyError), transaction.atomic():
        forged.save_base(raw=True)
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


def test_creating_new_events_is_allowed(event):
    AuditEvent.objects.create(action="room.update", object_type="places.room")
    AuditEvent.objects.bulk_create([AuditEvent(action="room.update", object_type="places.room")])
    assert AuditEvent.objects.count() == 3


# --- PostgreSQL refuses on the table itself ---------------------------------------------


@postgresql_only
def test_raw_sql_update_fails_on_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'x'")
    assert AuditEvent.objects.get(pk=event.pk).action == "room.update"


@postgresql_only
def test_raw_sql_delete_fails_on_postgresql(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
def test_raw_sql_insert_still_works_on_postgresql(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, actor_label, action, object_type, object_id,"
            " object_repr, place_path, correlation_id) VALUES (now(), '', 'raw.insert', 't',"
            " '', '', '', %s)",
            [uuid.uuid4()],
        )
    assert AuditEvent.objects.filter(action="raw.insert").exists()


# --- record -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor=None, action="room.update", object_type="places.room")
    assert not AuditEvent.objects.exists()


def test_record_stores_actor_action_object_data_and_correlation(cast):
    person = PersonFactory(name="张三")
    event = audit.record(
        actor=cast.community_worker,
        action="person.create",
        obj=person,
        before={"name": "张三"},
        after={"name": "张三丰"},
        place_path=cast.room_a.path,
    )
    event.refresh_from_db()
    assert event.actor == cast.community_worker
    assert event.actor_label == cast.community_worker.person.name
    assert event.action == "person.create"
    assert (event.object_type, event.object_id, event.object_repr) == (
        "people.person", str(person.pk), "张三",
    )  # fmt: skip
    assert event.place_path == cast.room_a.path
    assert (event.before, event.after) == ({"name": "张三"}, {"name": "张三丰"})
    assert isinstance(event.correlation_id, uuid.UUID)


def test_record_with_no_actor_is_the_system(db):
    event = audit.record(actor=None, action="demo.load", object_type="voting.vote")
    assert event.actor is None
    assert event.actor_label == "系统"


def test_record_takes_the_place_from_the_object(cast):
    event = audit.record(actor=None, action="room.update", obj=cast.room_a)
    assert event.place_path == cast.room_a.path
    body_event = audit.record(actor=None, action="body.create", obj=cast.branch_a)
    assert body_event.place_path == cast.a.path


def test_record_makes_values_json_ready(db):
    import datetime as dt
    from decimal import Decimal

    event = audit.record(
        actor=None,
        action="room.update",
        object_type="places.room",
        after={"area": Decimal("89.57"), "on": dt.date(2026, 5, 1), 3: {"x"}},
    )
    event.refresh_from_db()
    assert event.after == {"area": "89.57", "on": "2026-05-01", "3": ["x"]}


def test_events_outside_a_request_get_their_own_correlation_ids(db):
    first = audit.record(actor=None, action="room.update", object_type="t")
    second = audit.record(actor=None, action="room.update", object_type="t")
    assert first.correlation_id != second.correlation_id


def test_one_requests_events_share_a_correlation_id(db):
    written: list[AuditEvent] = []

    def view(request):
        written.append(audit.record(actor=None, action="household.add", object_type="t"))
        written.append(audit.record(actor=None, action="resident.add", object_type="t"))
        return None

    middleware = CorrelationMiddleware(view)
    request = RequestFactory().get("/")
    middleware(request)
    middleware(RequestFactory().get("/"))
    assert written[0].correlation_id == written[1].correlation_id == request.correlation_id
    assert written[2].correlation_id == written[3].correlation_id
    assert written[2].correlation_id != written[0].correlation_id
    # and nothing leaks out of the request:
    after = audit.record(actor=None, action="room.update", object_type="t")
    assert after.correlation_id not in {e.correlation_id for e in written}


def test_an_actor_with_events_cannot_be_deleted():
    from django.db import models

    assert AuditEvent._meta.get_field("actor").remote_field.on_delete is models.PROTECT


# --- TRUNCATE, and the places table ----------------------------------------------------


@postgresql_only
@pytest.mark.parametrize("table", ["audit_auditevent", "audit_auditeventplace"])
def test_truncate_is_refused_on_postgresql(event, table):
    with (
        pytest.raises(DatabaseError, match=f"{table} is append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check left pending
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@postgresql_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditeventplace SET path = 'x'", "DELETE FROM audit_auditeventplace"],
)
def test_the_places_an_event_touches_cannot_be_rewritten_on_postgresql(cast, statement):
    recorded = audit.record(
        actor=None,
        action="room.update",
        object_type="places.room",
        place_path=cast.room_a.path,
        also_at=[cast.room_b.path],
    )
    paths = sorted(recorded.places.values_list("path", flat=True))
    assert paths
    with (
        pytest.raises(DatabaseError, match="audit_auditeventplace is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert sorted(recorded.places.values_list("path", flat=True)) == paths


@postgresql_only
def test_lifting_the_seals_for_a_flush_puts_them_back_in_the_same_transaction(event):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sealing.UNSEAL)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%%\\_sealed' AND tgenabled = 'D'"
        )
        assert cursor.fetchone()[0] >= 4  # audit's and voting's seals are all lifted
        cursor.execute(sealing.RESEAL)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE (tgname LIKE '%%\\_sealed'"
            " OR tgname LIKE '%%\\_append\\_only') AND tgenabled <> 'O'"
        )
        assert cursor.fetchone()[0] == 0
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE audit_auditevent CASCADE")
