"""Story 004, 翠屏社区 / 纺织生活二区: 58 suggestions collected, 48 handled, and 吹哨报到.

"2022年,累计收集居民意见建议58项,其中小区党支部、小区红色业委会、小区红色物业先后处理房屋
漏水、围墙坍塌等问题48项", through "居民吹哨、物业报到;物业吹哨、业委会报到;业委会吹哨、书记
报到".

Replayed as the people involved would do it, over the REST API (token auth for the
residents, sessions for the staff) and through the services: the branch secretary sets up
the compound's categories, routing rules and escalation chain; residents file on their
phones and staff record phone calls, visits, paper slips and meetings (58 in all); the
secretary dispatches on the routing rules, handlers accept and resolve, residents rate (two
rate 2 and get a rectification), handlers give feedback and the community closes. One
collapsed wall climbs the whole whistle chain over HTTP; one leaning wall nobody accepts is
escalated by the job one second after its deadline (and not at the deadline itself). The
figures then read 58 received, 48 solved, 2 escalated, 10 open, and each demand's timeline
shows every step, on the API and on its page.

A last test loads story 004 of the demo and finds the same figures there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import cycle

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from gongzhi.bodies import services as bodies
from gongzhi.bodies.models import Body, BodyKind, Post
from gongzhi.demands import rules, selectors, services
from gongzhi.demands.models import Category, Channel, Demand, EventKind, PlaceKind
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
SECOND = dt.timedelta(seconds=1)


# --- the compound ------------------------------------------------------------------------


@dataclass
class Cuiping:
    compound: Compound
    buildings: list[Building]
    rooms: list[Room]
    residents: list[Account]  # residents[i] lives in rooms[i]
    branch: Body
    committee: Body
    property: Body
    residents_committee: Body
    secretary: Account
    chair: Account
    clerk: Account
    community_worker: Account
    street_official: Account
    other_clerk: Account  # the property clerk of a compound next door
    cats: dict[str, Category] = field(default_factory=dict)


def _staff(body: Body, post: str, name: str, scope=None) -> Account:
    account = AccountFactory(person__name=name)
    bodies.membership_appoint(
        actor=None, body=body, person=account.person, post=post, scope=scope,
        start=dt.date(2022, 3, 1),
    )  # fmt: skip
    return account


@pytest.fixture
def cuiping(db) -> Cuiping:
    """纺织生活二区 in 翠屏社区 of 南城街道: 4 buildings of 4 flats, 16 residents, the
    "三红" (branch, red owners' committee, red property company) and the community."""
    street = StreetFactory(district=DistrictFactory(name="龙岩市新罗区"), name="南城街道")
    community = CommunityFactory(street=street, name="翠屏社区")
    compound = CompoundFactory(community=community, name="纺织生活二区")
    grid = GridFactory(compound=compound, name="第一网格")
    buildings = [
        BuildingFactory(compound=compound, grid=grid, name=f"{n}号楼") for n in range(1, 5)
    ]
    rooms = [
        RoomFactory(building=b, name=f"{f}0{s}") for b in buildings for f in (1, 5) for s in (1, 2)
    ]
    residents = []
    for i, room in enumerate(rooms):
        account = AccountFactory(person__name=f"居民{i + 1:02d}")
        ResidencyFactory(household__room=room, household__head=account.person)
        residents.append(account)
    next_door = CompoundFactory(community=community, name="纺织生活一区")

    def body(kind, place, name):
        return bodies.body_create(actor=None, kind=kind, name=name, place=place)

    branch = body(BodyKind.COMPOUND_PARTY_BRANCH, compound, "纺织生活二区小区党支部")
    committee = body(BodyKind.OWNERS_COMMITTEE, compound, "纺织生活二区红色业委会")
    prop = body(BodyKind.PROPERTY_COMPANY, compound, "龙传物业")
    rc = body(BodyKind.RESIDENTS_COMMITTEE, community, "翠屏社区居民委员会")
    office = body(BodyKind.STREET_OFFICE, street, "南城街道办事处")
    other_property = body(BodyKind.PROPERTY_COMPANY, next_door, "一区物业")
    c = Cuiping(
        compound=compound,
        buildings=buildings,
        rooms=rooms,
        residents=residents,
        branch=branch,
        committee=committee,
        property=prop,
        residents_committee=rc,
        secretary=_staff(branch, Post.SECRETARY, "林书记"),
        chair=_staff(committee, Post.CHAIR, "张主任"),
        clerk=_staff(prop, Post.CLERK, "杨管家"),
        community_worker=_staff(rc, Post.COMMUNITY_WORKER, "陈社工"),
        street_official=_staff(office, Post.OFFICIAL, "吴干部"),
        other_clerk=_staff(other_property, Post.CLERK, "王管家"),
    )
    # The secretary sets up the compound: its categories, routing rules and chain.
    sec = c.secretary
    for name, hours, days, keywords in (
        ("房屋漏水", 24, 7, "漏水 渗水"),
        ("公共设施", 24, 10, "围墙 道路 井盖 扶手"),
        ("路灯照明", 24, 3, "路灯 声控灯"),
        ("排水管网", 12, 3, "下水道 化粪池"),
        ("停车管理", 24, 7, "停车 车位"),
        ("意见建议", 48, 15, "建议 希望"),
        ("安全隐患", 2, 1, "隐患 倾斜 消防"),
    ):
        c.cats[name] = services.category_create(
            actor=sec, compound=compound, name=name, accept_within_hours=hours,
            resolve_within_days=days, keywords=keywords,
        )  # fmt: skip
    for name in ("房屋漏水", "公共设施", "路灯照明", "排水管网", "安全隐患"):
        services.routing_rule_create(actor=sec, compound=compound, handler_body=prop,
                                     category=c.cats[name])  # fmt: skip
    services.routing_rule_create(actor=sec, compound=compound, handler_body=committee,
                                 category=c.cats["停车管理"])  # fmt: skip
    services.routing_rule_create(actor=sec, compound=compound, handler_body=branch)
    services.escalation_chain_set(actor=sec, compound=compound, levels=list(rules.DEFAULT_CHAIN))
    return c


# --- clients -------------------------------------------------------------------------------


def token_client(account: Account) -> APIClient:
    """A resident's phone: a token obtained with phone and password, then sent each time."""
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


def act(client, demand_id: int, move: str, status=200, **data) -> dict:
    return ok(client.post(f"{V1}/demands/{demand_id}/{move}", data, format="json"), status)


# --- the 58 suggestions ------------------------------------------------------------------

# (category, place kind, what) — cycled over the rooms, buildings and channels.
COMPLAINTS = (
    ("房屋漏水", PlaceKind.ROOM, "顶楼卧室天花板渗水,墙皮一片片往下掉"),
    ("公共设施", PlaceKind.BUILDING, "楼梯扶手松动摇晃,有一段已经断开"),
    ("路灯照明", PlaceKind.BUILDING, "楼道声控灯坏了一个多月,上下楼只能摸黑"),
    ("排水管网", PlaceKind.BUILDING, "楼后下水道堵塞,污水漫到路面"),
    ("停车管理", PlaceKind.COMMON, "外来车辆乱停,堵住消防通道"),
    ("意见建议", PlaceKind.COMMON, "建议在中心空地放几张带靠背的休息椅"),
    ("房屋漏水", PlaceKind.ROOM, "卫生间楼板渗水,楼下天花板发霉"),
    ("公共设施", PlaceKind.COMMON, "南门路面坑洼,下雨积水,电动车容易摔倒"),
    ("路灯照明", PlaceKind.COMMON, "主干道几盏路灯不亮,老人晚上看不清路"),
    ("意见建议", PlaceKind.COMMON, "希望社区组织义诊,量血压、测血糖"),
)
CHANNELS = (Channel.APP, Channel.PHONE, Channel.VISIT, Channel.PAPER, Channel.MEETING)


def file_all(c: Cuiping, clients: dict[int, APIClient]) -> list[dict]:
    """Suggestions 3–58 (1 and 2 are the two walls, filed by the test itself): residents
    on the app with their token, the community worker for the other channels."""
    staff = session_client(c.community_worker)
    filed = []
    complaints, channels = cycle(COMPLAINTS), cycle(CHANNELS)
    for n in range(56):
        category, place_kind, what = next(complaints)
        channel = next(channels)
        i = n % len(c.rooms)
        room = c.rooms[i]
        data = {
            "compound": c.compound.pk,
            "category": c.cats[category].pk,
            "description": f"{room.building.name}{what}(第{n + 3}条)",
            "place_kind": place_kind,
            "is_public": place_kind != PlaceKind.ROOM,
        }
        if place_kind == PlaceKind.ROOM:
            data["room"] = room.pk
        elif place_kind == PlaceKind.BUILDING:
            data["building"] = room.building_id
        if channel == Channel.APP:
            response = clients[i].post(f"{V1}/demands", data, format="multipart")
        else:
            data |= {"channel": channel, "reporter": c.residents[i].person_id}
            response = staff.post(f"{V1}/demands", data, format="multipart")
        filed.append(ok(response, 201) | {"reporter": i})
    return filed


def handle(c: Cuiping, demand_id: int, reporter: APIClient, *, first_rating: int = 5) -> None:
    """The four steps over HTTP: 派单 on the routing rule, 接单, 办结, 评价 (整改 when rated
    2 or less, then rated again), 反馈, 总结."""
    secretary, community = session_client(c.secretary), session_client(c.community_worker)
    body = act(secretary, demand_id, "dispatch")  # no handler given: the routing rule
    handler = {
        c.property.name: c.clerk,
        c.committee.name: c.chair,
        c.branch.name: c.secretary,
    }[body["handler_body_name"]]
    hc = session_client(handler)
    act(hc, demand_id, "accept", note="已接单,今天安排人员上门。")
    act(hc, demand_id, "resolve", note="已处理完毕,现场已清理。")
    comment = "处理及时,满意。" if first_rating >= 3 else "修得不牢,没两天又坏了。"
    body = act(reporter, demand_id, "evaluate", rating=first_rating, comment=comment)
    if first_rating <= rules.RECTIFY_AT_OR_BELOW:
        assert body["state"] == State.RECTIFYING and body["rectification_count"] == 1
        act(hc, demand_id, "resolve", note="整改:返工重做,请居民代表现场验收。")
        act(reporter, demand_id, "evaluate", rating=4, comment="这次修好了。")
    act(hc, demand_id, "feedback", text="已回访,问题没有反复。")
    body = act(community, demand_id, "close", summary="居民满意,按四步走闭环归档。")
    assert body["state"] == State.CLOSED


def handle_through_services(c: Cuiping, demand: Demand, reporter: Account) -> None:
    """The same four steps through the services (each as the person concerned)."""
    d = services.demand_dispatch(actor=c.secretary, demand=demand)
    handler = {c.property.pk: c.clerk, c.committee.pk: c.chair, c.branch.pk: c.secretary}[
        d.handler_body_id
    ]
    d = services.demand_accept(actor=handler, demand=d)
    d = services.demand_resolve(actor=handler, demand=d, note="已修复。")
    d = services.demand_evaluate(actor=reporter, demand=d, rating=4 + d.pk % 2, comment="满意。")
    d = services.demand_feedback(actor=handler, demand=d, text="已回访。")
    d = services.demand_close(actor=c.community_worker, demand=d, summary="已办结归档。")
    assert d.state == State.CLOSED


def kinds(detail: dict) -> list[str]:
    return [e["kind"] for e in detail["timeline"]]


# --- the story --------------------------------------------------------------------------


def test_58_suggestions_48_handled_with_the_whistle_chain_and_one_automatic_escalation(
    cuiping,
):
    c = cuiping
    phones = {i: token_client(account) for i, account in enumerate(c.residents)}
    secretary, clerk, chair = (session_client(a) for a in (c.secretary, c.clerk, c.chair))

    # 1. 围墙坍塌: a resident phones it in; nobody comes, so she blows the whistle.
    wall = ok(
        session_client(c.community_worker).post(
            f"{V1}/demands",
            {
                "compound": c.compound.pk, "category": c.cats["公共设施"].pk,
                "description": "3号楼北侧围墙因连日暴雨坍塌约8米,砖块散在人行道上,孩子上学要经过",
                "place_kind": "common", "location_note": "3号楼北侧围墙", "urgency": "urgent",
                "channel": "phone", "reporter": c.residents[0].person_id, "is_public": True,
            },
            format="json",
        ),
        201,
    )  # fmt: skip
    resident = phones[0]
    # 居民吹哨、物业报到
    body = act(resident, wall["id"], "whistle", reason="围墙倒了大半天还没人来,担心再塌伤人。")
    assert (body["state"], body["level"], body["handler_body_name"]) == (
        State.WHISTLED, rules.Level.PROPERTY, "龙传物业",
    )  # fmt: skip
    assert "report_in" in ok(clerk.get(f"{V1}/demands/{wall['id']}"))["actions"]
    body = act(clerk, wall["id"], "report-in", note="物业报到:已拉警戒线,清理散落砖块。")
    assert body["state"] == State.ACCEPTED and body["handler_person_name"] == "杨管家"
    # 物业吹哨、业委会报到
    body = act(clerk, wall["id"], "whistle", reason="围墙重建需动用公共收益,超出物业权限。")
    assert (body["level"], body["handler_body_name"]) == (rules.Level.OWNERS_BODY, c.committee.name)
    refused = clerk.post(f"{V1}/demands/{wall['id']}/report-in", {}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "只有当前承办人可以报到。"}
    act(chair, wall["id"], "report-in", note="业委会报到:测算重建费用约4.6万元。")
    # 业委会吹哨、书记报到
    body = act(
        chair, wall["id"], "whistle", reason="费用超出公共收益余额,需支部协调街道和共建单位。"
    )
    assert (body["level"], body["handler_body_name"]) == (rules.Level.BRANCH, c.branch.name)
    act(secretary, wall["id"], "report-in", note="书记报到:协调南城街道和喜鹊公司落实资金。")
    act(secretary, wall["id"], "resolve", note="围墙已重建,加设排水孔,经居民代表验收。")
    act(resident, wall["id"], "evaluate", rating=5, comment="感谢支部、业委会和物业一级一级接力。")
    act(secretary, wall["id"], "feedback", text="重建费用明细已在公示栏公示。")
    act(session_client(c.community_worker), wall["id"], "close",
        summary="居民吹哨、物业报到;物业吹哨、业委会报到;业委会吹哨、书记报到。")  # fmt: skip

    # 2. A leaning wall reported on a paper slip three hours ago: dispatched to the
    # property on the rules, which must accept within 2 hours, and does not.
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    leaning = services.demand_file_on_behalf(
        actor=c.community_worker, reporter=c.residents[1].person, channel=Channel.PAPER,
        compound=c.compound, category=c.cats["安全隐患"], description="东侧围墙有裂缝,往外倾斜",
        place_kind=PlaceKind.COMMON, location_note="东侧围墙", now=start,
    )  # fmt: skip
    leaning = services.demand_dispatch(
        actor=c.secretary, demand=leaning, now=start + dt.timedelta(minutes=10)
    )
    assert leaning.handler_body_id == c.property.pk and leaning.level == rules.Level.PROPERTY

    # 3. The other 56 suggestions, from the app and from the staff.
    filed = file_all(c, phones)
    channels = Demand.objects.filter(compound=c.compound).values_list("channel", flat=True)
    assert set(channels) == set(CHANNELS)
    assert Demand.objects.filter(compound=c.compound).count() == 58

    # 4. 46 of them handled (with the two walls, 48): 6 over HTTP, two of those rectified
    # after a rating of 2, and 40 through the services.
    for n, row in enumerate(filed[:6]):
        handle(c, row["id"], phones[row["reporter"]], first_rating=2 if n in (1, 4) else 5)
    for row in filed[6:46]:
        demand = Demand.objects.get(pk=row["id"])
        handle_through_services(c, demand, c.residents[row["reporter"]])

    # 5. The last 10 stay open at various stages.
    rest = filed[46:]
    one = {row["id"]: Demand.objects.get(pk=row["id"]) for row in rest}
    for row in rest[2:4]:  # dispatched on the rules, not yet accepted
        services.demand_dispatch(actor=c.secretary, demand=one[row["id"]])
    for row in rest[4:6]:  # accepted, being worked on
        d = services.demand_dispatch(
            actor=c.secretary, demand=one[row["id"]], handler_body=c.property
        )
        services.demand_accept(actor=c.clerk, demand=d)
    whistled, returned, rectifying = rest[6], rest[7], rest[8]
    body = act(phones[whistled["reporter"]], whistled["id"], "whistle", reason="三天了还没人派单。")
    assert body["state"] == State.WHISTLED and body["handler_body_name"] == "龙传物业"
    services.demand_dispatch(actor=c.secretary, demand=one[returned["id"]], handler_body=c.property)
    body = act(clerk, returned["id"], "return", reason="该线路属电信运营商,不在物业服务范围。")
    assert body["state"] == State.RETURNED
    d = services.demand_dispatch(actor=c.secretary, demand=one[rectifying["id"]],
                                 handler_body=c.property)  # fmt: skip
    d = services.demand_accept(actor=c.clerk, demand=d)
    services.demand_resolve(actor=c.clerk, demand=d, note="已修补。")
    body = act(phones[rectifying["reporter"]], d.pk, "evaluate", rating=1, comment="一下雨又漏了。")
    assert body["state"] == State.RECTIFYING
    # rest[0], rest[1] and rest[9] wait for dispatch.

    # 6. The deadline passes: at the deadline exactly, nothing; one second later the job
    # calls in the owners' committee — and touches nothing else of the 10 still open.
    due = Demand.objects.get(pk=leaning.pk).accept_by
    assert due == start + dt.timedelta(minutes=10, hours=2)
    assert services.escalate_overdue(now=due) == 0
    assert Demand.objects.get(pk=leaning.pk).state == State.DISPATCHED
    assert services.escalate_overdue(now=due + SECOND) == 1
    leaning.refresh_from_db()
    assert (leaning.state, leaning.level, leaning.handler_body_id) == (
        State.WHISTLED, rules.Level.OWNERS_BODY, c.committee.pk,
    )  # fmt: skip
    assert leaning.overdue_count == 1 and leaning.escalation_count == 1
    assert services.escalate_overdue(now=due + SECOND) == 0  # once only
    assert leaning.pk in [row["id"] for row in ok(chair.get(f"{V1}/demands/inbox"))["results"]]
    act(chair, leaning.pk, "report-in", note="业委会报到:请施工单位加固并设置警示。")
    act(chair, leaning.pk, "resolve", note="倾斜段已拆除重砌,其余墙段加设扶壁柱。")
    act(phones[1], leaning.pk, "evaluate", rating=4, comment="修好了,就是来得慢了点。")
    act(chair, leaning.pk, "feedback", text="已督促物业改进接单时效。")
    act(session_client(c.community_worker), leaning.pk, "close", summary="超时自动升级后办结。")

    # 7. The figures: 58 received, 48 solved, 3 escalated (the chain, the job, one open
    # whistle), 10 open; every handled one rated 4 or 5 in the end, the open one rated 1.
    figures = ok(secretary.get(f"{V1}/figures/demands", {"place": c.compound.path}))
    assert figures["received"] == 58
    assert figures["solved"] == 48
    assert figures["escalated"] == 3
    assert figures["open"] == 10
    assert (figures["rated"], figures["satisfied"]) == (49, 48)
    assert figures["satisfaction"] == round(48 / 49, 4)
    assert figures["overdue"] >= 1  # the leaning wall was late once
    street = ok(
        session_client(c.street_official).get(
            f"{V1}/figures/demands", {"place": c.compound.community.street.path}
        )
    )
    assert (street["received"], street["solved"]) == (58, 48)
    open_states = set(
        Demand.objects.filter(compound=c.compound, state__in=sorted(rules.UNRESOLVED))
        .values_list("state", flat=True)
    )  # fmt: skip
    assert open_states == {
        State.FILED, State.DISPATCHED, State.ACCEPTED, State.WHISTLED, State.RETURNED,
        State.RECTIFYING,
    }  # fmt: skip

    # 8. Each step is on the timeline: the whistle chain, read by the resident who blew it.
    detail = ok(resident.get(f"{V1}/demands/{wall['id']}"))
    assert kinds(detail) == [
        "filed", "whistled", "reported_in", "whistled", "reported_in", "whistled",
        "reported_in", "resolved", "evaluated", "feedback", "closed",
    ]  # fmt: skip
    steps = [(e["kind"], e["level"], e["body_name"], e["actor_name"]) for e in detail["timeline"]]
    assert steps[1:7] == [
        ("whistled", "property", "龙传物业", c.residents[0].person.name),
        ("reported_in", "property", "龙传物业", "杨管家"),
        ("whistled", "owners_body", c.committee.name, "杨管家"),
        ("reported_in", "owners_body", c.committee.name, "张主任"),
        ("whistled", "branch", c.branch.name, "张主任"),
        ("reported_in", "branch", c.branch.name, "林书记"),
    ]
    assert detail["escalation_count"] == 3 and detail["state"] == State.CLOSED
    # The automatic escalation, read by the chair: the system, one second after the deadline.
    detail = ok(chair.get(f"{V1}/demands/{leaning.pk}"))
    assert kinds(detail) == [
        "filed", "dispatched", "escalated", "reported_in", "resolved", "evaluated", "feedback",
        "closed",
    ]  # fmt: skip
    escalated = detail["timeline"][2]
    assert escalated["actor_name"] == "系统" and escalated["body_name"] == c.committee.name
    assert "自动升级" in escalated["text"]
    assert dt.datetime.fromisoformat(escalated["at"]) == due + SECOND
    # A rectified one: 评价 2 → 整改 → 办结 → 评价 4 → 反馈 → 总结.
    rectified = ok(phones[filed[1]["reporter"]].get(f"{V1}/demands/{filed[1]['id']}"))
    assert kinds(rectified) == [
        "filed", "dispatched", "accepted", "resolved", "evaluated", "rectification", "resolved",
        "evaluated", "feedback", "closed",
    ]  # fmt: skip
    assert rectified["rectification_count"] == 1 and rectified["rating"] == 4

    # 9. The same timeline on the demand's page, for the secretary.
    page = Client()
    page.force_login(c.secretary)
    html = page.get(f"/demands/{wall['id']}/").content.decode()
    for text in ("吹哨", "报到", "龙传物业", c.committee.name, c.branch.name,
                 "物业报到:已拉警戒线,清理散落砖块。", "书记报到:协调南城街道和喜鹊公司落实资金。"):  # fmt: skip
        assert text in html, text

    # 10. Outside the compound nobody learns a thing: the next compound's clerk gets 404.
    outsider = session_client(c.other_clerk)
    assert outsider.get(f"{V1}/demands/{wall['id']}").status_code == 404
    assert (
        outsider.post(f"{V1}/demands/{leaning.pk}/report-in", {}, format="json").status_code == 404
    )


def test_the_demo_holds_story_004(db, django_capture_on_commit_callbacks):
    """The demo's 纺织生活二区: 58 suggestions of 2022, 48 handled, the whistle chain at each
    step, automatic escalations, the rest open at various stages."""
    from gongzhi.core.demo import story_004
    from gongzhi.core.demo.context import DemoContext
    from gongzhi.demands.demo import load_demands_demo

    ctx = DemoContext()
    world = story_004.build(ctx)
    with django_capture_on_commit_callbacks() as callbacks:
        done = load_demands_demo(ctx)["004"]
    assert callbacks == []  # nothing of 2022 is notified today
    compound = world.compound
    figures = selectors.figures(compound.path)
    assert (figures["received"], figures["solved"], figures["open"]) == (58, 48, 10)
    assert figures["escalated"] >= 5 and figures["unrated_closed"] == 2
    assert done["escalated_automatically"] == 2 and done["escalated_at_year_end"] == 2
    demands = Demand.objects.filter(compound=compound)
    year = {d.created_at.astimezone(timezone.get_current_timezone()).year for d in demands}
    assert year == {2022}
    assert set(demands.values_list("channel", flat=True)) == {
        Channel.APP, Channel.PHONE, Channel.VISIT, Channel.PAPER, Channel.MEETING,
    }  # fmt: skip
    chain = demands.get(description__startswith="3号楼北侧围墙")
    assert [(e.kind, e.level) for e in selectors.timeline(chain) if e.kind in ("whistled", "reported_in")] == [
        ("whistled", "property"), ("reported_in", "property"),
        ("whistled", "owners_body"), ("reported_in", "owners_body"),
        ("whistled", "branch"), ("reported_in", "branch"),
    ]  # fmt: skip
    assert demands.filter(state=State.MERGED, merged_into=chain).count() == 1
    assert demands.filter(events__kind=EventKind.RECTIFICATION).distinct().count() >= 3
