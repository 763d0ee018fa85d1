"""Demands API v1: filing with photos, the inbox (paged 20), one demand with its timeline,
every move through HTTP, the board's filters, figures, and refusals in Chinese."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.demands import services
from gongzhi.demands.models import Demand, DemandPhoto, PlaceKind
from gongzhi.demands.rules import State
from tests.demands.conftest import T0, jpeg_upload

NOT_FOUND = {"detail": "未找到。"}


def file_via_api(client, cast, repair, **extra):
    data = {
        "compound": cast.a.pk,
        "category": repair.pk,
        "description": "1号楼电梯坏了",
        "place_kind": "room",
        "room": cast.room_a.pk,
        **extra,
    }
    return client.post("/api/v1/demands", data, format="multipart")


def test_resident_files_with_a_photo(cast, repair, api):
    response = file_via_api(api(cast.resident), cast, repair, photos=[jpeg_upload()])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "filed" and body["state_label"] == "待派单"
    assert body["category_name"] == "维修" and body["room_name"] == "101"
    detail = api(cast.resident).get(f"/api/v1/demands/{body['id']}").json()
    assert len(detail["photos"]) == 1 and detail["photos"][0]["url"].endswith(".jpg")
    assert detail["reporter_name"] == cast.resident.person.name
    assert [e["kind"] for e in detail["timeline"]] == ["filed"]
    assert set(detail["actions"]) == {"whistle", "withdraw"}


def test_missing_fields_answer_400_in_chinese_with_nothing_written(cast, repair, api):
    response = api(cast.resident).post(
        "/api/v1/demands",
        {"compound": cast.a.pk, "description": "", "place_kind": "room"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "description": ["请填写诉求内容。"],
        "category": ["请选择诉求类别。"],
        "room": ["请选择房屋。"],
    }
    assert not Demand.objects.exists()


def test_non_image_and_huge_photo_answer_400(cast, repair, api):
    client = api(cast.resident)
    fake = SimpleUploadedFile("x.png", b"not a picture at all", "image/png")
    response = file_via_api(client, cast, repair, photos=[fake])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["第1张照片不是有效的图片文件。"]}
    huge = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1), "image/jpeg")
    response = file_via_api(client, cast, repair, photos=[huge])
    assert response.status_code == 400
    assert "超过10MB" in response.json()["non_field_errors"][0]
    assert not Demand.objects.exists() and not DemandPhoto.objects.exists()


def test_outsider_cannot_file_in_a(cast, repair, api):
    # A compound out of the outsider's sight is refused as a missing one (core.refs).
    response = file_via_api(api(cast.outsider), cast, repair, place_kind="common", room="")
    assert response.status_code == 400
    assert response.json() == {"compound": ["小区不存在。"]}
    # Seen but not theirs to file in: told why.
    official = file_via_api(api(cast.street_official), cast, repair, place_kind="common", room="")
    assert official.status_code == 403
    assert official.json() == {"detail": "只有本小区的居民或业主可以提交诉求。"}


def test_anonymous_gets_401_or_403(cast, api):
    assert api().get("/api/v1/demands/inbox").status_code == 401


def test_staff_file_on_behalf_and_micro_wish(cast, repair, api):
    client = api(cast.community_worker)
    response = file_via_api(client, cast, repair, channel="phone",
                            reporter=cast.resident.person.pk)  # fmt: skip
    assert response.status_code == 201, response.json()
    d = Demand.objects.get(pk=response.json()["id"])
    assert (d.channel, d.reporter, d.filed_by) == ("phone", cast.resident.person,
                                                    cast.community_worker)  # fmt: skip
    response = client.post(
        "/api/v1/demands",
        {"compound": cast.a.pk, "kind": "micro_wish", "description": "想要一台收音机",
         "place_kind": "room", "room": cast.room_a.pk, "channel": "visit",
         "reporter": cast.resident.person.pk},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "micro_wish"


def test_inbox_pages_by_twenty_without_counting(cast, file_demand, api):
    for i in range(25):
        d = file_demand(now=T0 + dt.timedelta(minutes=i))
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    client = api(cast.clerk)
    first = client.get("/api/v1/demands/inbox").json()
    assert len(first["results"]) == 20 and "count" not in first
    assert first["next"] and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True)
    assert api(cast.clerk_b).get("/api/v1/demands/inbox").json()["results"] == []


def test_inbox_query_count_does_not_grow_with_rows(
    cast, file_demand, api, django_assert_max_num_queries
):
    for _ in range(5):
        d = file_demand()
        services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    client = api(cast.clerk)
    with django_assert_max_num_queries(5):  # session, account, memberships, page (+ savepoint)
        assert len(client.get("/api/v1/demands/inbox").json()["results"]) == 5


def post(client, demand, action, **data):
    return client.post(f"/api/v1/demands/{demand.pk}/{action}", data, format="json")


def test_closed_loop_through_http(cast, file_demand, api):
    d = file_demand()
    response = post(api(cast.resident), d, "dispatch", handler_body=cast.property_a.pk)
    assert response.status_code == 403
    assert response.json() == {"detail": "只有支部书记、网格员或社区工作人员可以派单。"}
    response = post(api(cast.secretary), d, "dispatch", handler_body=cast.property_a.pk)
    assert response.status_code == 200 and response.json()["state"] == "dispatched"
    clerk = api(cast.clerk)
    assert set(clerk.get(f"/api/v1/demands/{d.pk}").json()["actions"]) == {
        "accept", "return", "whistle",
    }  # fmt: skip
    assert post(clerk, d, "accept").json()["state"] == "accepted"
    response = clerk.post(f"/api/v1/demands/{d.pk}/resolve",
                          {"note": "已更换电机", "photos": [jpeg_upload()]},
                          format="multipart")  # fmt: skip
    assert response.status_code == 200 and response.json()["state"] == "resolved"
    response = post(api(cast.resident), d, "evaluate", rating=0)
    assert response.status_code == 400 and response.json() == {
        "non_field_errors": ["评价须为1到5的整数。"]
    }
    assert post(api(cast.resident), d, "evaluate", rating=2).json()["state"] == "rectifying"
    post(clerk, d, "resolve", note="重新修好")
    assert post(api(cast.resident), d, "evaluate", rating=5, comment="好").json()["state"] == (
        "evaluated"
    )
    assert post(clerk, d, "feedback", text="感谢").json()["state"] == "feedback_given"
    response = post(api(cast.community_worker), d, "close", summary="")
    assert response.status_code == 400 and response.json() == {"summary": ["请填写总结。"]}
    final = post(api(cast.community_worker), d, "close", summary="闭环").json()
    assert final["state"] == "closed" and final["summary"] == "闭环"
    assert [e["kind"] for e in final["timeline"]] == [
        "filed", "dispatched", "accepted", "resolved", "evaluated", "rectification",
        "resolved", "evaluated", "feedback", "closed",
    ]  # fmt: skip


def test_whistle_and_report_in_through_http(cast, file_demand, api):
    d = file_demand()
    response = post(api(cast.resident), d, "whistle", reason="")
    assert response.status_code == 400 and response.json() == {"reason": ["请填写吹哨理由。"]}
    response = post(api(cast.resident), d, "whistle", reason="一直没人管")
    assert response.json()["state"] == "whistled" and response.json()["level"] == "property"
    response = post(api(cast.clerk), d, "report-in", note="到场")
    assert response.json()["state"] == "accepted"
    response = post(api(cast.clerk), d, "whistle", reason="请业委会协调")
    assert response.json()["handler_body_name"] == "甲小区业委会"
    assert post(api(cast.owners_chair), d, "report-in").json()["state"] == "accepted"


def test_move_not_allowed_answers_400_in_chinese(cast, file_demand, api):
    d = file_demand()
    response = post(api(cast.resident), d, "evaluate", rating=5)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["诉求当前状态为“待派单”,不能评价。"]}


def test_clerk_of_other_compound_gets_404_everywhere(cast, file_demand, api):
    d = file_demand()
    services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.property_a)
    client = api(cast.clerk_b)
    assert client.get(f"/api/v1/demands/{d.pk}").json() == NOT_FOUND
    for action in ("accept", "return", "whistle", "resolve", "evaluate", "close", "merge"):
        response = post(client, d, action, reason="x", rating=5, into=d.pk)
        assert response.status_code == 404, action
    assert Demand.objects.get(pk=d.pk).state == State.DISPATCHED


def test_return_merge_withdraw_through_http(cast, file_demand, api):
    a = file_demand(description="1号楼电梯坏了")
    services.demand_dispatch(actor=cast.secretary, demand=a, handler_body=cast.property_a)
    response = post(api(cast.clerk), a, "return", reason="不属于物业")
    assert response.json()["state"] == "returned"
    b = file_demand(actor=cast.owner, description="1号楼电梯又坏了")
    similar = api(cast.secretary).get(f"/api/v1/demands/{b.pk}/similar").json()
    assert [s["demand"]["id"] for s in similar] == [a.pk]
    assert api(cast.owner).get(f"/api/v1/demands/{b.pk}/similar").status_code == 403
    response = post(api(cast.secretary), b, "merge", into=a.pk, note="重复")
    assert response.json()["state"] == "merged" and response.json()["merged_into"] == a.pk
    assert api(cast.owner).get(f"/api/v1/demands/{a.pk}").status_code == 200  # now follows
    c = file_demand()
    assert post(api(cast.resident), c, "withdraw", reason="已解决").json()["state"] == "withdrawn"


def test_public_demand_hides_the_reporters_name(cast, file_demand, api):
    d = file_demand(place_kind=PlaceKind.COMMON, is_public=True)
    neighbour = api(cast.owner).get(f"/api/v1/demands/{d.pk}").json()
    assert neighbour["reporter_name"] is None
    assert neighbour["timeline"][0]["actor_name"] == "诉求人"
    assert set(neighbour["actions"]) == set()
    assert post(api(cast.owner), d, "follow").status_code == 200
    staff = api(cast.secretary).get(f"/api/v1/demands/{d.pk}").json()
    assert staff["reporter_name"] == cast.resident.person.name


def test_board_filters_through_http(cast, file_demand, environment, api):
    file_demand()
    env = file_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2,
                      category=environment)  # fmt: skip
    client = api(cast.secretary)
    body = client.get("/api/v1/demands/board").json()
    assert body["count"] == 2
    rows = client.get("/api/v1/demands/board", {"category": environment.pk}).json()["results"]
    assert [r["id"] for r in rows] == [env.pk]
    rows = client.get("/api/v1/demands/board", {"building": cast.building_a1.pk}).json()
    assert rows["count"] == 1
    assert client.get("/api/v1/demands/board", {"state": "accepted"}).json()["count"] == 0
    assert client.get("/api/v1/demands/board", {"overdue": "true"}).json()["count"] == 2
    assert client.get("/api/v1/demands/board", {"state": "nonsense"}).status_code == 400
    assert api(cast.clerk_b).get("/api/v1/demands/board").json()["count"] == 0


def test_figures_through_http(cast, file_demand, api):
    file_demand()
    response = api(cast.street_official).get(
        "/api/v1/figures/demands", {"place": cast.street.path, "since": "2026-03-01"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["received"] == 1 and body["satisfaction"] is None
    assert body["since"].startswith("2026-03-01T00:00:00+08:00")
    assert (
        api(cast.street_official)
        .get("/api/v1/figures/demands", {"place": cast.street.path, "until": "2026-03-01"})
        .json()["received"]
        == 0
    )
    denied = api(cast.clerk).get("/api/v1/figures/demands", {"place": cast.street.path})
    assert denied.status_code == 403 and denied.json() == {"detail": "您无权查看该范围的统计。"}
    bad = api(cast.street_official).get("/api/v1/figures/demands", {"place": "x/y"})
    assert bad.status_code == 400 and bad.json() == {"place": ["地点路径无效。"]}


def test_categories_with_suggestion(cast, repair, environment, api):
    response = api(cast.resident).get(
        "/api/v1/demands/categories", {"compound": cast.a.pk, "text": "卫生间漏水"}
    )
    body = response.json()
    assert {c["name"] for c in body["results"]} == {"维修", "环境卫生"}
    assert body["suggested"] == repair.pk
    assert api(cast.outsider).get("/api/v1/demands/categories",
                                  {"compound": cast.a.pk}).status_code == 404  # fmt: skip


def test_my_demands(cast, file_demand, api):
    d = file_demand()
    rows = api(cast.resident).get("/api/v1/demands").json()["results"]
    assert [r["id"] for r in rows] == [d.pk]
    assert api(cast.owner).get("/api/v1/demands").json()["results"] == []


def test_fast_list_rendering_matches_the_declared_fields(cast, file_demand):
    from rest_framework import serializers as drf

    from gongzhi.demands import selectors
    from gongzhi.demands.serializers import DemandListSerializer

    d = file_demand(photos=[])
    services.demand_dispatch(actor=cast.secretary, demand=d, handler_body=cast.branch_a,
                             handler_person=cast.building_leader.person)  # fmt: skip
    rows = selectors.inbox_page(cast.building_leader) + [Demand.objects.get(pk=d.pk)]
    for row in rows:  # annotated (inbox) and plain (read through the relations)
        ser = DemandListSerializer(context={"now": T0})
        fast = ser.to_representation(row)
        assert fast == drf.Serializer.to_representation(ser, row)
        assert list(fast) == list(ser.fields)
        assert fast["handler_person_name"] == cast.building_leader.person.name
