"""The audit log's pages: scoped lists, filters, one event, and the streamed CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.audit.services import reset_correlation, set_correlation
from gongzhi.bodies.models import BodyKind
from tests.audit.conftest import make_event
from tests.factories import AccountFactory, BodyFactory, MembershipFactory

LIST = reverse("audit:event_list")
EXPORT = reverse("audit:event_export")
HEADERS = [
    "时间",
    "操作人",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "位置",
    "变更前",
    "变更后",
    "关联编号",
]


def listed(client, user, **params) -> set[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {event.pk for event, _place in response.context["rows"]}


def exported(client, user, **params) -> list[dict[str, str]]:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.fixture
def secretary_b(cast):
    """The secretary of compound B's party branch: the audit log of B, and only of B."""
    branch_b = BodyFactory(
        kind=BodyKind.COMPOUND_PARTY_BRANCH, name="乙小区党支部", place_path=cast.b.path,
        compound=cast.b,
    )  # fmt: skip
    account = AccountFactory()
    MembershipFactory(body=branch_b, person=account.person, post="secretary")
    return account


# --- who sees which rows ---------------------------------------------------------------


def test_secretary_of_b_never_sees_events_of_a(client, events, secretary_b):
    assert listed(client, secretary_b) == {events.b.pk}


def test_clerk_of_other_compound_gets_403_on_the_list(client, events, cast):
    client.force_login(cast.clerk_b)
    assert client.get(LIST).status_code == 403


def test_clerk_of_other_compound_gets_403_on_an_event_of_a(client, events, cast):
    client.force_login(cast.clerk_b)
    assert client.get(reverse("audit:event_detail", args=[events.a.pk])).status_code == 403


def test_secretary_of_a_sees_only_events_of_a(client, events, cast):
    assert listed(client, cast.secretary) == {events.a.pk, events.a_compound.pk}


def test_community_worker_sees_a_and_b_of_the_community_but_not_z(client, events, cast):
    assert listed(client, cast.community_worker) == {
        events.a.pk, events.a_compound.pk, events.b.pk, events.community.pk,
    }  # fmt: skip


def test_street_official_sees_the_whole_street(client, events, cast):
    assert listed(client, cast.street_official) == {
        events.a.pk, events.a_compound.pk, events.b.pk, events.z.pk, events.community.pk,
        events.street.pk,
    }  # fmt: skip


def test_superuser_sees_everything_including_placeless_events(client, events, superuser):
    assert listed(client, superuser) == {e.pk for e in events.all()}


def test_placeless_event_is_hidden_even_from_the_street(client, events, cast):
    assert events.placeless.pk not in listed(client, cast.street_official)
    client.force_login(cast.street_official)
    url = reverse("audit:event_detail", args=[events.placeless.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "role", ["resident", "owner", "building_leader", "clerk", "grid_worker", "owners_chair",
             "outsider", "nobody"],
)  # fmt: skip
def test_roles_without_audit_capability_get_403(client, events, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("audit:event_detail", args=[events.a.pk])).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_is_sent_to_login(client, events, settings):
    settings.LOGIN_URL = "/login/"
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_ended_membership_loses_the_audit_log(client, events, cast):
    from gongzhi.bodies.models import Membership

    Membership.objects.filter(person=cast.secretary.person).update(
        start="1999-01-01", end="2000-01-01"
    )
    client.force_login(cast.secretary)
    assert client.get(LIST).status_code == 403


# --- detail ----------------------------------------------------------------------------


def test_community_worker_opens_event_of_b(client, events, cast):
    client.force_login(cast.community_worker)
    response = client.get(reverse("audit:event_detail", args=[events.b.pk]))
    assert response.status_code == 200
    assert response.context["event"] == events.b


def test_community_worker_gets_404_for_event_of_z(client, events, cast):
    client.force_login(cast.community_worker)
    assert client.get(reverse("audit:event_detail", args=[events.z.pk])).status_code == 404


def test_secretary_gets_404_for_event_of_the_community_above(client, events, cast):
    client.force_login(cast.secretary)
    url = reverse("audit:event_detail", args=[events.community.pk])
    assert client.get(url).status_code == 404


def test_missing_event_is_404(client, events, cast):
    client.force_login(cast.street_official)
    assert client.get(reverse("audit:event_detail", args=[10**9])).status_code == 404


def test_detail_shows_before_and_after_with_changed_keys_highlighted(client, events, cast):
    client.force_login(cast.secretary)
    response = client.get(reverse("audit:event_detail", args=[events.a_compound.pk]))
    changes = {c.key: c for c in response.context["changes"]}
    assert changes["address"].changed
    assert (changes["address"].before, changes["address"].after) == ("旧地址", "新地址")
    assert not changes["built_year"].changed
    html = response.content.decode()
    assert 'class="changed"' in html
    assert html.count('class="changed"') == 1
    assert "旧地址" in html and "新地址" in html


def test_detail_marks_keys_only_on_one_side_as_changed(client, cast):
    event = make_event(cast.a.path, before={"gone": 1}, after={"new": None})
    client.force_login(cast.secretary)
    response = client.get(reverse("audit:event_detail", args=[event.pk]))
    changes = {c.key: c for c in response.context["changes"]}
    assert changes["gone"].changed and not changes["gone"].in_after
    assert changes["new"].changed and not changes["new"].in_before
    assert changes["new"].after == "null"


def test_detail_lists_other_events_of_the_same_action_in_scope(client, cast):
    token = set_correlation(uuid.uuid4())
    try:
        first = make_event(cast.room_a.path, action="household.add")
        second = make_event(cast.a.path, action="resident.add")
        hidden = make_event(cast.room_b.path, action="resident.add")
    finally:
        reset_correlation(token)
    client.force_login(cast.secretary)
    response = client.get(reverse("audit:event_detail", args=[first.pk]))
    assert response.context["related"] == [second]
    assert hidden.correlation_id == first.correlation_id


# --- filters ---------------------------------------------------------------------------


def test_filter_by_action(client, events, cast):
    assert listed(client, cast.street_official, action="body.create") == {
        events.community.pk, events.street.pk,
    }  # fmt: skip


def test_filter_by_action_family(client, cast):
    appoint = make_event(cast.a.path, action="membership.appoint")
    end = make_event(cast.a.path, action="membership.end")
    make_event(cast.a.path, action="body.create")
    assert listed(client, cast.secretary, action="membership.*") == {appoint.pk, end.pk}


def test_filter_by_object_type(client, events, cast):
    assert listed(client, cast.secretary, object_type="places.compound") == {events.a_compound.pk}


def test_filter_by_place_narrows_to_a_compound(client, events, cast):
    assert listed(client, cast.community_worker, place=cast.b.path) == {events.b.pk}


def test_filter_by_place_outside_scope_shows_nothing_of_it(client, events, cast):
    # Z is not a choice for the community worker: the filter is refused, the rest shown.
    client.force_login(cast.community_worker)
    response = client.get(LIST, {"place": cast.z.path})
    assert "place" in response.context["form"].errors
    assert events.z.pk not in {e.pk for e, _ in response.context["rows"]}


def test_place_choices_are_the_places_in_scope(client, cast):
    client.force_login(cast.community_worker)
    response = client.get(LIST)
    paths = [p for p, _label in response.context["form"].fields["place"].choices if p]
    assert paths == sorted([cast.community.path, cast.a.path, cast.b.path])


def at_local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_filter_by_date_range_covers_whole_local_days(client, cast):
    def event_at(when):
        return AuditEvent.objects.create(
            at=when, action="room.update", object_type="places.room", place_path=cast.a.path
        )

    event_at(at_local(2026, 2, 28, 23, 59))
    first = event_at(at_local(2026, 3, 1, 0, 0))
    last = event_at(at_local(2026, 3, 1, 23, 59, 59))
    event_at(at_local(2026, 3, 2, 0, 0))
    assert listed(client, cast.secretary, since="2026-03-01", until="2026-03-01") == {
        first.pk, last.pk,
    }  # fmt: skip


def test_inverted_date_range_is_an_error_not_an_empty_page(client, events, cast):
    client.force_login(cast.secretary)
    response = client.get(LIST, {"since": "2026-03-02", "until": "2026-03-01"})
    assert response.context["form"].non_field_errors()
    assert len(response.context["rows"]) == 2


def test_filter_by_actor_and_object(client, events, cast):
    assert listed(client, cast.secretary, actor=cast.community_worker.pk) == {events.a.pk}
    assert listed(
        client, cast.secretary, object_type="places.compound", object_id=str(cast.a.pk)
    ) == {events.a_compound.pk}


def test_free_text_search(client, events, cast):
    assert listed(client, cast.community_worker, q="乙小区") == {events.b.pk}


def test_list_is_newest_first_and_paginated_by_50(client, cast):
    made = [make_event(cast.a.path, object_repr=f"第{i}条") for i in range(55)]
    client.force_login(cast.secretary)
    first = client.get(LIST)
    assert [e.pk for e, _ in first.context["rows"]] == [e.pk for e in reversed(made)][:50]
    second = client.get(LIST, {"page": 2})
    assert len(second.context["rows"]) == 5
    assert first.context["page"].paginator.count == 55


def test_pagination_links_keep_the_filters(client, cast):
    for _ in range(51):
        make_event(cast.a.path, action="room.update")
    client.force_login(cast.secretary)
    html = client.get(LIST, {"action": "room.update"}).content.decode()
    assert "?action=room.update&amp;page=2" in html


def test_list_shows_compound_name_for_a_room_event(client, events, cast):
    client.force_login(cast.secretary)
    response = client.get(LIST)
    places = {e.pk: place for e, place in response.context["rows"]}
    assert places[events.a.pk] == "甲小区"


def test_list_page_is_in_chinese_and_extends_base(client, events, cast):
    client.force_login(cast.secretary)
    response = client.get(LIST)
    html = response.content.decode()
    assert "<title>审计日志</title>" in html
    assert 'name="viewport"' in html
    assert "导出 CSV" not in html  # the secretary may read but not export


def test_pages_refuse_post(client, events, cast):
    client.force_login(cast.street_official)
    assert client.post(LIST).status_code == 405
    assert client.post(reverse("audit:event_detail", args=[events.a.pk])).status_code == 405


# --- export ----------------------------------------------------------------------------


def test_export_is_streamed_csv_with_bom_and_chinese_headers(client, events, cast):
    client.force_login(cast.community_worker)
    response = client.get(EXPORT)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert header == HEADERS


def test_export_rows_are_the_events_in_scope(client, events, cast):
    rows = exported(client, cast.community_worker)
    assert {r["对象"] for r in rows} == {"甲小区房屋", "甲小区", "乙小区房屋", "一社区居委会"}


def test_export_row_content(client, events, cast):
    rows = exported(client, cast.community_worker, object_type="places.compound")
    assert len(rows) == 1
    row = rows[0]
    assert row["操作"] == "compound.update"
    assert row["对象类型"] == "places.compound"
    assert row["对象编号"] == str(cast.a.pk)
    assert row["位置"] == cast.a.path
    assert row["操作人"] == "系统"
    assert row["变更前"] == '{"address": "旧地址", "built_year": 1998}'
    assert row["变更后"] == '{"address": "新地址", "built_year": 1998}'
    assert row["关联编号"] == str(events.a_compound.correlation_id)
    local = timezone.localtime(events.a_compound.at)
    assert row["时间"] == local.strftime("%Y-%m-%d %H:%M:%S")


def test_export_applies_the_same_filters(client, events, cast):
    rows = exported(client, cast.street_official, place=cast.b.path)
    assert [r["对象"] for r in rows] == ["乙小区房屋"]


def test_export_writes_its_own_audit_event(client, events, cast):
    exported(client, cast.community_worker, action="room.update")
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == cast.community_worker
    assert export.after == {"filters": {"action": "room.update"}, "rows": 2}
    assert export.place_path == cast.community.path  # the community's own staff see it


def test_export_event_is_not_part_of_its_own_export(client, events, cast):
    rows = exported(client, cast.community_worker)
    assert "audit.export" not in {r["操作"] for r in rows}


def test_a_second_export_lists_the_first(client, events, cast):
    exported(client, cast.community_worker)
    rows = exported(client, cast.community_worker)
    assert [r["操作"] for r in rows].count("audit.export") == 1


def test_secretary_may_read_but_not_export(client, events, cast):
    client.force_login(cast.secretary)
    assert client.get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_export_with_a_bad_filter_is_400_and_writes_nothing(client, events, cast):
    client.force_login(cast.street_official)
    assert client.get(EXPORT, {"since": "not-a-date"}).status_code == 400
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_export_neutralises_spreadsheet_formulas(client, cast):
    make_event(cast.a.path, object_repr='=HYPERLINK("http://evil")')
    rows = exported(client, cast.community_worker)
    assert rows[0]["对象"].startswith("'=")


def test_export_reads_rows_while_streaming_not_before(client, events, cast):
    client.force_login(cast.community_worker)
    response = client.get(EXPORT)
    late = make_event(cast.a.path, object_repr="导出开始后写入")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert late.object_repr in body


def test_export_of_street_official_is_filed_under_the_street(client, events, cast):
    exported(client, cast.street_official)
    assert AuditEvent.objects.get(action="audit.export").place_path == cast.street.path


def test_superuser_export_includes_placeless_events(client, events, superuser):
    rows = exported(client, superuser)
    assert "无位置账号" in {r["对象"] for r in rows}
