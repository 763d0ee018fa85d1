"""Writes on lists: who may, which moves, what is written (and nothing on a refusal)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from gongzhi.audit.models import AuditEvent
from gongzhi.lists import services
from gongzhi.lists.models import ItemClaim, ItemProgress, ListItem, Milestone, WorkList
from gongzhi.lists.rules import Action, ItemState, ListError, ListKind, ListState, Mode, Source
from gongzhi.notifications.models import Notification
from tests.lists.conftest import T0, add_meeting_item, add_project


def jpeg(name="p.jpg", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 30)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def state_of(item) -> str:
    return ListItem.objects.values_list("state", flat=True).get(pk=item.pk)


# --- creating and moving lists ------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretary", "community_worker", "grid_worker"])
def test_staff_create_a_draft_list(cast, role):
    work_list = services.worklist_create(
        actor=getattr(cast, role), kind=ListKind.NEEDS, title="需求清单", period="2024-q3",
        compound=cast.a,
    )  # fmt: skip
    assert work_list.state == ListState.DRAFT
    assert work_list.place_path == cast.a.path
    assert (work_list.period, work_list.period_start) == ("2024-Q3", dt.date(2024, 7, 1))
    assert work_list.street_id == cast.street.pk and work_list.community_id == cast.community.pk
    assert AuditEvent.objects.filter(action="lists.create", object_id=str(work_list.pk)).exists()


@pytest.mark.parametrize("role", ["resident", "owner", "clerk", "building_leader", "owners_chair",
                                  "street_official", "outsider", "clerk_b"])  # fmt: skip
def test_others_may_not_compile_a_list(cast, role):
    with pytest.raises(PermissionDenied, match="只有本小区的支部书记、网格员或社区工作人员"):
        services.worklist_create(
            actor=getattr(cast, role), kind=ListKind.NEEDS, title="清单", period="2024",
            compound=cast.a,
        )  # fmt: skip
    assert not WorkList.objects.exists()


def test_secretary_of_a_may_not_compile_for_z(cast):
    with pytest.raises(PermissionDenied):
        services.worklist_create(
            actor=cast.secretary, kind=ListKind.NEEDS, title="清单", period="2024", compound=cast.z
        )


def test_community_staff_compile_a_community_level_list_the_branch_may_not(cast):
    work_list = services.worklist_create(
        actor=cast.community_worker, kind=ListKind.PROBLEMS, title="社区问题清单", period="2024",
        community=cast.community,
    )  # fmt: skip
    assert work_list.compound is None and work_list.place_path == cast.community.path
    with pytest.raises(PermissionDenied):
        services.worklist_create(
            actor=cast.secretary, kind=ListKind.PROBLEMS, title="社区问题清单", period="2024",
            community=cast.community,
        )  # fmt: skip


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"kind": "wishes"}, "kind"),
        ({"title": " "}, "title"),
        ({"period": "明年"}, "period"),
        ({"compound": None}, "compound"),
    ],
)
def test_bad_list_input_is_refused_in_chinese(cast, kw, field):
    args = {"kind": ListKind.NEEDS, "title": "清单", "period": "2024", "compound": cast.a, **kw}
    with pytest.raises(ListError) as exc:
        services.worklist_create(actor=cast.secretary, **args)
    assert field in exc.value.message_dict
    assert not WorkList.objects.exists()


def test_publish_then_archive(cast, draft):
    add_meeting_item(cast.secretary, draft)
    published = services.worklist_publish(actor=cast.secretary, work_list=draft, now=T0)
    assert (published.state, published.published_at) == (ListState.PUBLISHED, T0)
    with pytest.raises(ListError, match="不能发布"):
        services.worklist_publish(actor=cast.secretary, work_list=draft)
    archived = services.worklist_archive(actor=cast.community_worker, work_list=draft)
    assert archived.state == ListState.ARCHIVED and archived.archived_at
    with pytest.raises(ListError, match="不能发布"):
        services.worklist_publish(actor=cast.secretary, work_list=draft)
    with pytest.raises(ListError, match="不能归档"):
        services.worklist_archive(actor=cast.secretary, work_list=draft)


def test_a_draft_cannot_be_archived_nor_an_empty_list_published(cast, draft):
    with pytest.raises(ListError, match="不能归档"):
        services.worklist_archive(actor=cast.secretary, work_list=draft)
    with pytest.raises(ListError, match="清单还没有事项"):
        services.worklist_publish(actor=cast.secretary, work_list=draft)
    assert WorkList.objects.get(pk=draft.pk).state == ListState.DRAFT


@pytest.mark.parametrize("role", ["resident", "clerk", "street_official", "outsider"])
def test_only_staff_publish(cast, draft, role):
    add_meeting_item(cast.secretary, draft)
    with pytest.raises(PermissionDenied):
        services.worklist_publish(actor=getattr(cast, role), work_list=draft)
    assert WorkList.objects.get(pk=draft.pk).state == ListState.DRAFT


def test_publishing_tells_the_claimers(cast, partners, draft, django_capture_on_commit_callbacks):
    add_meeting_item(cast.secretary, draft)
    with django_capture_on_commit_callbacks(execute=True):
        services.worklist_publish(actor=cast.secretary, work_list=draft)
    told = set(
        Notification.objects.filter(kind="lists.published").values_list("recipient", flat=True)
    )
    assert told == {partners.liaison.pk, partners.member.pk}


# --- compiling items --------------------------------------------------------------------------


def test_a_meeting_item_and_a_project(cast, draft):
    item = add_meeting_item(cast.grid_worker, draft, source_date=dt.date(2024, 2, 20))
    project = add_project(cast.secretary, draft)
    assert (item.number, project.number) == (1, 2)
    assert item.mode == Mode.FIX_NOW and item.collected_on == dt.date(2024, 2, 20)
    assert project.mode == Mode.LONG_TERM
    assert list(project.milestones.values_list("title", flat=True)) == ["完成方案", "完工验收"]
    assert AuditEvent.objects.filter(action="lists.item_add").count() == 2


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"source": Source.MEETING, "source_label": ""}, "source_label"),
        ({"source": Source.DEMAND}, "source"),
        ({"source": "wechat"}, "source"),
        ({"title": ""}, "title"),
        ({"mode": Mode.LONG_TERM, "plan": ""}, "plan"),
        ({"mode": Mode.LONG_TERM, "plan": "分期实施"}, "milestones"),
        ({"mode": Mode.FIX_NOW, "milestones": [("完成", dt.date(2024, 5, 1))]}, "milestones"),
        ({"source_date": dt.date(2099, 1, 1)}, "source_date"),
        ({"mode": "someday"}, "mode"),
    ],
)
def test_bad_items_are_refused_with_nothing_written(cast, draft, kw, field):
    args = {"title": "东门路灯不亮", "source": Source.MEETING, "source_label": "邻里夜谈", **kw}
    with pytest.raises(ListError) as exc:
        services.item_add(actor=cast.secretary, work_list=draft, now=T0, **args)
    assert field in exc.value.message_dict
    assert not ListItem.objects.exists() and not Milestone.objects.exists()


def test_a_visit_item_needs_no_label(cast, draft):
    item = services.item_add(
        actor=cast.secretary, work_list=draft, title="楼道堆放杂物", source=Source.VISIT
    )
    assert item.source == Source.VISIT


def test_bulk_compile_from_demands_in_a_constant_number_of_queries(
    cast, draft, make_demand, django_assert_max_num_queries
):
    few = [make_demand(f"路灯{i}不亮") for i in range(3)]
    many = [make_demand(f"楼道灯{i}不亮") for i in range(30)]
    other = services.worklist_create(
        actor=cast.secretary, kind=ListKind.PROBLEMS, title="问题清单", period="2024",
        compound=cast.a,
    )  # fmt: skip
    cast.secretary = type(cast.secretary).objects.get(pk=cast.secretary.pk)  # no cached grants
    with django_assert_max_num_queries(20) as few_queries:
        services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=few)
    cast.secretary = type(cast.secretary).objects.get(pk=cast.secretary.pk)
    with django_assert_max_num_queries(20) as many_queries:
        items = services.items_add_from_demands(actor=cast.secretary, work_list=other, demands=many)
    assert len(many_queries.captured_queries) == len(few_queries.captured_queries)
    assert [i.number for i in items] == list(range(1, 31))
    assert ListItem.objects.filter(work_list=other, source=Source.DEMAND).count() == 30
    assert AuditEvent.objects.filter(action="lists.items_add").count() == 2


def test_items_from_demands_keep_no_reporter_and_name_no_room(cast, draft, make_demand):
    shown = make_demand("2号楼屋顶漏水。下雨天家里滴水", is_public=True)
    hidden = make_demand("我是101的张三,楼上漏水到我家", is_public=False)
    in_room = make_demand("家里水管爆了", building=cast.building_a1, is_public=True)
    in_room.place_kind, in_room.room = "room", cast.room_a
    in_room.place_path = cast.room_a.path
    in_room.save()
    with pytest.raises(ListError, match="居民未同意公开,请为它们写清单标题") as refused:
        services.items_add_from_demands(
            actor=cast.secretary, work_list=draft, demands=[shown.pk, hidden.pk, in_room.pk]
        )
    assert refused.value.message_dict == {
        "titles": [f"以下诉求居民未同意公开,请为它们写清单标题:#{hidden.pk}。"]
    }
    assert not ListItem.objects.exists()
    items = services.items_add_from_demands(
        actor=cast.secretary,
        work_list=draft,
        demands=[shown.pk, hidden.pk, in_room.pk],
        titles={hidden.pk: "  楼上漏水到住户家   "},
    )
    by_demand = {i.demand_id: i for i in items}
    assert by_demand[shown.pk].title == "2号楼屋顶漏水"
    assert by_demand[shown.pk].description == shown.description
    assert by_demand[shown.pk].place_label == "2号楼"
    assert (by_demand[hidden.pk].title, by_demand[hidden.pk].description) == (
        "楼上漏水到住户家",
        "",
    )
    assert by_demand[in_room.pk].place_label == "1号楼"
    assert "101" not in by_demand[in_room.pk].place_label
    for item in items:
        assert not hasattr(item, "reporter")
        assert item.category.name == "维修" and item.source_label == "线上提交"


def test_demands_of_another_compound_withdrawn_or_already_listed_are_refused(
    cast, draft, make_demand
):
    here = make_demand()
    there = make_demand(compound=cast.z)
    gone = make_demand(state="withdrawn")
    with pytest.raises(ListError, match="不属于本清单所在地"):
        services.items_add_from_demands(
            actor=cast.secretary, work_list=draft, demands=[here, there]
        )
    with pytest.raises(ListError, match="已撤回或已合并"):
        services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[gone])
    with pytest.raises(ListError, match="请选择要列入清单的诉求"):
        services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[])
    assert not ListItem.objects.exists()
    services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[here])
    with pytest.raises(ListError, match="已在本清单中"):
        services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[here])
    assert ListItem.objects.count() == 1


def test_a_grid_worker_compiles_only_the_demands_of_their_grid(cast, draft, make_demand):
    in_grid = make_demand(building=cast.building_a1)
    outside_grid = make_demand(building=cast.building_a2)
    private_outside = make_demand(building=cast.building_a2, is_public=False)
    services.items_add_from_demands(actor=cast.grid_worker, work_list=draft, demands=[in_grid])
    # A public demand of the compound the grid worker sees, but it is not theirs to compile.
    with pytest.raises(PermissionDenied, match="不在您负责的范围内"):
        services.items_add_from_demands(
            actor=cast.grid_worker, work_list=draft, demands=[outside_grid]
        )
    # A private one out of their sight: refused as a missing demand is (core.refs).
    with pytest.raises(ListError, match="不存在或不属于本清单所在地"):
        services.items_add_from_demands(
            actor=cast.grid_worker, work_list=draft, demands=[private_outside]
        )


def test_a_long_term_batch_shares_its_plan_and_milestones(cast, draft, make_demand):
    demands = [make_demand(f"{n}号楼外墙脱落") for n in range(3)]
    items = services.items_add_from_demands(
        actor=cast.secretary, work_list=draft, demands=demands, mode=Mode.LONG_TERM,
        plan="纳入老旧小区改造", milestones=[("立项", dt.date(2024, 6, 1))],
    )  # fmt: skip
    assert Milestone.objects.filter(item__in=items).count() == 3
    with pytest.raises(ListError, match="长期项目至少要有一个节点"):
        services.items_add_from_demands(
            actor=cast.secretary, work_list=draft, demands=[make_demand()], mode=Mode.LONG_TERM,
            plan="纳入改造",
        )  # fmt: skip


def test_residents_may_not_compile(cast, draft, make_demand):
    with pytest.raises(PermissionDenied):
        services.items_add_from_demands(
            actor=cast.resident, work_list=draft, demands=[make_demand()]
        )
    with pytest.raises(PermissionDenied):
        add_meeting_item(cast.resident, draft)
    assert not ListItem.objects.exists()


def test_a_fix_now_item_becomes_a_project(cast, fix_now):
    with pytest.raises(ListError):
        services.item_plan(actor=cast.secretary, item=fix_now, plan="分期", milestones=[])
    item = services.item_plan(
        actor=cast.secretary, item=fix_now, plan="更换整条线路",
        milestones=[("采购", dt.date(2024, 5, 1))],
    )  # fmt: skip
    assert item.mode == Mode.LONG_TERM and item.milestones.count() == 1
    # A project with milestones may change its plan alone.
    services.item_plan(actor=cast.secretary, item=item, plan="更换整条线路并加装路灯")


# --- claiming ------------------------------------------------------------------------------------


def test_a_partner_liaison_claims_for_the_unit_and_the_owners_are_told(
    cast, partners, published, fix_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = services.item_claim(actor=partners.liaison, item=fix_now, now=T0)
    assert (claim.body, claim.person, claim.assigned) == (partners.unit, None, False)
    assert state_of(fix_now) == ItemState.CLAIMED
    told = set(
        Notification.objects.filter(kind="lists.item_claimed").values_list("recipient", flat=True)
    )
    assert {cast.secretary.pk, cast.community_worker.pk, cast.grid_worker.pk} >= told
    assert {cast.secretary.pk, cast.community_worker.pk} <= told
    assert partners.liaison.pk not in told
    assert AuditEvent.objects.filter(action="lists.item_claim").exists()


def test_nothing_is_told_before_the_commit(
    cast, partners, fix_now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.item_claim(actor=partners.liaison, item=fix_now)
    assert callbacks and not Notification.objects.exists()


def test_a_dual_registered_member_claims_for_themselves(partners, fix_now):
    claim = services.item_claim(actor=partners.member, item=fix_now)
    assert (claim.body, claim.person) == (None, partners.member.person)


@pytest.mark.parametrize(
    "who,message",
    [
        ("liaison_z", "只有覆盖本小区的共建单位联络人或在本社区双报到的在职党员可以认领"),
        ("member_z", "只有覆盖本小区的共建单位联络人"),
        ("retired", "只有覆盖本小区的共建单位联络人"),
        ("volunteer", "只有覆盖本小区的共建单位联络人"),
    ],
)
def test_ineligible_claimers_are_refused_and_nothing_changes(partners, fix_now, who, message):
    with pytest.raises(PermissionDenied, match=message):
        services.item_claim(actor=getattr(partners, who), item=fix_now)
    assert state_of(fix_now) == ItemState.OPEN and not ItemClaim.objects.exists()


@pytest.mark.parametrize("role", ["resident", "owner", "clerk", "building_leader", "outsider"])
def test_residents_and_handlers_may_not_claim(cast, fix_now, role):
    with pytest.raises(PermissionDenied, match="可以认领"):
        services.item_claim(actor=getattr(cast, role), item=fix_now)
    assert not ItemClaim.objects.exists()


def test_a_dissolved_partner_unit_may_not_claim(partners, fix_now):
    partners.unit.dissolved_on = dt.date(2024, 1, 1)
    partners.unit.save()
    with pytest.raises(PermissionDenied):
        services.item_claim(actor=partners.liaison, item=fix_now)


def test_items_of_a_draft_are_not_claimed(cast, partners, draft):
    item = add_meeting_item(cast.secretary, draft)
    with pytest.raises(ListError, match="清单发布后才能认领"):
        services.item_claim(actor=partners.liaison, item=item)


def test_a_claimed_item_is_not_claimed_again(partners, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    with pytest.raises(ListError, match="事项当前状态为“已认领”,不能认领"):
        services.item_claim(actor=partners.member, item=fix_now)
    assert ItemClaim.objects.count() == 1


def test_one_active_claim_per_item_is_a_database_constraint(partners, fix_now):
    ItemClaim.objects.create(item=fix_now, body=partners.unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemClaim.objects.create(item=fix_now, person=partners.member.person)
    # A released claim does not count: the item may be claimed again.
    ItemClaim.objects.filter(item=fix_now).update(released_at=T0)
    ItemClaim.objects.create(item=fix_now, person=partners.member.person)
    assert ItemClaim.objects.filter(item=fix_now, released_at__isnull=True).count() == 1


def test_a_claim_is_by_a_unit_or_a_person_never_both(partners, fix_now):
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemClaim.objects.create(item=fix_now, body=partners.unit, person=partners.member.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemClaim.objects.create(item=fix_now)


def test_staff_assign_to_an_eligible_unit_or_member(cast, partners, fix_now, project):
    claim = services.item_claim(actor=cast.secretary, item=fix_now, body=partners.unit)
    assert claim.assigned and claim.claimed_by == cast.secretary
    claim = services.item_claim(actor=cast.secretary, item=project, person=partners.member.person)
    assert claim.assigned and claim.person == partners.member.person


@pytest.mark.parametrize(
    "target,message",
    [
        ("unit_z", "该单位不是覆盖本小区的共建单位"),
        ("member_z", "该党员不是在本社区双报到的在职党员"),
        ("retired", "该党员不是在本社区双报到的在职党员"),
    ],
)
def test_staff_may_not_assign_to_the_ineligible(cast, partners, fix_now, target, message):
    who = getattr(partners, target)
    kw = {"body": who} if target == "unit_z" else {"person": who.person}
    with pytest.raises(ListError, match=message):
        services.item_claim(actor=cast.secretary, item=fix_now, **kw)
    assert not ItemClaim.objects.exists()


def test_a_liaison_may_not_claim_in_another_units_name(partners, fix_now, cast):
    with pytest.raises(PermissionDenied, match="只能以您自己担任联络人的共建单位"):
        services.item_claim(actor=partners.liaison, item=fix_now, person=partners.member.person)


def test_the_system_assigns(partners, fix_now):
    claim = services.item_claim(actor=None, item=fix_now, body=partners.unit)
    assert claim.assigned and claim.claimed_by is None


# --- progress, finishing, solving ---------------------------------------------------------------


def test_the_claimant_reports_progress_with_a_photo(partners, project):
    services.item_claim(actor=partners.liaison, item=project)
    progress = services.item_report_progress(
        actor=partners.liaison, item=project, text="方案已完成", percent=30, photos=[jpeg()]
    )
    project.refresh_from_db()
    assert (project.state, project.percent) == (ItemState.IN_PROGRESS, 30)
    assert progress.claim.body == partners.unit
    photo = progress.photos.get()
    assert photo.image.name.endswith(".jpg") and photo.size > 0


def test_a_bad_photo_or_percent_writes_nothing(partners, project):
    services.item_claim(actor=partners.liaison, item=project)
    not_image = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="不是有效的图片"):
        services.item_report_progress(
            actor=partners.liaison, item=project, text="进展", percent=30, photos=[not_image]
        )
    with pytest.raises(ListError, match="进度须为0到100的整数"):
        services.item_report_progress(
            actor=partners.liaison, item=project, text="进展", percent=120
        )
    with pytest.raises(ListError, match="请填写进展情况"):
        services.item_report_progress(actor=partners.liaison, item=project, text=" ", percent=10)
    assert not ItemProgress.objects.exists() and state_of(project) == ItemState.CLAIMED


def test_someone_else_may_not_report_on_a_claimed_item(partners, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    for who in (partners.member, partners.liaison_z, partners.volunteer):
        with pytest.raises(PermissionDenied):
            services.item_report_progress(actor=who, item=fix_now, text="进展", percent=50)
    assert not ItemProgress.objects.exists()


def test_a_project_finishes_only_when_its_milestones_are_done(
    cast, partners, project, django_capture_on_commit_callbacks
):
    services.item_claim(actor=partners.member, item=project)
    with pytest.raises(ListError, match="还有2个节点未完成"):
        services.item_finish(actor=partners.member, item=project)
    for milestone in project.milestones.all():
        services.milestone_complete(actor=partners.member, milestone=milestone)
    with pytest.raises(ListError, match="该节点已完成"):
        services.milestone_complete(actor=cast.secretary, milestone=project.milestones.first())
    with django_capture_on_commit_callbacks(execute=True):
        services.item_finish(actor=partners.member, item=project, text="道路已通车", now=T0)
    project.refresh_from_db()
    assert (project.state, project.done_at, project.percent) == (ItemState.DONE, T0, 100)
    assert project.progress.get().text == "道路已通车"
    assert Notification.objects.filter(kind="lists.item_done", recipient=cast.secretary).exists()


def test_staff_solve_a_fix_now_item_directly_but_not_a_project(cast, partners, fix_now, project):
    services.item_solve(actor=cast.grid_worker, item=fix_now, text="已更换灯泡")
    assert state_of(fix_now) == ItemState.DONE
    with pytest.raises(ListError, match="长期项目不能直接标为已解决"):
        services.item_solve(actor=cast.secretary, item=project)
    with pytest.raises(PermissionDenied):
        services.item_solve(actor=partners.liaison, item=project)


def test_staff_carry_a_project_themselves(cast, project):
    services.item_report_progress(
        actor=cast.secretary, item=project, text="社区自行推进", percent=10
    )
    assert state_of(project) == ItemState.IN_PROGRESS
    assert ItemProgress.objects.get().claim is None


def test_release_gives_the_item_back(cast, partners, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    with pytest.raises(ListError, match="请填写退回原因"):
        services.item_release(actor=partners.liaison, item=fix_now, reason="")
    services.item_release(actor=partners.liaison, item=fix_now, reason="本单位力量不足")
    assert state_of(fix_now) == ItemState.OPEN
    claim = ItemClaim.objects.get()
    assert claim.released_at and claim.release_reason == "本单位力量不足"
    services.item_claim(actor=partners.member, item=fix_now)
    assert ItemClaim.objects.filter(released_at__isnull=True).get().person == partners.member.person


def test_drop_needs_a_reason_releases_the_claim_and_tells_the_claimant(
    cast, partners, fix_now, django_capture_on_commit_callbacks
):
    services.item_claim(actor=partners.liaison, item=fix_now)
    with pytest.raises(PermissionDenied):
        services.item_drop(actor=partners.liaison, item=fix_now, reason="不想做")
    with pytest.raises(ListError, match="请填写不再办理的原因"):
        services.item_drop(actor=cast.secretary, item=fix_now, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_drop(actor=cast.secretary, item=fix_now, reason="已由供电所统一改造")
    fix_now.refresh_from_db()
    assert (fix_now.state, fix_now.dropped_reason) == (ItemState.DROPPED, "已由供电所统一改造")
    assert not ItemClaim.objects.filter(released_at__isnull=True).exists()
    assert Notification.objects.filter(
        kind="lists.item_dropped", recipient=partners.liaison
    ).exists()


def test_nothing_moves_on_an_archived_list(cast, partners, published, fix_now):
    services.worklist_archive(actor=cast.secretary, work_list=published)
    with pytest.raises(ListError, match="清单发布后才能认领"):
        services.item_claim(actor=partners.liaison, item=fix_now)
    with pytest.raises(ListError, match="清单已归档"):
        services.item_solve(actor=cast.secretary, item=fix_now)
    with pytest.raises(ListError, match="清单已归档"):
        add_meeting_item(cast.secretary, published)


# --- every move through the services ----------------------------------------------------------


def _put(item, state, partners):
    """Put ``item`` in ``state`` directly, with a claim by the partner unit where it has one."""
    if state in (ItemState.CLAIMED, ItemState.IN_PROGRESS):
        ItemClaim.objects.create(item=item, body=partners.unit)
    item.state = state
    item.done_at = T0 if state == ItemState.DONE else None
    item.dropped_reason = "原因" if state == ItemState.DROPPED else ""
    item.save()


CALLS = {
    Action.CLAIM: lambda c, p, i: services.item_claim(actor=p.member, item=i),
    Action.ASSIGN: lambda c, p, i: services.item_claim(actor=c.secretary, item=i, body=p.unit),
    Action.RELEASE: lambda c, p, i: services.item_release(actor=c.secretary, item=i, reason="退回"),
    Action.REPORT: lambda c, p, i: services.item_report_progress(
        actor=c.secretary, item=i, text="进展", percent=50
    ),
    Action.FINISH: lambda c, p, i: services.item_finish(actor=p.liaison, item=i),
    Action.SOLVE: lambda c, p, i: services.item_solve(actor=c.secretary, item=i),
    Action.DROP: lambda c, p, i: services.item_drop(actor=c.secretary, item=i, reason="重复"),
}
ALLOWED = {
    (Action.CLAIM, ItemState.OPEN),
    (Action.ASSIGN, ItemState.OPEN),
    (Action.RELEASE, ItemState.CLAIMED),
    (Action.RELEASE, ItemState.IN_PROGRESS),
    (Action.REPORT, ItemState.OPEN),
    (Action.REPORT, ItemState.CLAIMED),
    (Action.REPORT, ItemState.IN_PROGRESS),
    (Action.FINISH, ItemState.CLAIMED),
    (Action.FINISH, ItemState.IN_PROGRESS),
    (Action.SOLVE, ItemState.OPEN),
    (Action.DROP, ItemState.OPEN),
    (Action.DROP, ItemState.CLAIMED),
    (Action.DROP, ItemState.IN_PROGRESS),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("state", list(ItemState))
def test_every_move_through_the_services(cast, partners, fix_now, action, state):
    _put(fix_now, state, partners)
    before = AuditEvent.objects.count()
    if (action, state) in ALLOWED:
        CALLS[action](cast, partners, fix_now)
        assert AuditEvent.objects.count() == before + 1
    else:
        with pytest.raises((ListError, PermissionDenied)):
            CALLS[action](cast, partners, fix_now)
        assert state_of(fix_now) == state and AuditEvent.objects.count() == before
