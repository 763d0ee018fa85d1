"""Story 002, 铭湖社区 / 太平洋花园: 21 micro-wishes through 点单、派单、接单.

"选出11名有热心、有公心的党员或群众担任楼栋长,通过'居民点单、支部派单、楼长接单'模式,完成
居民群众'微心愿'21个."

Replayed over the REST API (token auth for the residents, sessions for the staff) and the
services: elderly residents file their wishes on the phone (居民点单), or a building leader
or the grid worker records them on a visit; the branch secretary dispatches each one (支部
派单) — on the compound's routing rules, which send a wish to the building leader of its
building, or naming the leader himself; each building leader accepts his own (楼长接单), and
may not take a neighbour's; the wish is fulfilled with a photo, rated by the resident, the
leader reports back and the community closes it. The figures then count 21 wishes, all
fulfilled and rated; the property clerk of another compound cannot even see one.

A last test loads story 002 of the demo: the same 21, plus live work for the demo accounts.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from gongzhi.bodies import services as bodies
from gongzhi.bodies.models import Body, BodyKind, Post
from gongzhi.demands import permissions, selectors, services
from gongzhi.demands.models import Category, Channel, Demand, Kind, PlaceKind
from gongzhi.demands.rules import State
from gongzhi.people.models import Account
from gongzhi.places.models import Building, Compound, Room
from tests.factories import (
    AccountFactory,
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    DistrictFactory,
    GridFactory,
    ResidencyFactory,
    RoomFactory,
    StreetFactory,
)

V1 = "/api/v1"
PASSWORD = "gongzhi-pass-123"  # tests.factories.AccountFactory
NOT_FOUND = {"detail": "未找到。"}
WISHES = (
    "想要一台能听闽南语广播的收音机", "卫生间灯泡坏了,自己够不着", "下个月复查,希望有人陪同去医院",
    "老花镜摔坏了,想配一副新的", "想学用智能手机和孙子视频", "阳台旧家具想搬下楼处理掉",
    "腿脚不好,想要一个助行器", "想请理发师上门理个发", "冬天快到了,想要一床厚棉被",
    "想要一个电子血压计", "厨房水龙头一直滴水", "想要几本大字版的书",
    "一个人住,希望每周有人来聊聊天", "入户门锁老化不好开", "旧电饭煲坏了,想要一个新的",
    "想在阳台种点花,需要花盆和土", "想申请高龄津贴,不知道怎么办", "想把老照片翻拍放大",
    "洗澡站不稳,想要一把洗澡椅", "想要一部按键大、声音大的老人手机", "想去看看新建成的跨海大桥",
)  # fmt: skip


@dataclass
class Pacific:
    compound: Compound
    buildings: list[Building]
    rooms: list[Room]  # rooms[i] is the home of elders[i]; 7 per building
    elders: list[Account]
    branch: Body
    care: Category
    secretary: Account
    leaders: list[Account]  # leaders[n] leads buildings[n]
    grid_worker: Account
    community_worker: Account
    other_clerk: Account  # the property clerk of another compound


def _appoint(body: Body, post: str, name: str, scope=None) -> Account:
    account = AccountFactory(person__name=name)
    bodies.membership_appoint(
        actor=None, body=body, person=account.person, post=post, scope=scope,
        start=dt.date(2025, 1, 5),
    )  # fmt: skip
    return account


@pytest.fixture
def pacific(db) -> Pacific:
    """太平洋花园 in 铭湖社区 of 东湖街道: 3 buildings, 21 elderly residents (7 a building),
    a branch with its secretary and 3 building leaders, the community's grid worker and
    community worker; 丰泽花园 next door has its own property company and clerk."""
    street = StreetFactory(district=DistrictFactory(name="泉州市丰泽区"), name="东湖街道")
    community = CommunityFactory(street=street, name="铭湖社区")
    compound = CompoundFactory(community=community, name="太平洋花园")
    grid = GridFactory(compound=compound, name="第一网格")
    buildings = [BuildingFactory(compound=compound, grid=grid, name=f"{n}号楼") for n in (1, 2, 3)]
    rooms = [RoomFactory(building=b, name=f"{f}01") for b in buildings for f in range(1, 8)]
    elders = []
    for i, room in enumerate(rooms):
        account = AccountFactory(person__name=f"老人{i + 1:02d}")
        ResidencyFactory(household__room=room, household__head=account.person)
        elders.append(account)
    neighbour = CompoundFactory(community=community, name="丰泽花园")

    def body(kind, place, name):
        return bodies.body_create(actor=None, kind=kind, name=name, place=place)

    branch = body(BodyKind.COMPOUND_PARTY_BRANCH, compound, "太平洋花园小区党支部")
    rc = body(BodyKind.RESIDENTS_COMMITTEE, community, "铭湖社区居民委员会")
    other_property = body(BodyKind.PROPERTY_COMPANY, neighbour, "丰泽物业")
    body(BodyKind.PROPERTY_COMPANY, compound, "东湖物业")
    secretary = _appoint(branch, Post.SECRETARY, "许书记")
    leaders = [_appoint(branch, Post.BUILDING_LEADER, f"{b.name}楼长", scope=b) for b in buildings]
    care = services.category_create(actor=secretary, compound=compound, name="为老助困",
                                     keywords="老人 微心愿 陪同")  # fmt: skip
    # 楼长接单: a wish in a building goes to the building leader of that building.
    for building, leader in zip(buildings, leaders, strict=True):
        services.routing_rule_create(actor=secretary, compound=compound, handler_body=branch,
                                     handler_person=leader.person, category=care,
                                     building=building)  # fmt: skip
    return Pacific(
        compound=compound,
        buildings=buildings,
        rooms=rooms,
        elders=elders,
        branch=branch,
        care=care,
        secretary=secretary,
        leaders=leaders,
        grid_worker=_appoint(rc, Post.GRID_WORKER, "网格员小黄", scope=grid),
        community_worker=_appoint(rc, Post.COMMUNITY_WORKER, "社工小李"),
        other_clerk=_appoint(other_property, Post.CLERK, "丰泽物业管家"),
    )


def token_client(account: Account) -> APIClient:
    response = APIClient().post(
        f"{V1}/auth/token", {"phone": account.phone, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def session_client(account: Account) -> APIClient:
    client = APIClient()
    client.force_login(account)
    return client


def ok(response, status=200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("心愿达成.jpg", out.getvalue(), content_type="image/jpeg")


def inbox_ids(client) -> set[int]:
    return {row["id"] for row in ok(client.get(f"{V1}/demands/inbox", {"limit": 50}))["results"]}


def test_21_micro_wishes_through_order_dispatch_and_take(pacific):
    p = pacific
    phones = [token_client(a) for a in p.elders]
    leader_of = {b.pk: i for i, b in enumerate(p.buildings)}
    leaders = [session_client(a) for a in p.leaders]
    secretary = session_client(p.secretary)

    # 居民点单: a third on their own phones, a third by their building leader on a visit,
    # a third by the grid worker (visits and phone calls).
    grid = session_client(p.grid_worker)
    wishes: list[int] = []
    for i, (wish, room) in enumerate(zip(WISHES, p.rooms, strict=True)):
        data = {"compound": p.compound.pk, "kind": Kind.MICRO_WISH, "category": p.care.pk,
                "description": wish, "place_kind": PlaceKind.ROOM, "room": room.pk,
                "is_public": True}  # fmt: skip
        if i % 3 == 0:
            response = phones[i].post(f"{V1}/demands", data, format="multipart")
        else:
            data |= {"reporter": p.elders[i].person_id}
            if i % 3 == 1:
                client = leaders[leader_of[room.building_id]]
                data["channel"] = Channel.VISIT
            else:
                client = grid
                data["channel"] = Channel.PHONE if i % 2 else Channel.VISIT
            response = client.post(f"{V1}/demands", data, format="multipart")
        body = ok(response, 201)
        assert (body["kind"], body["state"]) == (Kind.MICRO_WISH, State.FILED)
        wishes.append(body["id"])
    assert Demand.objects.filter(kind=Kind.MICRO_WISH, compound=p.compound).count() == 21
    channels = Demand.objects.filter(pk__in=wishes).values_list("channel", flat=True)
    assert set(channels) == {Channel.APP, Channel.VISIT, Channel.PHONE}

    # The secretary sees them all on the board, waiting to be dispatched.
    board = ok(secretary.get(f"{V1}/demands/board", {"kind": "micro_wish", "state": "filed"}))
    assert board["count"] == 21

    # 支部派单: on the routing rules (to the building leader of the wish's building), or,
    # for building 3, naming the leader.
    for i, pk in enumerate(wishes):
        room = p.rooms[i]
        n = leader_of[room.building_id]
        data = {"note": "支部派单:请楼长接单。"}
        if n == 2:
            data |= {"handler_body": p.branch.pk, "handler_person": p.leaders[n].person_id}
        body = ok(secretary.post(f"{V1}/demands/{pk}/dispatch", data, format="json"))
        assert body["state"] == State.DISPATCHED
        assert body["handler_person_name"] == p.leaders[n].person.name
        assert body["level"] == ""  # a building leader is grassroots: a whistle calls 物业

    # Each leader finds exactly his building's seven in his inbox, and only those.
    for n, client in enumerate(leaders):
        mine = {pk for i, pk in enumerate(wishes) if leader_of[p.rooms[i].building_id] == n}
        assert inbox_ids(client) == mine and len(mine) == 7

    # A wish is its own leader's to take: the grid worker and the leader of the next
    # building, who see it (the wishes are public in the compound), are refused.
    for other in (grid, leaders[1]):
        refused = other.post(f"{V1}/demands/{wishes[0]}/accept", {}, format="json")
        assert refused.status_code == 403
        assert refused.json() == {"detail": "只有当前承办人可以接单。"}

    # 楼长接单, fulfilled with a photo, rated by the elder, reported back, summed up.
    community = session_client(p.community_worker)
    for i, pk in enumerate(wishes):
        leader = leaders[leader_of[p.rooms[i].building_id]]
        ok(leader.post(f"{V1}/demands/{pk}/accept", {"note": "楼长接单。"}, format="json"))
        body = ok(
            leader.post(
                f"{V1}/demands/{pk}/resolve",
                {"note": "心愿已达成,东西已送到老人家中。", "photos": [photo()]},
                format="multipart",
            )
        )
        assert body["state"] == State.RESOLVED and len(body["photos"]) == 1
        rating = 5 if i % 4 else 4
        body = ok(
            phones[i].post(
                f"{V1}/demands/{pk}/evaluate",
                {"rating": rating, "comment": "谢谢楼长,心里暖暖的。"},
                format="json",
            )
        )
        assert body["state"] == State.EVALUATED
        if i < 18:
            ok(leader.post(f"{V1}/demands/{pk}/feedback", {"text": "已回访。"}, format="json"))
            ok(community.post(f"{V1}/demands/{pk}/close", {"summary": "微心愿已完成。"},
                              format="json"))  # fmt: skip
        else:  # the last three through the services
            d = Demand.objects.get(pk=pk)
            d = services.demand_feedback(actor=p.leaders[leader_of[d.building_id]], demand=d,
                                         text="已回访,老人很满意。")  # fmt: skip
            services.demand_close(actor=p.community_worker, demand=d, summary="微心愿已完成。")

    # 21 wishes, all fulfilled and rated.
    figures = ok(secretary.get(f"{V1}/figures/demands", {"place": p.compound.path}))
    assert (figures["received"], figures["solved"], figures["rated"]) == (21, 21, 21)
    assert figures["open"] == 0 and figures["satisfaction"] == 1.0
    wish_figures = selectors.figures(p.compound.path, kind=Kind.MICRO_WISH)
    assert (wish_figures["received"], wish_figures["solved"]) == (21, 21)
    assert not Demand.objects.filter(pk__in=wishes).exclude(state=State.CLOSED).exists()
    assert all(inbox_ids(client) == set() for client in leaders)

    # One wish's timeline: 点单 → 派单 → 接单 → 办结 → 评价 → 反馈 → 总结, read by the elder.
    detail = ok(phones[1].get(f"{V1}/demands/{wishes[1]}"))
    assert [e["kind"] for e in detail["timeline"]] == [
        "filed", "dispatched", "accepted", "resolved", "evaluated", "feedback", "closed",
    ]  # fmt: skip
    assert detail["timeline"][0]["actor_name"] == p.leaders[0].person.name  # on his visit
    assert detail["timeline"][1]["actor_name"] == "许书记"
    assert detail["timeline"][2]["actor_name"] == p.leaders[0].person.name
    assert detail["channel"] == Channel.VISIT and detail["reporter_name"] == "老人02"

    # The property clerk of another compound learns nothing, not even that it exists.
    outsider = session_client(p.other_clerk)
    assert outsider.get(f"{V1}/demands/{wishes[0]}").status_code == 404
    assert outsider.get(f"{V1}/demands/{wishes[0]}").json() == NOT_FOUND
    response = outsider.post(f"{V1}/demands/{wishes[0]}/feedback", {"text": "x"}, format="json")
    assert response.status_code == 404
    assert wishes[0] not in {
        row["id"] for row in ok(outsider.get(f"{V1}/demands/board"))["results"]
    }  # fmt: skip

    # The wish's page, for its building leader.
    page = Client()
    page.force_login(p.leaders[0])
    response = page.get(f"/demands/{wishes[0]}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (WISHES[0], "微心愿已完成。", "谢谢楼长,心里暖暖的。"):
        assert text in html, text
    assert Client().get(f"/demands/{wishes[0]}/").status_code == 302  # to the login page


def test_the_demo_holds_story_002(db, django_capture_on_commit_callbacks):
    """The demo's 太平洋花园: 21 micro-wishes fulfilled and rated months back, and today's
    work waiting for the demo accounts."""
    from gongzhi.core.demo import story_002
    from gongzhi.core.demo.context import DemoContext
    from gongzhi.demands.demo import load_demands_demo

    ctx = DemoContext()
    world = story_002.build(ctx)
    with django_capture_on_commit_callbacks() as callbacks:
        done = load_demands_demo(ctx)["002"]
    assert done["micro_wishes"] == 21
    assert callbacks  # today's work notifies; the months-old wishes did not
    compound = world.compound
    wishes = selectors.figures(compound.path, kind=Kind.MICRO_WISH)
    assert (wishes["solved"], wishes["rated"], wishes["satisfied"]) == (21, 21, 21)
    fulfilled = Demand.objects.filter(compound=compound, kind=Kind.MICRO_WISH, rating__isnull=False)
    leaders = {p.pk for p in world.more["building_leaders"]}
    assert fulfilled.count() == 21
    assert {d.handler_person_id for d in fulfilled} <= leaders
    assert len({d.building_id for d in fulfilled}) == 11  # every building's leader took some
    account = {a.role.phone: a.account for a in ctx.accounts}
    clerk, leader = account["13800000007"], account["13800000009"]
    secretary, elder = account["13800000004"], account["13800000014"]
    assert {d.state for d in selectors.inbox_for(clerk)} >= {
        State.DISPATCHED, State.ACCEPTED, State.WHISTLED, State.RECTIFYING,
    }  # fmt: skip
    assert {d.state for d in selectors.inbox_for(leader)} == {
        State.DISPATCHED, State.ACCEPTED, State.EVALUATED,
    }  # fmt: skip
    board = selectors.dispatch_board(secretary, state=State.FILED)
    assert board.count() >= 4
    assert selectors.dispatch_board(secretary, state=State.RETURNED).exists()
    duplicate = board.filter(description__contains="电梯").first()
    assert selectors.similar_open_demands(duplicate)  # shown to merge
    mine = list(selectors.demands_of_person(elder))
    waiting = [d for d in mine if d.state == State.RESOLVED]
    assert waiting and "evaluate" in permissions.available_actions(elder, waiting[0])
    assert {d.kind for d in mine} == {Kind.DEMAND, Kind.MICRO_WISH}
