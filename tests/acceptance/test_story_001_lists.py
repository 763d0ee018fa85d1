"""Story 001, 江南街道 / 香槟城小区: the residents' needs list (需求清单).

"形成小区居民'需求清单'67个,实行项目化、清单化解决,对当下能解决的要立行立改,对需要长期
解决的制定问题清单……推动解决居民群众热切盼望的和关注的实事难事36个", and the partner units
of the regional party-building alliance claim items through 清单发布与认领, as do in-service
party members registered with the community (双报到).

Replayed as the people involved would do it: residents file demands (demands services);
the branch secretary opens the list and compiles them on the web page; the community worker
adds meeting items over the API; the secretary adds items from walk-around visits and
long-term projects through the services; the list is published from its page; staff fix 24
items at once (立行立改); partner units and 双报到 members claim 22 items on the page (htmx),
over the API and through the services, report progress and finish 12 of them; those not
entitled are refused. A resident then reads "67 collected / 36 solved / 22 claimed", with
no reporter anywhere.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from gongzhi.bodies.models import BodyKind
from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category, PlaceKind
from gongzhi.lists import selectors, services
from gongzhi.lists.demo import FIX_NOW, LONG_TERM
from gongzhi.lists.models import ItemClaim, ListItem, WorkList
from gongzhi.lists.rules import ItemState, ListState, Mode
from gongzhi.notifications.models import Notification
from tests.factories import (
    AccountFactory,
    BodyFactory,
    MembershipFactory,
    PartyMemberFactory,
    ResidencyFactory,
)

V1 = "/api/v1"
HX = {"HTTP_HX_REQUEST": "true"}
UNITS = (
    "八步区住房和城乡建设局",
    "八步区民族宗教事务局",
    "国网贺州供电局江南供电所",
    "八步区司法局江南司法所",
)
IN_SERVICE = ("八步区教育局机关党支部", "贺州市人民医院党委", "八步区财政局机关党支部")
DEMANDS = (
    ("2栋楼顶漏水,下雨天顶楼住户家里滴水", True),
    ("小区南门出入道路坑洼,老人出行不便", True),
    ("我是3栋的黄某,楼上夜里装修噪音很大", False),
    ("地下车库照明不足,晚上看不清", True),
    ("中心花园的路灯坏了好几盏", True),
    ("我家门口的下水道经常堵,物业不管", False),
    ("停车位太少,晚上车停到消防通道", True),
    ("公厕年久失修,味道很大", True),
    ("希望增设一些休息的长椅", True),
    ("垃圾清运太晚,早上还堆在门口", True),
    ("楼道里有人堆放杂物,存在消防隐患", False),
    ("健身器材坏了,孩子玩的时候危险", True),
)  # fmt: skip
# What the secretary writes for the demands not to be shown (no name, no door).
PRIVATE_TITLES = ("3栋夜间装修噪音", "单元门口下水道堵塞", "楼道堆物消防隐患")


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 160)).save(out, format="JPEG")
    return SimpleUploadedFile("现场.jpg", out.getvalue(), content_type="image/jpeg")


def web(account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def api(account) -> APIClient:
    client = APIClient()
    client.force_authenticate(account)
    return client


@pytest.fixture
def jiangnan(cast):
    """香槟城小区 (compound A) in 厦良社区 of 江南街道; 点灯社区 next door."""
    for place, name in (
        (cast.street, "江南街道"),
        (cast.community, "厦良社区"),
        (cast.other_community, "点灯社区"),
        (cast.a, "香槟城小区"),
        (cast.z, "秀峰苑小区"),
    ):
        place.name = name
        place.save()
    cast.branch_a.name = "香槟城小区党支部"
    cast.branch_a.save()

    def unit(name, community):
        body = BodyFactory(
            kind=BodyKind.PARTNER_UNIT, name=name, place_path=community.path, community=community
        )
        liaison = AccountFactory()
        MembershipFactory(body=body, person=liaison.person, post="liaison")
        PartyMemberFactory(person=liaison.person, is_in_service=True, organisation_name=name)
        return body, liaison

    units = [unit(name, cast.community) for name in UNITS]
    elsewhere = unit("八步区市场监督管理局江南市场监管所", cast.other_community)
    members = []
    for n, organisation in enumerate(IN_SERVICE):
        account = AccountFactory()
        if n == 0:  # lives in 香槟城小区
            ResidencyFactory(household__room__building=cast.building_a2,
                             household__head=account.person)  # fmt: skip
        PartyMemberFactory(
            person=account.person, organisation_name=organisation, is_in_service=True,
            registered_community=cast.community, registered_on=dt.date(2021, 3, 1),
        )  # fmt: skip
        members.append(account)
    retired = AccountFactory()
    ResidencyFactory(household__room=cast.room_a, household__head=retired.person)
    PartyMemberFactory(person=retired.person, organisation=cast.branch_a)
    categories = [
        Category.objects.create(name=name, keywords=keys)
        for name, keys in (("维修", "漏水 路灯"), ("环境卫生", "垃圾"), ("设施", "长椅"))
    ]
    return {
        "units": units,
        "elsewhere": elsewhere,
        "members": members,
        "retired": retired,
        "categories": categories,
    }


def _item(work_list, number) -> ListItem:
    return ListItem.objects.get(work_list=work_list, number=number)


def test_story_001_needs_list_67_items_36_solved_claimed_by_partners(
    cast, jiangnan, django_capture_on_commit_callbacks
):
    units, members = jiangnan["units"], jiangnan["members"]

    # 1. Residents file demands at the 党群服务站 and online (the demands app).
    demands = [
        demand_services.demand_file(
            actor=cast.resident, compound=cast.a, category=jiangnan["categories"][n % 3],
            description=text, place_kind=PlaceKind.COMMON, is_public=public,
        )
        for n, (text, public) in enumerate(DEMANDS)
    ]  # fmt: skip
    reporter_name = "黄丽萍"
    cast.resident.person.name = reporter_name
    cast.resident.person.save()

    # 2. The branch secretary opens the 2024 needs list from the compound's page ...
    secretary = web(cast.secretary)
    response = secretary.post(
        reverse("lists:new", args=[cast.a.pk]),
        {"kind": "needs", "title": "香槟城小区2024年居民需求清单", "period": "2024",
         "level": "compound", "note": "党群联席会议、邻里夜谈、上门走访收集"},
    )  # fmt: skip
    work_list = WorkList.objects.get()
    assert response["Location"] == reverse("lists:compile", args=[work_list.pk])
    # ... and compiles the twelve demands on the compile page, in one go.
    page = secretary.get(reverse("lists:compile", args=[work_list.pk])).content.decode()
    assert all(text[:10] in page for text, _public in DEMANDS)
    response = secretary.post(
        reverse("lists:compile", args=[work_list.pk]),
        {"compile-demands": [d.pk for d in demands], "compile-mode": "fix_now"},
    )
    # Three residents did not allow their words to be shown: the list needs a title of
    # the secretary's own for each, and nothing is listed until it has them.
    assert response.status_code == 200 and not ListItem.objects.exists()
    private = [d for d in demands if not d.is_public]
    titles = dict(zip([d.pk for d in private], PRIVATE_TITLES, strict=True))
    response = secretary.post(
        reverse("lists:compile", args=[work_list.pk]),
        {"compile-demands": [d.pk for d in demands], "compile-mode": "fix_now",
         **{f"compile-title_{pk}": title for pk, title in titles.items()}},
    )  # fmt: skip
    assert response.status_code == 302
    assert ListItem.objects.filter(work_list=work_list, demand__isnull=False).count() == 12

    # 3. The community worker adds what the meetings raised, over the API ...
    worker = api(cast.community_worker)
    for n, (title, place, _source) in enumerate(FIX_NOW[12:32]):
        response = worker.post(
            f"{V1}/lists/{work_list.pk}/items",
            {"title": title, "place_label": place, "source": "meeting",
             "source_label": ("党群联席会议", "邻里夜谈", "邻里话室会")[n % 3],
             "source_date": f"2024-01-{n + 5:02d}"},
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.json()
    for n, (title, place, _source, plan) in enumerate(LONG_TERM[:11]):
        response = worker.post(
            f"{V1}/lists/{work_list.pk}/items",
            {"title": title, "place_label": place, "source": "meeting",
             "source_label": "党群联席会议", "mode": "long_term", "plan": plan,
             "milestones": [{"title": "征求居民意见", "due_on": "2024-04-30"},
                            {"title": "完工验收", "due_on": f"2024-{n % 6 + 6:02d}-30"}]},
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.json()
    # ... and the secretary what the walk-around visits found, and the other projects.
    for title, place, _source in FIX_NOW[32:]:
        services.item_add(actor=cast.secretary, work_list=work_list, title=title,
                          place_label=place, source="visit", source_label="网格员上门走访")  # fmt: skip
    for title, place, _source, plan in LONG_TERM[11:]:
        services.item_add(
            actor=cast.secretary, work_list=work_list, title=title, place_label=place,
            source="meeting", source_label="邻里夜谈", mode=Mode.LONG_TERM, plan=plan,
            milestones=[("方案论证", dt.date(2024, 5, 31)), ("完工验收", dt.date(2024, 11, 30))],
        )  # fmt: skip
    figures = selectors.figures_for_list(work_list)
    assert (figures.collected, figures.fix_now, figures.long_term) == (67, 45, 22)
    fix_now = list(
        ListItem.objects.filter(work_list=work_list, mode=Mode.FIX_NOW).order_by("number")
    )
    projects = list(
        ListItem.objects.filter(work_list=work_list, mode=Mode.LONG_TERM).order_by("number")
    )

    # 4. Nobody may claim a draft, and residents do not see it.
    resident = web(cast.resident)
    assert resident.get(reverse("lists:detail", args=[work_list.pk])).status_code == 404
    assert api(units[0][1]).post(f"{V1}/lists/items/{fix_now[0].pk}/claim").status_code == 404

    # 5. Published from its page: the partners are told there is something to claim.
    with django_capture_on_commit_callbacks(execute=True):
        secretary.post(reverse("lists:publish", args=[work_list.pk]))
    work_list.refresh_from_db()
    assert work_list.state == ListState.PUBLISHED
    told = Notification.objects.filter(kind="lists.published")
    assert (
        told.filter(recipient=units[0][1]).exists() and told.filter(recipient=members[0]).exists()
    )
    assert not told.filter(recipient=jiangnan["elsewhere"][1]).exists()

    # 6. 立行立改: 24 fixed at once, 10 from the list page (htmx), 14 through the services.
    for item in fix_now[:10]:
        response = secretary.post(
            reverse("lists:item_solve", args=[item.pk]), {"fragment": "row"}, **HX
        )
        assert "已立行立改" in response.content.decode()
    for item in fix_now[10:24]:
        services.item_solve(actor=cast.grid_worker, item=item, text="网格员协调物业当场处理")

    # 7. Partner units claim: three on the page, the rest over the API and the services.
    for (_body, liaison), item in zip(units[:3], fix_now[24:27], strict=True):
        with django_capture_on_commit_callbacks(execute=True):
            response = web(liaison).post(
                reverse("lists:item_claim", args=[item.pk]), {"fragment": "row"}, **HX
            )
        assert "认领成功" in response.content.decode()
    assert (
        Notification.objects.filter(kind="lists.item_claimed", recipient=cast.secretary).count()
        == 3
    )
    for n, item in enumerate(fix_now[27:30]):
        response = api(units[3 - n % 2][1]).post(f"{V1}/lists/items/{item.pk}/claim", format="json")
        assert response.status_code == 200 and response.json()["item"]["state"] == "claimed"
    for n, item in enumerate(fix_now[24:30]):
        liaison = ItemClaim.objects.get(item=item).body.memberships.get().person.account
        client = api(liaison)
        response = client.post(
            f"{V1}/lists/items/{item.pk}/progress",
            {"text": "已到现场查看,制定整改方案", "percent": 50, "photos": [jpeg()] if n == 0 else []},
            format="multipart",
        )  # fmt: skip
        assert response.status_code == 200, response.json()
        response = client.post(
            f"{V1}/lists/items/{item.pk}/finish", {"text": "已办结,居民代表验收"}, format="json"
        )
        assert response.json()["item"]["state"] == "done"
    # 双报到 members take two fix-now items and finish them.
    for member, item in zip(members[:2], fix_now[30:32], strict=True):
        assert api(member).post(f"{V1}/lists/items/{item.pk}/claim").status_code == 200
        response = api(member).post(f"{V1}/lists/items/{item.pk}/finish", {}, format="json")
        assert response.json()["item"]["state"] == "done"
    # Four more fix-now items claimed and under way.
    for (_body, liaison), item in zip(units, fix_now[32:36], strict=True):
        services.item_claim(actor=liaison, item=item)
        services.item_report_progress(actor=liaison, item=item, text="正在协调", percent=30)

    # 8. Projects: four claimed, carried through their milestones and finished over the API.
    for (_body, liaison), item in zip(units, projects[:4], strict=True):
        client = api(liaison)
        assert client.post(f"{V1}/lists/items/{item.pk}/claim").status_code == 200
        response = client.post(f"{V1}/lists/items/{item.pk}/finish", {}, format="json")
        assert response.status_code == 400
        assert "个节点未完成" in response.json()["non_field_errors"][0]
        for milestone in item.milestones.all():
            assert client.post(f"{V1}/lists/milestones/{milestone.pk}/done").status_code == 200
        response = client.post(f"{V1}/lists/items/{item.pk}/finish", {"text": "项目完工"},
                               format="json")  # fmt: skip
        assert response.json()["item"]["state"] == "done"
    # Five under way with partner units, one with a 双报到 member (on the item's page).
    for n, item in enumerate(projects[4:9]):
        services.item_claim(actor=cast.secretary, item=item, body=units[n % 4][0])
    response = web(members[2]).post(reverse("lists:item_claim", args=[projects[9].pk]), **HX)
    assert "认领成功" in response.content.decode()

    # 9. Those not entitled are refused, and nothing changes.
    open_item = fix_now[40]
    outsider_unit, outsider_liaison = jiangnan["elsewhere"]
    assert api(outsider_liaison).post(f"{V1}/lists/items/{open_item.pk}/claim").status_code == 404
    with pytest.raises(PermissionDenied):
        services.item_claim(actor=outsider_liaison, item=open_item)
    response = api(jiangnan["retired"]).post(f"{V1}/lists/items/{open_item.pk}/claim")
    assert response.status_code == 403
    assert "在本社区双报到的在职党员" in response.json()["detail"]
    response = web(cast.resident).post(
        reverse("lists:item_claim", args=[open_item.pk]), {"fragment": "row"}, **HX
    )
    assert "可以认领" in response.content.decode()
    response = api(cast.secretary).post(
        f"{V1}/lists/items/{open_item.pk}/claim", {"body": outsider_unit.pk}, format="json"
    )
    assert response.status_code == 400
    assert ListItem.objects.get(pk=open_item.pk).state == ItemState.OPEN

    # 10. A resident (a neighbour of the reporter) reads the published list: 67 collected,
    # 36 solved, 22 claimed.
    resident = web(cast.owner)
    figures = selectors.figures_for_list(work_list)
    assert (figures.collected, figures.solved, figures.claimed) == (67, 36, 22)
    claims = ItemClaim.objects.filter(item__work_list=work_list, released_at__isnull=True)
    assert claims.filter(body__isnull=False).count() == 19
    assert claims.filter(person__isnull=False).count() == 3
    html = resident.get(reverse("lists:detail", args=[work_list.pk])).content.decode()
    assert 'data-figure="collected">67<' in html
    assert 'data-figure="solved">36<' in html
    assert 'data-figure="claimed">22<' in html
    assert "八步区住房和城乡建设局" in html and "立行立改" in html and "长期项目" in html
    assert reporter_name not in html
    for text, public in DEMANDS:
        assert (text[:12] in html) is public
    assert all(title in html for title in PRIVATE_TITLES)
    data = api(cast.owner).get(f"{V1}/lists/{work_list.pk}").json()
    assert {k: data["list"]["figures"][k] for k in ("collected", "solved", "claimed")} == {
        "collected": 67, "solved": 36, "claimed": 22,
    }  # fmt: skip
    body = json.dumps(data, ensure_ascii=False)
    assert reporter_name not in body and "reporter" not in body
    assert "黄某" not in body  # a demand not to be shown lends neither text nor name
    rows = api(cast.owner).get(f"{V1}/lists", {"compound": cast.a.pk}).json()["results"]
    assert rows[0]["figures"]["solved"] == 36

    # 11. The community and the street read the same figures for 2024.
    for account, place in (
        (cast.community_worker, cast.community),
        (cast.street_official, cast.street),
    ):
        response = api(account).get(
            f"{V1}/figures/lists", {"place": place.path, "since": "2024-01-01"}
        )
        assert (response.json()["collected"], response.json()["solved"], response.json()["claimed"]) == (
            67, 36, 22,
        )  # fmt: skip
    page = web(cast.community_worker).get(reverse("lists:compound", args=[cast.a.pk]))
    assert "67" in page.content.decode() and "36" in page.content.decode()
