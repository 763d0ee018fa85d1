"""Services: each write, its permission refusals, bad input refused in Chinese with nothing
written, photos re-encoded, the whistle chain, automatic escalation at the deadline's edge,
rectification, unrated closure and merging."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from PIL import Image

from gongzhi.audit.models import AuditEvent
from gongzhi.bodies.models import BodyKind
from gongzhi.demands import permissions, rules, selectors, services
from gongzhi.demands.models import (
    Channel,
    Demand,
    DemandEvent,
    DemandPhoto,
    Evaluation,
    EventKind,
    Follower,
    Kind,
    PlaceKind,
)
from gongzhi.demands.rules import DemandError, Level, State
from tests.demands.conftest import SECOND, T0, jpeg_upload, png_upload
from tests.factories import AccountFactory, BodyFactory, MembershipFactory, PartyMemberFactory

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def nothing_written():
    return (
        Demand.objects.count() == 0
        and DemandPhoto.objects.count() == 0
        and DemandEvent.objects.count() == 0
        and not AuditEvent.objects.filter(action__startswith="demand").exists()
    )


def event_kinds(demand):
    return list(DemandEvent.objects.filter(demand=demand).values_list("kind", flat=True))


# --- filing -----------------------------------------------------------------------------


def test_resident_files_demand_for_own_room(cast, file_demand):
    d = file_demand()
    assert d.state == State.FILED
    assert (d.compound, d.community_id, d.street_id) == (cast.a, cast.community.pk, cast.street.pk)
    assert d.building == cast.building_a1 and d.place_path == cast.room_a.path
    assert d.reporter == cast.resident.person and d.filed_by == cast.resident
    assert d.accept_by == d.due_at == T0 + 24 * HOUR
    assert Follower.objects.filter(demand=d, person=cast.resident.person).exists()
    assert event_kinds(d) == [EventKind.FILED]
    assert AuditEvent.objects.filter(action="demand.file", object_id=str(d.pk)).exists()


def test_resident_files_for_building_and_common_area(cast, file_demand):
    b = file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2)
    assert (b.building, b.room, b.place_path) == (cast.building_a2, None, cast.building_a2.path)
    c = file_demand(place_kind=PlaceKind.COMMON, location_note="东门停车场")
    assert (c.building, c.room, c.place_path) == (None, None, cast.a.path)


def test_missing_fields_refused_in_chinese_with_nothing_written(cast, repair):
    with pytest.raises(DemandError) as err:
        services.demand_file(
            actor=cast.resident,
            compound=cast.a,
            category=None,
            description="   ",
            place_kind=PlaceKind.ROOM,
            room=None,
        )
    errors = err.value.message_dict
    assert errors["description"] == ["请填写诉求内容。"]
    assert errors["category"] == ["请选择诉求类别。"]
    assert errors["room"] == ["请选择房屋。"]
    assert nothing_written()


def test_huge_photo_refused_with_nothing_written(cast, file_demand):
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "image/jpeg")
    with pytest.raises(DemandError) as err:
        file_demand(photos=[jpeg_upload(), huge])
    assert err.value.messages == ["第2张照片超过10MB,请压缩后再上传。"]
    assert nothing_written()


def test_photo_of_too_many_pixels_refused(cast, file_demand):
    bomb = png_upload(size=(8000, 6000), mode="1")  # 48 megapixels, a few KB
    assert bomb.size < 1024 * 1024
    with pytest.raises(DemandError) as err:
        file_demand(photos=[bomb])
    assert "像素过大" in err.value.messages[0]
    assert nothing_written()


def test_non_image_refused_with_nothing_written(cast, file_demand):
    fake = SimpleUploadedFile("invoice.jpg", b"%PDF-1.4 not an image", "image/jpeg")
    with pytest.raises(DemandError) as err:
        file_demand(photos=[fake])
    assert err.value.messages == ["第1张照片不是有效的图片文件。"]
    assert nothing_written()


def test_photos_are_reencoded_to_jpeg_without_exif(cast, file_demand):
    original = jpeg_upload()
    with Image.open(original) as img:
        assert img.getexif()  # the upload carries EXIF (make, model, GPS)
    original.seek(0)
    d = file_demand(photos=[original, png_upload()])
    stored = list(d.photos.all())
    assert len(stored) == 2
    for photo in stored:
        assert photo.image.name.endswith(".jpg")
        with Image.open(photo.image.path) as img:
            assert img.format == "JPEG"
            assert not img.getexif()
            assert "exif" not in img.info
        assert photo.size == photo.image.size and photo.width > 0


def test_room_of_another_compound_refused(cast, file_demand):
    with pytest.raises(DemandError) as err:
        file_demand(room=cast.room_b)
    assert err.value.message_dict["room"] == ["所选房屋不属于该小区。"]
    assert nothing_written()


def test_resident_cannot_file_for_a_room_they_do_not_live_in(cast, file_demand):
    from tests.factories import RoomFactory

    other = RoomFactory(building=cast.building_a1, name="102")
    with pytest.raises(DemandError) as err:
        file_demand(room=other)
    assert err.value.message_dict["room"] == ["只能为自己居住或拥有的房屋提交诉求。"]


def test_owner_files_for_owned_room(cast, file_demand):
    assert file_demand(actor=cast.owner).reporter == cast.owner.person


@pytest.mark.parametrize("who", ["outsider", "clerk_b", "nobody", "street_official"])
def test_only_residents_of_the_compound_file(cast, file_demand, who):
    with pytest.raises(PermissionDenied) as err:
        file_demand(actor=getattr(cast, who), place_kind=PlaceKind.COMMON)
    assert str(err.value) == "只有本小区的居民或业主可以提交诉求。"
    assert nothing_written()


def test_staff_file_on_behalf_with_channel(cast, repair):
    d = services.demand_file_on_behalf(
        actor=cast.community_worker,
        reporter=cast.resident.person,
        channel=Channel.PHONE,
        compound=cast.a,
        category=repair,
        description="电话反映:楼道水管漏水",
        place_kind=PlaceKind.ROOM,
        room=cast.room_a,
    )
    assert (d.channel, d.filed_by, d.reporter) == (
        Channel.PHONE,
        cast.community_worker,
        cast.resident.person,
    )


def test_on_behalf_needs_a_staff_channel_and_staff(cast, repair):
    kwargs = dict(reporter=cast.resident.person, compound=cast.a, category=repair,
                  description="纸条:路灯不亮")  # fmt: skip
    with pytest.raises(DemandError) as err:
        services.demand_file_on_behalf(actor=cast.secretary, channel=Channel.APP, **kwargs)
    assert "代录入须注明来源" in err.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.demand_file_on_behalf(actor=cast.resident, channel=Channel.PAPER, **kwargs)
    with pytest.raises(PermissionDenied):
        services.demand_file_on_behalf(actor=cast.clerk_b, channel=Channel.PAPER, **kwargs)
    d = services.demand_file_on_behalf(
        actor=cast.secretary, channel=Channel.PAPER, **{**kwargs, "reporter": None}
    )
    assert d.reporter is None and d.channel == Channel.PAPER


def test_micro_wish_by_staff_on_a_visit(cast):
    wish = services.microwish_file(
        actor=cast.grid_worker,
        reporter=cast.resident.person,
        channel=Channel.VISIT,
        compound=cast.a,
        description="想请志愿者帮忙理发",
        room=cast.room_a,
    )
    assert (wish.kind, wish.category, wish.is_public) == (Kind.MICRO_WISH, None, True)
    mine = services.microwish_file(actor=cast.resident, compound=cast.a, description="想学用智能手机",
                                   room=cast.room_a)  # fmt: skip
    assert mine.reporter == cast.resident.person


# --- dispatch, accept, return -----------------------------------------------------------


def test_secretary_dispatches_to_property(cast, file_demand):
    d = file_demand()
    d = services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a,
                                 now=T0 + HOUR)  # fmt: skip
    assert d.state == State.DISPATCHED and d.handler_body == cast.property_a
    assert d.level == Level.PROPERTY
    assert d.accept_by == d.due_at == T0 + 25 * HOUR


def test_grid_worker_dispatches_in_own_grid(cast, file_demand):
    d = services.demand_dispatch(actor=cast.grid_worker, demand=file_demand(),
                                 handler_body=cast.property_a)  # fmt: skip
    assert d.state == State.DISPATCHED


@pytest.mark.parametrize("who", ["resident", "clerk", "clerk_b", "building_leader", "outsider"])
def test_only_dispatchers_dispatch(cast, file_demand, who):
    d = file_demand()
    with pytest.raises(PermissionDenied) as err:
        services.demand_dispatch(actor=getattr(cast, who), demand=d, handler_body=cast.property_a)
    assert "可以派单" in str(err.value)
    d.refresh_from_db()
    assert d.state == State.FILED and event_kinds(d) == [EventKind.FILED]


def test_dispatch_to_a_body_of_another_compound_refused(cast, file_demand):
    d = file_demand()
    with pytest.raises(DemandError) as err:
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_b)
    assert err.value.message_dict["handler_body"] == ["承办组织不在该诉求所在范围内。"]


def test_routing_rule_suggests_the_handler(cast, file_demand, repair):
    services.routing_rule_create(actor=cast.secretary, compound=cast.a,
                                 handler_body=cast.property_a, category=repair)  # fmt: skip
    services.routing_rule_create(
        actor=cast.secretary,
        compound=cast.a,
        handler_body=cast.branch_a,
        handler_person=cast.building_leader.person,
        category=repair,
        place_kind=PlaceKind.ROOM,
        building=cast.building_a1,
    )
    d = file_demand()
    suggestion = selectors.suggested_handler_for(d)
    assert suggestion.body == cast.branch_a and suggestion.person == cast.building_leader.person
    d = services.demand_dispatch(actor=cast.secretary, demand=d)
    assert d.handler_person == cast.building_leader.person
    assert d.level == ""  # a building leader is grassroots: a whistle calls in 物业
    common = file_demand(place_kind=PlaceKind.COMMON)
    assert selectors.suggested_handler_for(common).body == cast.property_a


def test_routing_rules_are_the_compounds_own(cast, repair):
    with pytest.raises(PermissionDenied):
        services.routing_rule_create(actor=cast.clerk_b, compound=cast.a,
                                     handler_body=cast.property_a)  # fmt: skip
    with pytest.raises(DemandError):
        services.routing_rule_create(actor=cast.secretary, compound=cast.a,
                                     handler_body=cast.property_b)  # fmt: skip


def dispatched(cast, file_demand, body=None, **kw):
    d = file_demand(**kw)
    return services.demand_dispatch(actor=cast.secretary, demand=d,
                                    handler_body=body or cast.property_a, now=T0)  # fmt: skip


def test_handler_accepts_and_resolve_clock_starts(cast, file_demand):
    d = dispatched(cast, file_demand)
    d = services.demand_accept(actor=cast.clerk, demand=d, now=T0 + 2 * HOUR)
    assert d.state == State.ACCEPTED and d.handler_person == cast.clerk.person
    assert d.resolve_by == d.due_at == T0 + 2 * HOUR + 3 * DAY


def test_property_clerk_of_another_compound_is_refused_and_gets_404(cast, file_demand):
    d = dispatched(cast, file_demand)
    with pytest.raises(PermissionDenied) as err:
        services.demand_accept(actor=cast.clerk_b, demand=d)
    assert str(err.value) == "只有当前承办人可以接单。"
    with pytest.raises(Http404):
        permissions.get_demand_for(cast.clerk_b, d.pk)
    d.refresh_from_db()
    assert d.state == State.DISPATCHED


def test_move_not_allowed_is_refused_with_nothing_changed(cast, file_demand):
    d = dispatched(cast, file_demand)
    d = services.demand_accept(actor=cast.clerk, demand=d)
    before = event_kinds(d)
    with pytest.raises(DemandError) as err:
        services.demand_accept(actor=cast.clerk, demand=d)
    assert err.value.messages == ["诉求当前状态为“处理中”,不能接单。"]
    with pytest.raises(DemandError):
        services.demand_evaluate(actor=cast.resident, demand=d, rating=5)
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and event_kinds(d) == before


def test_handler_returns_with_reason(cast, file_demand):
    d = dispatched(cast, file_demand)
    with pytest.raises(DemandError) as err:
        services.demand_return(actor=cast.clerk, demand=d, reason=" ")
    assert err.value.message_dict == {"reason": ["请填写退回理由。"]}
    d = services.demand_return(actor=cast.clerk, demand=d, reason="属于住户自用部分", now=T0)
    assert d.state == State.RETURNED and d.handler_body is None
    last = DemandEvent.objects.filter(demand=d).last()
    assert (last.kind, last.text, last.body) == (EventKind.RETURNED, "属于住户自用部分",
                                                  cast.property_a)  # fmt: skip
    d = services.demand_dispatch(
        actor=cast.secretary, demand=d, handler_body=cast.owners_committee_a
    )
    assert d.state == State.DISPATCHED and d.level == Level.OWNERS_BODY


def test_building_leader_handles_in_own_building_only(cast, file_demand):
    d = dispatched(cast, file_demand, body=cast.branch_a)
    assert permissions.can_handle(cast.building_leader, d)  # room A is in building 1
    other = dispatched(cast, file_demand, body=cast.branch_a, place_kind=PlaceKind.BUILDING,
                       building=cast.building_a2)  # fmt: skip
    assert not permissions.can_handle(cast.building_leader, other)


def test_dual_registered_party_member_handles_a_micro_wish(cast):
    volunteer = AccountFactory()
    PartyMemberFactory(person=volunteer.person, is_in_service=True,
                       registered_community=cast.community)  # fmt: skip
    wish = services.microwish_file(actor=cast.resident, compound=cast.a, description="想请人陪同去医院复查",
                                   room=cast.room_a)  # fmt: skip
    wish = services.demand_dispatch(actor=cast.secretary, demand=wish,
                                    handler_person=volunteer.person)  # fmt: skip
    assert wish.handler_body is None and wish.level == ""
    wish = services.demand_accept(actor=volunteer, demand=wish)
    wish = services.demand_resolve(actor=volunteer, demand=wish, note="已陪同复查")
    assert wish.state == State.RESOLVED
    stranger = AccountFactory()
    other = services.microwish_file(actor=cast.resident, compound=cast.a, description="想要一副老花镜",
                                    room=cast.room_a)  # fmt: skip
    with pytest.raises(DemandError):
        services.demand_dispatch(actor=cast.secretary, demand=other, handler_person=stranger.person)


# --- whistle chain ----------------------------------------------------------------------


def test_whistle_chain_property_owners_body_branch_with_report_in(cast, file_demand, notified,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    d = file_demand()
    # 居民吹哨、物业报到
    with django_capture_on_commit_callbacks(execute=True):
        d = services.demand_whistle(actor=cast.resident, demand=d, reason="路灯坏了一周没人管")
    assert (d.state, d.level, d.handler_body) == (State.WHISTLED, Level.PROPERTY, cast.property_a)
    assert any(c["kind"] == "demand.whistled" and cast.clerk in c["recipients"] for c in notified)
    with pytest.raises(PermissionDenied):
        services.demand_report_in(actor=cast.owners_chair, demand=d)
    d = services.demand_report_in(actor=cast.clerk, demand=d, note="物业到场")
    assert d.state == State.ACCEPTED and d.handler_person == cast.clerk.person
    # 物业吹哨、业委会报到
    d = services.demand_whistle(actor=cast.clerk, demand=d, reason="需要业委会动用公共收益")
    assert (d.state, d.level, d.handler_body) == (
        State.WHISTLED,
        Level.OWNERS_BODY,
        cast.owners_committee_a,
    )
    d = services.demand_report_in(actor=cast.owners_chair, demand=d)
    # 业委会吹哨、书记报到
    d = services.demand_whistle(actor=cast.owners_chair, demand=d, reason="涉及多方,请书记协调")
    assert (d.level, d.handler_body) == (Level.BRANCH, cast.branch_a)
    d = services.demand_report_in(actor=cast.secretary, demand=d)
    assert d.state == State.ACCEPTED and d.escalation_count == 3
    assert event_kinds(d) == [
        EventKind.FILED,
        EventKind.WHISTLED, EventKind.REPORTED_IN,
        EventKind.WHISTLED, EventKind.REPORTED_IN,
        EventKind.WHISTLED, EventKind.REPORTED_IN,
    ]  # fmt: skip
    # the earlier handlers still see the demand they worked on
    assert permissions.can_view(cast.clerk, d) and permissions.can_view(cast.owners_chair, d)


def test_whistle_needs_reason_and_role(cast, file_demand):
    d = dispatched(cast, file_demand)
    with pytest.raises(DemandError) as err:
        services.demand_whistle(actor=cast.resident, demand=d, reason="")
    assert err.value.message_dict == {"reason": ["请填写吹哨理由。"]}
    with pytest.raises(PermissionDenied):
        services.demand_whistle(actor=cast.owner, demand=d, reason="我也着急")


def test_whistle_at_top_of_a_shortened_chain_refused(cast, file_demand):
    services.escalation_chain_set(actor=cast.secretary, compound=cast.a,
                                  levels=[Level.PROPERTY, Level.BRANCH])  # fmt: skip
    d = dispatched(cast, file_demand)
    d = services.demand_whistle(actor=cast.clerk, demand=d, reason="请书记协调")
    assert d.level == Level.BRANCH  # the owners' body is not in this compound's chain
    services.demand_report_in(actor=cast.secretary, demand=d)
    with pytest.raises(DemandError) as err:
        services.demand_whistle(actor=cast.secretary, demand=d, reason="再升级")
    assert err.value.messages == ["已到升级链的最高层级,无法继续吹哨。"]


def test_levels_without_a_body_are_skipped(cast, file_demand):
    cast.owners_committee_a.dissolved_on = dt.date(2026, 1, 1)
    cast.owners_committee_a.save()
    d = dispatched(cast, file_demand)
    d = services.demand_whistle(actor=cast.resident, demand=d, reason="物业不理")
    assert (d.level, d.handler_body) == (Level.BRANCH, cast.branch_a)
    assert DemandEvent.objects.filter(demand=d).last().data["skipped"] == [Level.OWNERS_BODY]


def test_chain_is_validated_and_only_staff_change_it(cast):
    with pytest.raises(DemandError):
        services.escalation_chain_set(actor=cast.secretary, compound=cast.a, levels=["mayor"])
    with pytest.raises(PermissionDenied):
        services.escalation_chain_set(actor=cast.clerk, compound=cast.a, levels=["street"])
    services.escalation_chain_set(actor=cast.community_worker, compound=cast.a,
                                  levels=["branch", "street"])  # fmt: skip
    assert selectors.chain_for(cast.a.pk) == ("branch", "street")
    assert selectors.chain_for(cast.b.pk) == tuple(Level.values)


# --- automatic escalation ---------------------------------------------------------------


def test_escalates_one_second_after_the_accept_deadline_not_at_it(cast, file_demand):
    d = dispatched(cast, file_demand)  # accept within 24 hours of T0
    deadline = T0 + 24 * HOUR
    assert services.escalate_overdue(now=deadline) == 0
    d.refresh_from_db()
    assert d.state == State.DISPATCHED
    assert services.escalate_overdue(now=deadline + SECOND) == 1
    d.refresh_from_db()
    assert (d.state, d.level, d.handler_body) == (
        State.WHISTLED,
        Level.OWNERS_BODY,
        cast.owners_committee_a,
    )
    assert (d.overdue_count, d.escalation_count) == (1, 1)
    assert d.accept_by == deadline + SECOND + 24 * HOUR  # the owners' body reports in by then
    event = DemandEvent.objects.filter(demand=d).last()
    assert event.kind == EventKind.ESCALATED and event.actor is None
    assert "超过接单/报到时限" in event.text and "自动升级至业主组织" in event.text
    assert AuditEvent.objects.filter(action="demand.escalate", actor__isnull=True).exists()
    # the same run again changes nothing
    assert services.escalate_overdue(now=deadline + SECOND) == 0


def test_escalates_when_the_resolve_deadline_passes(cast, file_demand):
    d = dispatched(cast, file_demand)
    services.demand_accept(actor=cast.clerk, demand=d, now=T0)
    deadline = T0 + 3 * DAY
    assert services.escalate_overdue(now=deadline) == 0
    assert services.escalate_overdue(now=deadline + SECOND) == 1
    d.refresh_from_db()
    assert d.state == State.WHISTLED and d.level == Level.OWNERS_BODY
    assert "办结时限" in DemandEvent.objects.filter(demand=d).last().text


def test_undispatched_demand_escalates_to_the_first_level(cast, file_demand):
    d = file_demand()
    assert services.escalate_overdue(now=T0 + 24 * HOUR + SECOND) == 1
    d.refresh_from_db()
    assert (d.state, d.level) == (State.WHISTLED, Level.PROPERTY)


def test_overdue_at_top_of_chain_is_flagged_once(cast, file_demand):
    services.escalation_chain_set(actor=None, compound=cast.a, levels=[Level.PROPERTY])
    d = dispatched(cast, file_demand)
    late = T0 + 24 * HOUR + SECOND
    assert services.escalate_overdue(now=late) == 1
    d.refresh_from_db()
    assert d.state == State.DISPATCHED and d.chain_exhausted and d.overdue_count == 1
    assert DemandEvent.objects.filter(demand=d).last().kind == EventKind.TOP_OF_CHAIN
    assert services.escalate_overdue(now=late + DAY) == 0


def test_setup_schedules_registers_the_jobs(db):
    from django_q.models import Schedule

    call_command("setup_schedules")
    rows = {s.name: s for s in Schedule.objects.all()}
    assert (
        rows["gongzhi:demands.escalate_overdue"].func == "gongzhi.demands.jobs.escalate_overdue_job"
    )
    assert rows["gongzhi:demands.escalate_overdue"].minutes == 5
    assert rows["gongzhi:demands.close_unrated"].func == "gongzhi.demands.jobs.close_unrated_job"
    call_command("setup_schedules")  # idempotent
    assert Schedule.objects.filter(name__startswith="gongzhi:demands.").count() == 2


def test_job_entry_points_run(cast, file_demand):
    from gongzhi.demands import jobs

    file_demand(now=T0 - 30 * DAY)
    assert jobs.escalate_overdue_job() == 1
    assert jobs.close_unrated_job() == 0


# --- four steps: evaluate, rectify, feedback, summary -----------------------------------


def resolved(cast, file_demand, at=T0):
    d = dispatched(cast, file_demand)
    services.demand_accept(actor=cast.clerk, demand=d, now=at)
    return services.demand_resolve(actor=cast.clerk, demand=d, note="已修复", now=at,
                                   photos=[jpeg_upload()])  # fmt: skip


def test_full_loop_evaluate_feedback_close(cast, file_demand):
    d = resolved(cast, file_demand)
    assert d.photos.filter(stage="resolution").count() == 1
    d = services.demand_evaluate(actor=cast.resident, demand=d, rating=5, comment="很及时")
    assert d.state == State.EVALUATED and d.rating == 5
    with pytest.raises(PermissionDenied):
        services.demand_feedback(actor=cast.resident, demand=d, text="x")
    d = services.demand_feedback(actor=cast.clerk, demand=d, text="感谢评价,已加固")
    with pytest.raises(PermissionDenied) as err:
        services.demand_close(actor=cast.secretary, demand=d, summary="完成")
    assert str(err.value) == "只有社区工作人员可以总结关闭。"
    with pytest.raises(DemandError):
        services.demand_close(actor=cast.community_worker, demand=d, summary="")
    d = services.demand_close(actor=cast.community_worker, demand=d, summary="电梯维修闭环")
    assert d.state == State.CLOSED and d.summary == "电梯维修闭环"
    assert Evaluation.objects.get(demand=d).rating == 5


@pytest.mark.parametrize("who", ["owner", "clerk", "secretary"])
def test_only_the_reporter_evaluates(cast, file_demand, who):
    d = resolved(cast, file_demand)
    with pytest.raises(PermissionDenied):
        services.demand_evaluate(actor=getattr(cast, who), demand=d, rating=5)


def test_bad_rating_refused(cast, file_demand):
    d = resolved(cast, file_demand)
    with pytest.raises(DemandError) as err:
        services.demand_evaluate(actor=cast.resident, demand=d, rating=6)
    assert err.value.messages == ["评价须为1到5的整数。"]
    assert not Evaluation.objects.exists()


def test_rating_two_reopens_as_rectification_with_new_deadline_and_escalation(cast, file_demand):
    d = resolved(cast, file_demand)
    rated_at = T0 + DAY
    d = services.demand_evaluate(actor=cast.resident, demand=d, rating=2, comment="还在漏",
                                 now=rated_at)  # fmt: skip
    assert d.state == State.RECTIFYING and d.rectification_count == 1
    assert d.resolve_by == d.due_at == rated_at + 3 * DAY
    assert event_kinds(d)[-2:] == [EventKind.EVALUATED, EventKind.RECTIFICATION]
    assert services.escalate_overdue(now=rated_at + 3 * DAY) == 0
    assert services.escalate_overdue(now=rated_at + 3 * DAY + SECOND) == 1
    d.refresh_from_db()
    assert d.state == State.WHISTLED and d.level == Level.OWNERS_BODY


def test_rectified_demand_is_resolved_and_rated_again(cast, file_demand):
    d = resolved(cast, file_demand)
    services.demand_evaluate(actor=cast.resident, demand=d, rating=1)
    d = services.demand_resolve(actor=cast.clerk, demand=d, note="重新修好")
    d = services.demand_evaluate(actor=cast.resident, demand=d, rating=4)
    assert d.state == State.EVALUATED
    assert list(d.evaluations.values_list("round", "rating")) == [(1, 1), (2, 4)]


def test_unrated_after_seven_days_closes_as_not_rated_and_is_not_satisfied(cast, file_demand):
    d = resolved(cast, file_demand, at=T0)
    assert services.close_unrated(now=T0 + 7 * DAY) == 0
    assert services.close_unrated(now=T0 + 7 * DAY + SECOND) == 1
    d.refresh_from_db()
    assert d.state == State.CLOSED_UNRATED and d.rating is None
    happy = resolved(cast, file_demand)
    services.demand_evaluate(actor=cast.resident, demand=happy, rating=5)
    figures = selectors.figures(cast.a.path)
    assert (figures["rated"], figures["satisfied"], figures["satisfaction"]) == (1, 1, 1.0)
    assert figures["unrated_closed"] == 1 and figures["solved"] == 2


# --- merge, withdraw, follow ------------------------------------------------------------


def test_merge_makes_duplicate_reporters_follow_and_notifies(cast, file_demand, notified,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    original = file_demand(description="1号楼电梯坏了")
    duplicate = file_demand(actor=cast.owner, description="1号楼电梯又坏了,困人")
    assert [s.demand for s in selectors.similar_open_demands(duplicate)] == [original]
    with pytest.raises(PermissionDenied):
        services.demand_merge(actor=cast.resident, demand=duplicate, into=original)
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_merge(actor=cast.secretary, demand=duplicate, into=original)
    duplicate.refresh_from_db()
    assert duplicate.state == State.MERGED and duplicate.merged_into == original
    assert Follower.objects.filter(demand=original, person=cast.owner.person,
                                   reason="merged").exists()  # fmt: skip
    assert permissions.can_view(cast.owner, original)
    merged = [c for c in notified if c["kind"] == "demand.merged"]
    assert merged and cast.owner in merged[0]["recipients"]
    assert merged[0]["obj"] == original
    assert EventKind.MERGED_IN in event_kinds(original)


def test_merge_refused_across_compounds_and_into_closed(cast, file_demand):
    a = file_demand()
    with pytest.raises(DemandError) as err:
        services.demand_merge(actor=cast.secretary, demand=a, into=a)
    assert err.value.message_dict == {"into": ["请选择要合并到的另一条诉求。"]}
    b = file_demand()
    services.demand_withdraw(actor=cast.resident, demand=b)
    with pytest.raises(DemandError) as err:
        services.demand_merge(actor=cast.secretary, demand=a, into=b)
    assert err.value.message_dict == {"into": ["目标诉求已结束,不能合并到它。"]}


def test_reporter_withdraws_before_resolution_only(cast, file_demand):
    d = file_demand()
    with pytest.raises(PermissionDenied):
        services.demand_withdraw(actor=cast.secretary, demand=d)
    d = services.demand_withdraw(actor=cast.resident, demand=d, reason="已自行解决")
    assert d.state == State.WITHDRAWN
    r = resolved(cast, file_demand)
    with pytest.raises(DemandError) as err:
        services.demand_withdraw(actor=cast.resident, demand=r)
    assert err.value.messages == ["诉求当前状态为“已办结待评价”,不能撤回。"]


def test_resident_follows_a_public_demand_of_own_compound(cast, file_demand):
    d = file_demand(place_kind=PlaceKind.COMMON, is_public=True)
    services.demand_follow(actor=cast.owner, demand=d)
    assert Follower.objects.filter(demand=d, person=cast.owner.person).exists()
    with pytest.raises(PermissionDenied):
        services.demand_follow(actor=cast.outsider, demand=d)
    services.demand_comment(actor=cast.owner, demand=d, text="我家门口也是")
    services.demand_unfollow(actor=cast.owner, demand=d)
    assert not Follower.objects.filter(demand=d, person=cast.owner.person).exists()


def test_private_demand_not_visible_to_neighbours(cast, file_demand):
    d = file_demand()
    assert not permissions.can_view(cast.owner, d)
    assert permissions.can_view(cast.secretary, d)
    assert permissions.can_view(cast.street_official, d)
    assert not permissions.can_view(cast.clerk, d)  # not yet dispatched to the property
    assert not permissions.can_view(cast.clerk_b, d)


def test_database_refuses_two_kinds_of_place(cast, file_demand):
    from django.db import IntegrityError, transaction

    d = file_demand()
    with pytest.raises(IntegrityError), transaction.atomic():
        Demand.objects.filter(pk=d.pk).update(place_kind=PlaceKind.COMMON)
    with pytest.raises(IntegrityError), transaction.atomic():
        Demand.objects.filter(pk=d.pk).update(state=State.ACCEPTED)  # no handler
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(demand=d, rating=6, person=cast.resident.person)


def test_category_per_compound(cast):
    own = services.category_create(actor=cast.secretary, compound=cast.a, name="加装电梯",
                                   keywords="加装 电梯")  # fmt: skip
    assert own in selectors.categories_for(cast.a)
    assert own not in selectors.categories_for(cast.b)
    with pytest.raises(DemandError):
        services.category_create(actor=cast.secretary, compound=cast.a, name="加装电梯")
    with pytest.raises(PermissionDenied):
        services.category_create(actor=cast.secretary, name="全局类别")
    assert selectors.suggest_category(cast.a, "想在2号楼加装电梯") == own


def test_body_for_level_finds_each_level(cast):
    assert selectors.body_for_level(cast.a, Level.PROPERTY) == cast.property_a
    assert selectors.body_for_level(cast.a, Level.OWNERS_BODY) == cast.owners_committee_a
    assert selectors.body_for_level(cast.a, Level.BRANCH) == cast.branch_a
    assert selectors.body_for_level(cast.a, Level.COMMUNITY) == cast.residents_committee
    assert selectors.body_for_level(cast.a, Level.STREET) == cast.street_office
    assert selectors.body_for_level(cast.z, Level.PROPERTY) is None
    pmc = BodyFactory(kind=BodyKind.PROPERTY_MANAGEMENT_COMMITTEE, place_path=cast.z.path,
                      compound=cast.z)  # fmt: skip
    MembershipFactory(body=pmc, post="chair")
    assert selectors.body_for_level(cast.z, Level.OWNERS_BODY) == pmc


def test_notifications_reach_the_real_app_after_commit(cast, file_demand,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    models = pytest.importorskip("gongzhi.notifications.models")
    d = file_demand()
    with django_capture_on_commit_callbacks(execute=True):
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    row = models.Notification.objects.get(recipient=cast.clerk, kind="demand.dispatched")
    assert row.object_id == str(d.pk) and row.place_path == d.place_path
    assert "甲小区" in row.title
    # the reporter hears of it too; the secretary who dispatched does not notify himself
    assert models.Notification.objects.filter(recipient=cast.resident).exists()
    assert not models.Notification.objects.filter(recipient=cast.secretary).exists()


def test_notifications_are_not_sent_when_the_change_rolls_back(cast, file_demand, notified,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    d = file_demand()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DemandError):
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_b)
    assert notified == []


def test_system_notes_are_written_in_the_readers_language(cast, file_demand):
    """What the system writes on a timeline (automatic escalation here) is kept as a code
    with its values and worded when read; the text column keeps the Chinese of the moment."""
    from django.utils import translation

    d = dispatched(cast, file_demand)
    services.escalate_overdue(now=T0 + 24 * HOUR + SECOND)
    event = DemandEvent.objects.filter(demand=d, kind=EventKind.ESCALATED).get()
    assert event.data["note"]["code"] == rules.NOTE_OVERDUE_ESCALATED
    assert event.shown_text == event.text  # zh-hans: the same sentence
    with translation.override("en"):
        english = event.shown_text
    assert english != event.text and not any("\u4e00" <= ch <= "\u9fff" for ch in english)
    with translation.override("zh-hant"):
        assert "自動升級" in event.shown_text
    assert rules.system_note(None) is None and rules.system_note({"code": "unknown"}) is None
