"""core.sql: hand-written statements give what the ORM gives."""

from gongzhi.core import sql
from gongzhi.places.models import Compound, Room


def test_by_pk_reads_the_row_as_the_orm_does(cast, django_assert_num_queries):
    room = Room.objects.get(pk=cast.room_a.pk)
    with django_assert_num_queries(1):
        read = sql.by_pk(Room, room.pk)
    assert read == room
    fields = [f.attname for f in Room._meta.concrete_fields]
    assert [getattr(read, f) for f in fields] == [getattr(room, f) for f in fields]
    assert sql.by_pk(Compound, 10**9) is None
    # dates, times and decimals come back as the ORM gives them, on either database
    from gongzhi.people.models import Account, Person

    for model, pk in ((Person, cast.resident.person_id), (Account, cast.resident.pk)):
        orm, ours = model.objects.get(pk=pk), sql.by_pk(model, pk)
        for f in model._meta.concrete_fields:
            assert getattr(ours, f.attname) == getattr(orm, f.attname), f.attname
            assert type(getattr(ours, f.attname)) is type(getattr(orm, f.attname)), f.attname
        assert not ours._state.adding and ours._state.db == "default"


def test_statements_are_built_once_per_key():
    built = []

    def build(q):
        built.append(q)
        return f"SELECT 1 FROM {q('x')}"

    first = sql.statement(("test", "once"), build)
    assert sql.statement(("test", "once"), build) is first and len(built) == 1
    assert '"x"' in first or "`x`" in first
