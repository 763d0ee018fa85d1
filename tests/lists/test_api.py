"""The lists API v1: lists, detail, create, add items, publish, claim, progress, finish,
figures; refusals in Chinese; bare 404s outside one's scope; the schema."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from gongzhi.lists import services
from gongzhi.lists.models import ItemClaim, ListItem, WorkList
from gongzhi.lists.rules import ItemState, ListState
from gongzhi.people.models import Person

V1 = "/api/v1"


@pytest.fixture
def api():
    def as_(account=None) -> APIClient:
        client = APIClient()
        if account is not None:
            client.force_authenticate(account)
        return client

    return as_


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 30, 200)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_residents_list_published_lists_with_figures_staff_also_drafts(cast, api, published):
    services.worklist_create(
        actor=cast.secretary, kind="problems", title="草稿清单", period="2024", compound=cast.a
    )
    data = api(cast.resident).get(f"{V1}/lists").json()
    assert [r["title"] for r in data["results"]] == ["甲小区2024年需求清单"]
    assert data["results"][0]["figures"]["collected"] == 2
    titles = {r["title"] for r in api(cast.secretary).get(f"{V1}/lists").json()["results"]}
    assert titles == {"甲小区2024年需求清单", "草稿清单"}
    by_compound = api(cast.resident).get(f"{V1}/lists", {"compound": cast.a.pk}).json()
    assert by_compound["count"] == 1
    assert api(cast.outsider).get(f"{V1}/lists", {"compound": cast.a.pk}).status_code == 404
    assert api(cast.outsider).get(f"{V1}/lists").json()["count"] == 0
    assert api().get(f"{V1}/lists").status_code == 401


def test_create_add_items_and_publish(cast, api, make_demand):
    client = api(cast.secretary)
    response = client.post(
        f"{V1}/lists",
        {"compound": cast.a.pk, "kind": "needs", "title": "2024年需求清单", "period": "2024"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["list"]["id"]
    demands = [make_demand(f"{n}号楼路灯不亮") for n in range(3)]
    response = client.post(
        f"{V1}/lists/{pk}/from-demands", {"demands": [d.pk for d in demands]}, format="json"
    )
    assert response.status_code == 201
    assert [i["number"] for i in response.json()["items"]] == [1, 2, 3]
    response = client.post(
        f"{V1}/lists/{pk}/items",
        {
            "title": "小区出入道路修建", "source": "meeting", "source_label": "党群联席会议",
            "mode": "long_term", "plan": "共建单位筹款,居民自筹",
            "milestones": [{"title": "完工", "due_on": "2024-10-01"}],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    project = response.json()["items"][-1]
    assert project["mode"] == "long_term" and project["milestones"][0]["title"] == "完工"
    response = client.post(f"{V1}/lists/{pk}/publish", {}, format="json")
    assert response.status_code == 200 and response.json()["list"]["state"] == "published"


def test_bad_input_is_refused_in_chinese(cast, api, draft):
    client = api(cast.secretary)
    response = client.post(
        f"{V1}/lists", {"compound": cast.a.pk, "kind": "needs", "title": "清单", "period": "明年"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "期间格式" in response.json()["period"][0]
    response = client.post(
        f"{V1}/lists/{draft.pk}/items",
        {"title": "道路修建", "source": "meeting", "source_label": "会议", "mode": "long_term"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["plan"] == ["长期项目须填写推进计划。"]
    response = client.post(f"{V1}/lists/{draft.pk}/publish", {}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["清单还没有事项,不能发布。"]
    assert not ListItem.objects.exists()


def test_a_demand_kept_private_is_listed_only_under_a_title_the_compiler_wrote(
    cast, api, draft, make_demand
):
    client = api(cast.secretary)
    private = make_demand("我是101的张三,楼上漏水到我家", is_public=False)
    url = f"{V1}/lists/{draft.pk}/from-demands"
    response = client.post(url, {"demands": [private.pk]}, format="json")
    assert response.status_code == 400
    assert response.json()["titles"] == [
        f"以下诉求居民未同意公开,请为它们写清单标题:#{private.pk}。"
    ]
    response = client.post(url, {"demands": [private.pk], "titles": {"x": "t"}}, format="json")
    assert response.status_code == 400 and "诉求编号无效" in response.json()["titles"][0]
    assert not ListItem.objects.exists()
    response = client.post(
        url, {"demands": [private.pk], "titles": {str(private.pk): "楼上漏水"}}, format="json"
    )
    assert response.status_code == 201, response.json()
    item = ListItem.objects.get()
    assert (item.title, item.description) == ("楼上漏水", "")


def test_residents_may_not_create_or_publish(cast, api, published):
    draft = services.worklist_create(
        actor=cast.secretary, kind="problems", title="草稿", period="2024", compound=cast.a
    )
    response = api(cast.resident).post(
        f"{V1}/lists", {"compound": cast.a.pk, "kind": "needs", "title": "清单", "period": "2024"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403 and "编制清单" in response.json()["detail"]
    assert api(cast.resident).post(f"{V1}/lists/{published.pk}/archive").status_code == 403
    assert api(cast.resident).post(f"{V1}/lists/{draft.pk}/publish").status_code == 404


def test_detail_never_carries_a_reporter(cast, api, draft, make_demand):
    reporter = Person.objects.create(name="欧阳明哲", phone="13900009999")
    demand = make_demand("2号楼屋顶漏水", reporter=reporter)
    services.items_add_from_demands(actor=cast.secretary, work_list=draft, demands=[demand])
    services.worklist_publish(actor=cast.secretary, work_list=draft)
    response = api(cast.resident).get(f"{V1}/lists/{draft.pk}")
    body = json.dumps(response.json(), ensure_ascii=False)
    assert response.status_code == 200
    assert "欧阳明哲" not in body and "13900009999" not in body and "reporter" not in body
    item = response.json()["items"][0]
    assert item["title"] == "2号楼屋顶漏水" and item["category"] == "维修"
    assert item["demand"] is None  # the source demand's number is for staff
    staff = api(cast.secretary).get(f"{V1}/lists/{draft.pk}").json()
    assert staff["items"][0]["demand"] == demand.pk


def test_outsiders_get_bare_404s(cast, api, partners, published, fix_now):
    for client in (api(cast.outsider), api(partners.liaison_z)):
        for url in (f"{V1}/lists/{published.pk}", f"{V1}/lists/items/{fix_now.pk}"):
            response = client.get(url)
            assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
        assert client.post(f"{V1}/lists/items/{fix_now.pk}/claim", {}).status_code == 404
    missing = api(cast.resident).get(f"{V1}/lists/999999")
    assert missing.status_code == 404 and missing.json() == {"detail": "未找到。"}
    assert not ItemClaim.objects.exists()


def test_claim_progress_finish(cast, api, partners, published, fix_now, project):
    client = api(partners.liaison)
    response = client.post(f"{V1}/lists/items/{fix_now.pk}/claim", {}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["item"]["state"] == "claimed"
    assert data["item"]["claim"]["claimant"] == "区住建局"
    assert set(data["actions"]) == {"release", "report", "finish"}
    response = client.post(
        f"{V1}/lists/items/{fix_now.pk}/progress",
        {"text": "已排查线路", "percent": 40, "photos": [jpeg()]},
        format="multipart",
    )
    assert response.status_code == 200
    progress = response.json()["progress"][0]
    assert (
        progress["percent"] == 40 and progress["by"] == "区住建局" and len(progress["photos"]) == 1
    )
    response = client.post(
        f"{V1}/lists/items/{fix_now.pk}/finish", {"text": "路灯已修复"}, format="json"
    )
    assert response.status_code == 200 and response.json()["item"]["state"] == "done"
    # A 双报到 member claims the project; residents see the name masked.
    response = api(partners.member).post(f"{V1}/lists/items/{project.pk}/claim", {}, format="json")
    assert response.json()["item"]["claim"]["by_member"] is True
    name = partners.member.person.name
    seen = api(cast.resident).get(f"{V1}/lists/items/{project.pk}").json()
    assert seen["item"]["claim"]["claimant"] != name
    assert (
        api(cast.secretary)
        .get(f"{V1}/lists/items/{project.pk}")
        .json()["item"]["claim"]["claimant"]
        == name
    )


# The retired member lives here and the unit's plain member has a post over the community:
# both see the list, so they get the reason. A 双报到 member of another community sees
# nothing of this compound: 404, as for an item that does not exist.
@pytest.mark.parametrize("who, status", [("retired", 403), ("member_z", 404), ("volunteer", 403)])
def test_ineligible_claimers_get_a_chinese_403_and_those_who_cannot_see_404(
    api, partners, published, fix_now, who, status
):
    response = api(getattr(partners, who)).post(f"{V1}/lists/items/{fix_now.pk}/claim", {})
    assert response.status_code == status
    if status == 403:
        assert "只有覆盖本小区的共建单位联络人" in response.json()["detail"]
    else:
        assert response.json() == {"detail": "未找到。"}
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.OPEN
    assert not ItemClaim.objects.exists()


def test_a_retired_party_member_living_here_sees_the_list_but_may_not_claim(
    api, partners, published, fix_now
):
    client = api(partners.retired)
    assert client.get(f"{V1}/lists/{published.pk}").status_code == 200
    response = client.post(f"{V1}/lists/items/{fix_now.pk}/claim", {})
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "只有覆盖本小区的共建单位联络人或在本社区双报到的在职党员可以认领。"
    )


def test_staff_assign_solve_drop_plan_and_milestones(
    cast, api, partners, published, fix_now, project
):
    client = api(cast.secretary)
    response = client.post(
        f"{V1}/lists/items/{project.pk}/claim", {"person": partners.member.person.pk}, format="json"
    )
    assert response.json()["item"]["claim"]["by_member"] is True
    response = client.post(
        f"{V1}/lists/items/{project.pk}/claim", {"body": partners.unit.pk}, format="json"
    )
    assert response.json()["non_field_errors"] == ["事项当前状态为“已认领”,不能指派认领。"]
    response = client.post(f"{V1}/lists/items/{fix_now.pk}/solve", {}, format="json")
    assert response.json()["item"]["state"] == "done"
    milestone = project.milestones.first()
    response = client.post(f"{V1}/lists/milestones/{milestone.pk}/done")
    assert response.status_code == 200
    assert response.json()["item"]["milestones"][0]["done_at"] is not None
    assert api(cast.outsider).post(f"{V1}/lists/milestones/{milestone.pk}/done").status_code == 404
    other = services.item_add(
        actor=cast.secretary, work_list=published, title="楼道灯", source="visit"
    )
    response = client.post(
        f"{V1}/lists/items/{other.pk}/plan",
        {"plan": "全部更换", "milestones": [{"title": "采购", "due_on": "2024-06-01"}]},
        format="json",
    )
    assert response.json()["item"]["mode"] == "long_term"
    response = client.post(f"{V1}/lists/items/{other.pk}/drop", {"reason": "重复"}, format="json")
    assert response.json()["item"]["state"] == "dropped"


def test_place_figures(cast, api, partners, published, fix_now, project):
    services.item_solve(actor=cast.secretary, item=fix_now)
    services.item_claim(actor=partners.liaison, item=project)
    client = api(cast.community_worker)
    response = client.get(f"{V1}/figures/lists", {"place": cast.community.path})
    assert response.status_code == 200
    data = response.json()
    assert (data["collected"], data["solved"], data["claimed"]) == (2, 1, 1)
    response = client.get(
        f"{V1}/figures/lists", {"place": cast.a.path, "since": "2025-01-01", "kind": "needs"}
    )
    assert response.json()["collected"] == 0
    assert (
        api(cast.street_official)
        .get(f"{V1}/figures/lists", {"place": cast.street.path})
        .json()["collected"]
        == 2
    )
    assert api(cast.resident).get(f"{V1}/figures/lists", {"place": cast.a.path}).status_code == 200
    assert (
        api(cast.resident).get(f"{V1}/figures/lists", {"place": cast.street.path}).status_code
        == 403
    )
    assert api(cast.outsider).get(f"{V1}/figures/lists", {"place": cast.a.path}).status_code == 403
    bad = client.get(f"{V1}/figures/lists", {"place": "x/y/"})
    assert bad.status_code == 400 and bad.json()["place"] == ["地点路径无效。"]


def test_archived_lists_stay_readable(cast, api, published):
    services.worklist_archive(actor=cast.secretary, work_list=published, now=None)
    assert WorkList.objects.get().state == ListState.ARCHIVED
    assert api(cast.resident).get(f"{V1}/lists/{published.pk}").status_code == 200


# --- schema -------------------------------------------------------------------------------------

OPERATIONS = {
    ("/api/v1/lists", "get"): "lists_list",
    ("/api/v1/lists", "post"): "lists_create",
    ("/api/v1/lists/{id}", "get"): "lists_retrieve",
    ("/api/v1/lists/{id}/items", "post"): "lists_items",
    ("/api/v1/lists/{id}/from-demands", "post"): "lists_from_demands",
    ("/api/v1/lists/{id}/publish", "post"): "lists_publish",
    ("/api/v1/lists/{id}/archive", "post"): "lists_archive",
    ("/api/v1/lists/items/{id}", "get"): "list_items_retrieve",
    ("/api/v1/lists/items/{id}/claim", "post"): "list_items_claim",
    ("/api/v1/lists/items/{id}/progress", "post"): "list_items_progress",
    ("/api/v1/lists/items/{id}/finish", "post"): "list_items_finish",
    ("/api/v1/lists/items/{id}/solve", "post"): "list_items_solve",
    ("/api/v1/lists/milestones/{id}/done", "post"): "list_milestones_done",
    ("/api/v1/figures/lists", "get"): "list_figures_retrieve",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        response = APIClient().get("/api/schema", {"format": "json"})
    return json.loads(response.content)


def test_every_operation_is_documented_under_the_lists_tag(schema):
    for (path, method), operation_id in OPERATIONS.items():
        operation = schema["paths"][path][method]
        assert operation["operationId"] == operation_id
        assert operation["tags"] == ["lists 清单"]
        assert operation["summary"]
    listing = schema["paths"]["/api/v1/lists"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in listing["parameters"]}


def test_no_reporter_field_in_the_item_schema(schema):
    item = schema["components"]["schemas"]["ListItem"]["properties"]
    assert "reporter" not in item and "claim" in item


def test_dates_in_the_figures_query_are_dates(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/figures/lists"]["get"]["parameters"]}
    assert params["since"]["schema"]["format"] == "date"
    assert dt.date
