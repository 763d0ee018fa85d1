"""诉求类别 through the API: POST /api/v1/demands/categories adds one to a compound, PATCH
/api/v1/demands/categories/{id} changes it (is_active stops and restarts it). The deadlines
reach demands filed afterwards; out of scope is 404 (403 in scope without the right);
refusals in Chinese per field with nothing written; every change audited."""

from __future__ import annotations

import datetime as dt

import pytest

from gongzhi.audit.models import AuditEvent
from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand
from tests.demands.conftest import T0
from tests.factories import AccountFactory

URL = "/api/v1/demands/categories"
NOT_FOUND = {"detail": "未找到。"}
DENIED = {"detail": "只有支部书记或社区工作人员可以修改本小区的诉求设置。"}


def one(category) -> str:
    return f"{URL}/{category.pk}"


def category_audits() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="demand_category.")
        .order_by("id")
        .values_list("action", flat=True)
    )


@pytest.fixture
def lift(cast):
    return services.category_create(actor=cast.secretary, compound=cast.a, name="加装电梯",
                                    accept_within_hours=48, resolve_within_days=30)  # fmt: skip


def test_secretary_adds_a_category_and_a_demand_filed_afterwards_gets_its_deadline(cast, api):
    response = api(cast.secretary).post(URL, {
        "compound": cast.a.pk, "name": "加装电梯", "keywords": "加装 电梯",
        "accept_within_hours": 6, "resolve_within_days": 20, "sort_order": 2,
    }, format="json")  # fmt: skip
    assert response.status_code == 201
    body = response.json()
    category = Category.objects.get(compound=cast.a)
    assert body == {
        "id": category.pk, "name": "加装电梯", "compound": cast.a.pk,
        "accept_within_hours": 6, "resolve_within_days": 20,
        "keywords": "加装 电梯", "is_active": True, "sort_order": 2,
    }  # fmt: skip
    event = AuditEvent.objects.get(action="demand_category.create")
    assert event.actor == cast.secretary and event.place_path == cast.a.path

    listed = api(cast.resident).get(URL, {"compound": cast.a.pk}).json()["results"]
    assert category.pk in {c["id"] for c in listed}
    filed = api(cast.resident).post("/api/v1/demands", {
        "compound": cast.a.pk, "category": category.pk, "description": "想给1号楼加装电梯",
        "place_kind": "room", "room": cast.room_a.pk,
    }, format="json")  # fmt: skip
    assert filed.status_code == 201
    demand = Demand.objects.get(pk=filed.json()["id"])
    assert demand.accept_by == demand.created_at + dt.timedelta(hours=6)
    detail = api(cast.resident).get(f"/api/v1/demands/{demand.pk}").json()
    assert detail["accept_by"] is not None


def test_defaults_are_24_hours_and_7_days(cast, api):
    body = api(cast.community_worker).post(URL, {"compound": cast.a.pk, "name": "邻里纠纷"},
                                           format="json").json()  # fmt: skip
    assert (body["accept_within_hours"], body["resolve_within_days"], body["sort_order"]) == (
        24, 7, 0,
    )  # fmt: skip


def test_secretary_changes_deadlines_and_only_later_demands_use_them(cast, api, lift,
                                                                    file_demand):  # fmt: skip
    before = file_demand(category=lift, now=T0)
    response = api(cast.secretary).patch(one(lift), {"accept_within_hours": 8,
                                                      "resolve_within_days": 15}, format="json")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["accept_within_hours"] == 8 and response.json()["name"] == "加装电梯"
    lift.refresh_from_db()
    assert (lift.accept_within_hours, lift.resolve_within_days) == (8, 15)
    event = AuditEvent.objects.get(action="demand_category.update")
    assert event.actor == cast.secretary and event.place_path == cast.a.path
    assert (event.before["resolve_within_days"], event.after["resolve_within_days"]) == (30, 15)

    later = T0 + dt.timedelta(hours=5)
    after = file_demand(category=lift, now=later)
    assert after.accept_by == later + dt.timedelta(hours=8)
    before.refresh_from_db()
    assert before.accept_by == T0 + dt.timedelta(hours=48)


def test_stopping_a_category_hides_it_and_filing_with_it_is_refused(cast, api, lift):
    client = api(cast.secretary)
    response = client.patch(one(lift), {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False
    listed = api(cast.resident).get(URL, {"compound": cast.a.pk}).json()["results"]
    assert lift.pk not in {c["id"] for c in listed}
    refused = api(cast.resident).post("/api/v1/demands", {
        "compound": cast.a.pk, "category": lift.pk, "description": "想给1号楼加装电梯",
        "place_kind": "room", "room": cast.room_a.pk,
    }, format="json")  # fmt: skip
    assert refused.status_code == 400
    assert refused.json() == {"category": ["该类别不适用于本小区。"]}
    assert not Demand.objects.exists()

    assert client.patch(one(lift), {"is_active": True}, format="json").json()["is_active"] is True
    listed = api(cast.resident).get(URL, {"compound": cast.a.pk}).json()["results"]
    assert lift.pk in {c["id"] for c in listed}
    assert category_audits() == [
        "demand_category.create", "demand_category.update", "demand_category.update",
    ]  # fmt: skip


# --- who may -------------------------------------------------------------------------------


def test_property_clerk_of_another_compound_gets_404_and_nothing_changes(cast, api, lift):
    client = api(cast.clerk_b)
    created = client.post(URL, {"compound": cast.a.pk, "name": "乙的类别"}, format="json")
    assert created.status_code == 404 and created.json() == NOT_FOUND
    changed = client.patch(one(lift), {"accept_within_hours": 1, "is_active": False},
                           format="json")  # fmt: skip
    assert changed.status_code == 404 and changed.json() == NOT_FOUND
    lift.refresh_from_db()
    assert (lift.accept_within_hours, lift.is_active) == (48, True)
    assert Category.objects.count() == 1
    assert category_audits() == ["demand_category.create"]


def test_property_clerk_of_the_compound_is_refused_403(cast, api, lift):
    client = api(cast.clerk)
    created = client.post(URL, {"compound": cast.a.pk, "name": "物业的类别"}, format="json")
    assert created.status_code == 403 and created.json() == DENIED
    changed = client.patch(one(lift), {"is_active": False}, format="json")
    assert changed.status_code == 403 and changed.json() == DENIED
    lift.refresh_from_db()
    assert lift.is_active is True and Category.objects.count() == 1
    assert category_audits() == ["demand_category.create"]


def test_without_the_right_the_answer_is_403_whatever_the_body(cast, api, lift, repair):
    client = api(cast.clerk)
    bad = {"compound": cast.a.pk, "name": "", "accept_within_hours": 0}
    assert client.post(URL, bad, format="json").json() == DENIED
    assert client.patch(one(lift), {"accept_within_hours": "x"}, format="json").json() == DENIED
    secretary = api(cast.secretary)
    assert secretary.patch(one(repair), {}, format="json").status_code == 403
    assert secretary.post(URL, {"compound": None, "name": ""}, format="json").status_code == 403
    assert category_audits() == ["demand_category.create"]


def test_an_outsider_and_an_unknown_category_get_404(cast, api, lift):
    assert api(cast.outsider).patch(one(lift), {"name": "x"}, format="json").status_code == 404
    missing = api(cast.secretary).patch(f"{URL}/999999", {"name": "x"}, format="json")
    assert missing.status_code == 404 and missing.json() == NOT_FOUND
    assert api(cast.secretary).post(URL, {"compound": 999999, "name": "x"},
                                    format="json").status_code == 404  # fmt: skip


def test_signed_out_is_refused(cast, api, lift):
    # IsAuthenticated refuses before the view reads the body; the token authenticator
    # comes first, so the answer is 401 with WWW-Authenticate, for a POST as for a PATCH.
    refused = api().post(URL, {"compound": cast.a.pk, "name": "x"}, format="json")
    assert refused.status_code == 401 and refused.has_header("WWW-Authenticate")
    assert api().patch(one(lift), {"name": "x"}, format="json").status_code == 401
    assert Category.objects.count() == 1


def test_district_wide_categories_are_for_superusers_only(cast, api, repair):
    secretary = api(cast.secretary)
    refused = secretary.patch(one(repair), {"accept_within_hours": 1}, format="json")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "全区通用的诉求类别只有系统管理员可以修改。"}
    refused = secretary.post(URL, {"compound": None, "name": "全区类别"}, format="json")
    assert refused.status_code == 403
    repair.refresh_from_db()
    assert repair.accept_within_hours == 24 and Category.objects.count() == 1

    admin = api(AccountFactory(is_superuser=True, is_staff=True))
    assert admin.patch(one(repair), {"accept_within_hours": 12},
                       format="json").json()["accept_within_hours"] == 12  # fmt: skip
    made = admin.post(URL, {"compound": None, "name": "全区类别"}, format="json")
    assert made.status_code == 201 and made.json()["compound"] is None
    assert AuditEvent.objects.get(action="demand_category.create").place_path == ""


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": ""}, {"name": ["请填写类别名称。"]}),
        ({"name": "   "}, {"name": ["请填写类别名称。"]}),
        ({}, {"name": ["请填写类别名称。"]}),
        ({"name": "电梯", "accept_within_hours": 0}, {"accept_within_hours": ["接单时限至少为1小时。"]}),
        ({"name": "电梯", "accept_within_hours": -1},
         {"accept_within_hours": ["接单时限至少为1小时。"]}),
        ({"name": "电梯", "accept_within_hours": "两天"},
         {"accept_within_hours": ["接单时限须为整数(小时)。"]}),
        ({"name": "电梯", "resolve_within_days": 0}, {"resolve_within_days": ["办结时限至少为1天。"]}),
        ({"name": "电梯", "resolve_within_days": 40000},
         {"resolve_within_days": ["办结时限不能超过32767天。"]}),
        ({"name": "电梯", "sort_order": -1}, {"sort_order": ["排序不能小于0。"]}),
        ({"name": "", "accept_within_hours": 0, "resolve_within_days": 0},
         {"name": ["请填写类别名称。"], "accept_within_hours": ["接单时限至少为1小时。"],
          "resolve_within_days": ["办结时限至少为1天。"]}),
    ],
)  # fmt: skip
def test_bad_input_is_refused_per_field_in_chinese_and_nothing_is_written(cast, api, data,
                                                                         errors):  # fmt: skip
    response = api(cast.secretary).post(URL, {"compound": cast.a.pk, **data}, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not Category.objects.exists()
    assert category_audits() == []


def test_missing_compound_is_refused(cast, api):
    response = api(cast.secretary).post(URL, {"name": "电梯"}, format="json")
    assert response.status_code == 400 and response.json() == {"compound": ["请选择小区。"]}
    assert not Category.objects.exists()


def test_duplicate_name_is_refused_on_create_and_on_rename(cast, api, lift):
    client = api(cast.secretary)
    response = client.post(URL, {"compound": cast.a.pk, "name": "加装电梯"}, format="json")
    assert response.status_code == 400 and response.json() == {"name": ["已有同名类别。"]}
    other = client.post(URL, {"compound": cast.a.pk, "name": "停车"}, format="json").json()
    response = client.patch(f"{URL}/{other['id']}", {"name": "加装电梯"}, format="json")
    assert response.status_code == 400 and response.json() == {"name": ["已有同名类别。"]}
    assert Category.objects.get(pk=other["id"]).name == "停车"
    # another compound may use the same name
    made = api(cast.community_worker).post(URL, {"compound": cast.b.pk, "name": "加装电梯"},
                                           format="json")  # fmt: skip
    assert made.status_code == 201
    assert category_audits() == ["demand_category.create"] * 3


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"non_field_errors": ["请至少填写一项要修改的内容。"]}),
        ({"name": " "}, {"name": ["请填写类别名称。"]}),
        ({"accept_within_hours": 0}, {"accept_within_hours": ["接单时限至少为1小时。"]}),
        ({"resolve_within_days": "一周"}, {"resolve_within_days": ["办结时限须为整数(天)。"]}),
        ({"is_active": "也许"}, {"is_active": ["启用状态须为 true 或 false。"]}),
    ],
)  # fmt: skip
def test_bad_changes_are_refused_and_change_nothing(cast, api, lift, data, errors):
    response = api(cast.secretary).patch(one(lift), data, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    lift.refresh_from_db()
    assert (lift.name, lift.accept_within_hours, lift.resolve_within_days, lift.is_active) == (
        "加装电梯", 48, 30, True,
    )  # fmt: skip
    assert category_audits() == ["demand_category.create"]


# --- the schema ---------------------------------------------------------------------------


def test_schema_documents_both_operations(db, api):
    schema = api().get("/api/schema", {"format": "json"}).json()
    create = schema["paths"]["/api/v1/demands/categories"]["post"]
    assert create["operationId"] == "demand_categories_create"
    assert {"201", "400", "403", "404"} <= set(create["responses"])
    update = schema["paths"]["/api/v1/demands/categories/{id}"]["patch"]
    assert update["operationId"] == "demand_categories_partial_update"
    assert {"200", "400", "403", "404"} <= set(update["responses"])
    assert "get" not in schema["paths"]["/api/v1/demands/categories/{id}"]


def test_managers_list_stopped_categories_to_restart_them(cast, repair, api):
    from gongzhi.demands import services as demand_services

    own = demand_services.category_create(actor=cast.secretary, compound=cast.a, name="楼道照明",
                                          accept_within_hours=12, resolve_within_days=2)  # fmt: skip
    demand_services.category_update(actor=cast.secretary, category=own, is_active=False)
    url = f"/api/v1/demands/categories?compound={cast.a.pk}"
    assert own.pk not in [c["id"] for c in api(cast.secretary).get(url).json()["results"]]
    listed = api(cast.secretary).get(url + "&include_inactive=true").json()["results"]
    assert own.pk in [c["id"] for c in listed] and repair.pk in [c["id"] for c in listed]
    assert api(cast.resident).get(url + "&include_inactive=true").status_code == 403
    assert api(cast.clerk_b).get(url + "&include_inactive=true").status_code == 404


def test_a_compound_category_may_not_shadow_a_district_wide_one(cast, repair, api):
    from gongzhi.demands.models import Category

    response = api(cast.secretary).post(
        "/api/v1/demands/categories",
        {"compound": cast.a.pk, "name": repair.name, "accept_within_hours": 6,
         "resolve_within_days": 1},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"name": ["已有同名的全区通用类别。"]}
    assert not Category.objects.filter(compound=cast.a).exists()
