"""诉求类别 on a compound's demand settings page: the table of the categories that apply
(district-wide ones read-only), adding one, editing one by htmx (the row comes back) or
without script, stopping and restarting one; the deadlines a category sets are the ones
later demands get; refusals in Chinese with nothing written; every change audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gongzhi.audit.models import AuditEvent
from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand
from gongzhi.demands.rules import DemandError
from tests.demands.conftest import T0
from tests.factories import AccountFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def settings_url(compound) -> str:
    return f"/compounds/{compound.pk}/demands/settings/"


def add_url(compound) -> str:
    return f"/compounds/{compound.pk}/demands/settings/categories/"


def edit_url(compound, category) -> str:
    return f"/compounds/{compound.pk}/demands/settings/categories/{category.pk}/"


def active_url(compound, category) -> str:
    return f"/compounds/{compound.pk}/demands/settings/categories/{category.pk}/active/"


def login(client, account):
    client.force_login(account)
    return client


def html(response) -> str:
    return response.content.decode()


def category_audits() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="demand_category.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def field_errors(page: str, field_id: str) -> list[str]:
    """The messages shown beside the field with this id (in its .field block)."""
    match = re.search(
        rf'<div class="field field--error[^"]*">\s*<label for="{re.escape(field_id)}".*?</div>',
        page,
        re.S,
    )
    assert match, f"no error beside {field_id}"
    return re.findall(r"<li>(.*?)</li>", match.group(0))


def edit_data(category, **changes) -> dict:
    prefix = f"category-{category.pk}-"
    data = {
        "name": category.name,
        "keywords": category.keywords,
        "accept_within_hours": category.accept_within_hours,
        "resolve_within_days": category.resolve_within_days,
        "sort_order": category.sort_order,
        **changes,
    }
    return {prefix + key: value for key, value in data.items()}


@pytest.fixture
def lift(cast):
    """甲小区's own category: 加装电梯, accept within 48 hours, resolve within 30 days."""
    return services.category_create(
        actor=cast.secretary, compound=cast.a, name="加装电梯", keywords="加装 电梯",
        accept_within_hours=48, resolve_within_days=30, sort_order=5,
    )  # fmt: skip


# --- the table --------------------------------------------------------------------------------


def test_settings_show_district_and_own_categories_and_not_another_compounds(client, cast,
                                                                             repair, lift):  # fmt: skip
    services.category_create(actor=None, compound=cast.b, name="乙小区停车")
    page = html(login(client, cast.secretary).get(settings_url(cast.a)))
    assert "诉求类别" in page and "添加本小区的类别" in page
    assert "维修" in page and "加装电梯" in page and "乙小区停车" not in page
    # the district-wide one is read-only for the branch secretary; their own is editable
    repair_row = re.search(rf'<tr id="category-{repair.pk}".*?</tr>', page, re.S).group(0)
    assert "全区通用" in repair_row and "本小区不能修改" in repair_row
    assert "<form" not in repair_row
    lift_row = re.search(rf'<tr id="category-{lift.pk}".*?</tr>', page, re.S).group(0)
    assert f'hx-post="{edit_url(cast.a, lift)}"' in lift_row
    assert f'action="{active_url(cast.a, lift)}"' in lift_row
    assert "48小时" in lift_row and "30天" in lift_row and "加装 电梯" in lift_row
    # a phone shows each row as a card, labelled
    assert 'class="table--stack category-table"' in page
    for label in ("名称", "关键词", "接单时限", "办结时限", "状态", "排序"):
        assert f'data-label="{label}"' in lift_row


def test_a_superuser_may_edit_district_wide_categories_on_the_page(client, cast, repair):
    admin = AccountFactory(is_superuser=True, is_staff=True)
    page = html(login(client, admin).get(settings_url(cast.a)))
    row = re.search(rf'<tr id="category-{repair.pk}".*?</tr>', page, re.S).group(0)
    assert f'hx-post="{edit_url(cast.a, repair)}"' in row
    response = client.post(edit_url(cast.a, repair), edit_data(repair, accept_within_hours=6),
                           **HTMX)  # fmt: skip
    assert response.status_code == 200
    repair.refresh_from_db()
    assert repair.accept_within_hours == 6
    assert category_audits() == ["demand_category.update"]


# --- adding -----------------------------------------------------------------------------------


def test_secretary_adds_a_category_and_a_demand_filed_afterwards_gets_its_deadlines(client,
                                                                                    cast):  # fmt: skip
    login(client, cast.secretary)
    response = client.post(add_url(cast.a), {
        "name": " 加装电梯 ", "keywords": "加装 电梯", "accept_within_hours": "6",
        "resolve_within_days": "20", "sort_order": "3",
    })  # fmt: skip
    assert response.status_code == 302 and response["Location"] == settings_url(cast.a)
    category = Category.objects.get(compound=cast.a)
    assert (category.name, category.keywords, category.accept_within_hours,
            category.resolve_within_days, category.sort_order, category.is_active) == (
        "加装电梯", "加装 电梯", 6, 20, 3, True,
    )  # fmt: skip
    event = AuditEvent.objects.get(action="demand_category.create")
    assert event.actor == cast.secretary and event.place_path == cast.a.path
    assert event.after["accept_within_hours"] == 6
    assert "诉求类别已添加。" in html(client.get(settings_url(cast.a)))

    # the resident now finds it on the filing form, and a demand filed with it is due in 6 h
    login(client, cast.resident)
    form = html(client.get(f"/demands/new/?compound={cast.a.pk}"))
    assert "加装电梯" in form
    filed = client.post(f"/demands/new/?compound={cast.a.pk}", {
        "description": "想给1号楼加装电梯", "category": category.pk,
        "place_kind": "room", "room": cast.room_a.pk,
    })  # fmt: skip
    assert filed.status_code == 302
    demand = Demand.objects.get()
    assert demand.category == category
    assert demand.accept_by == demand.created_at + dt.timedelta(hours=6)
    assert demand.due_at == demand.accept_by


def test_community_worker_may_add_a_category_too(client, cast):
    login(client, cast.community_worker)
    client.post(add_url(cast.a), {"name": "邻里纠纷", "accept_within_hours": "12",
                                  "resolve_within_days": "3"})  # fmt: skip
    assert Category.objects.get(compound=cast.a).name == "邻里纠纷"
    assert category_audits() == ["demand_category.create"]


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        ({"name": "", "accept_within_hours": "24", "resolve_within_days": "7"},
         "id_name", "请填写类别名称。"),
        ({"name": "   ", "accept_within_hours": "24", "resolve_within_days": "7"},
         "id_name", "请填写类别名称。"),
        ({"name": "电梯", "accept_within_hours": "0", "resolve_within_days": "7"},
         "id_accept_within_hours", "接单时限至少为1小时。"),
        ({"name": "电梯", "accept_within_hours": "-3", "resolve_within_days": "7"},
         "id_accept_within_hours", "接单时限至少为1小时。"),
        ({"name": "电梯", "accept_within_hours": "两天", "resolve_within_days": "7"},
         "id_accept_within_hours", "接单时限须为整数(小时)。"),
        ({"name": "电梯", "accept_within_hours": "", "resolve_within_days": "7"},
         "id_accept_within_hours", "请填写接单时限(小时)。"),
        ({"name": "电梯", "accept_within_hours": "24", "resolve_within_days": "0"},
         "id_resolve_within_days", "办结时限至少为1天。"),
        ({"name": "电梯", "accept_within_hours": "40000", "resolve_within_days": "7"},
         "id_accept_within_hours", "接单时限不能超过32767小时。"),
        ({"name": "电梯", "accept_within_hours": "24", "resolve_within_days": "7",
          "sort_order": "-1"}, "id_sort_order", "排序不能小于0。"),
        ({"name": "电" * 41, "accept_within_hours": "24", "resolve_within_days": "7"},
         "id_name", "类别名称不能超过40字。"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(client, cast, data,
                                                                     field_id, message):  # fmt: skip
    response = login(client, cast.secretary).post(add_url(cast.a), data)
    assert response.status_code == 400
    assert message in field_errors(html(response), field_id)
    assert not Category.objects.exists()
    assert category_audits() == []


def test_a_duplicate_name_is_refused_beside_the_name(client, cast, lift):
    response = login(client, cast.secretary).post(
        add_url(cast.a),
        {"name": "加装电梯", "accept_within_hours": "24", "resolve_within_days": "7"},
    )
    assert response.status_code == 400
    assert field_errors(html(response), "id_name") == ["已有同名类别。"]
    assert Category.objects.count() == 1
    assert category_audits() == ["demand_category.create"]  # lift's own, nothing more


# --- editing ----------------------------------------------------------------------------------


def test_secretary_edits_deadlines_by_htmx_and_only_later_demands_use_them(client, cast, lift,
                                                                          file_demand):  # fmt: skip
    before = file_demand(category=lift, now=T0)
    assert before.accept_by == T0 + dt.timedelta(hours=48)

    login(client, cast.secretary)
    response = client.post(
        edit_url(cast.a, lift),
        edit_data(
            lift, name="加装电梯(既有住宅)", accept_within_hours="8", resolve_within_days="15"
        ),
        **HTMX,
    )
    assert response.status_code == 200
    row = html(response)
    assert row.startswith(f'<tr id="category-{lift.pk}"') and "<html" not in row
    assert "诉求类别已保存。" in row and "8小时" in row and "15天" in row
    lift.refresh_from_db()
    assert (lift.name, lift.accept_within_hours, lift.resolve_within_days) == (
        "加装电梯(既有住宅)", 8, 15,
    )  # fmt: skip
    event = AuditEvent.objects.filter(action="demand_category.update").get()
    assert event.actor == cast.secretary and event.place_path == cast.a.path
    assert (event.before["accept_within_hours"], event.after["accept_within_hours"]) == (48, 8)

    later = T0 + dt.timedelta(days=1)
    after = file_demand(category=lift, now=later)
    assert after.accept_by == later + dt.timedelta(hours=8)
    before.refresh_from_db()
    assert before.accept_by == T0 + dt.timedelta(hours=48)  # already filed: unchanged


def test_editing_without_script_redirects_to_the_page(client, cast, lift):
    login(client, cast.secretary)
    response = client.post(edit_url(cast.a, lift), edit_data(lift, keywords="电梯 加装 楼梯"))
    assert response.status_code == 302 and response["Location"] == settings_url(cast.a)
    lift.refresh_from_db()
    assert lift.keywords == "电梯 加装 楼梯"
    assert "诉求类别已保存。" in html(client.get(settings_url(cast.a)))


def test_bad_edit_comes_back_in_the_row_with_the_message_and_changes_nothing(client, cast,
                                                                            lift):  # fmt: skip
    login(client, cast.secretary)
    response = client.post(edit_url(cast.a, lift), edit_data(lift, resolve_within_days="0"),
                           **HTMX)  # fmt: skip
    assert response.status_code == 400
    row = html(response)
    assert row.startswith(f'<tr id="category-{lift.pk}"')
    assert field_errors(row, f"id_category-{lift.pk}-resolve_within_days") == [
        "办结时限至少为1天。"
    ]
    assert '<details class="disclose" open>' in row
    assert 'value="0"' in row  # what they typed stays in the field
    lift.refresh_from_db()
    assert lift.resolve_within_days == 30
    assert category_audits() == ["demand_category.create"]

    # without script, the whole page with the same message
    page = client.post(edit_url(cast.a, lift), edit_data(lift, name=""))
    assert page.status_code == 400 and "<html" in html(page)
    assert field_errors(html(page), f"id_category-{lift.pk}-name") == ["请填写类别名称。"]
    lift.refresh_from_db()
    assert lift.name == "加装电梯"


def test_renaming_to_an_existing_name_is_refused(client, cast, lift):
    other = services.category_create(actor=cast.secretary, compound=cast.a, name="停车")
    response = login(client, cast.secretary).post(
        edit_url(cast.a, other), edit_data(other, name="加装电梯"), **HTMX
    )
    assert response.status_code == 400
    assert field_errors(html(response), f"id_category-{other.pk}-name") == ["已有同名类别。"]
    other.refresh_from_db()
    assert other.name == "停车"
    assert category_audits() == ["demand_category.create", "demand_category.create"]


def test_district_wide_category_is_refused_to_the_secretary_even_by_a_forged_post(client, cast,
                                                                                 repair):  # fmt: skip
    login(client, cast.secretary)
    response = client.post(edit_url(cast.a, repair), edit_data(repair, accept_within_hours="1"),
                           **HTMX)  # fmt: skip
    assert response.status_code == 403
    assert "全区通用的诉求类别只有系统管理员可以修改。" in html(response)
    response = client.post(active_url(cast.a, repair), {"is_active": "0"})
    assert response.status_code == 403
    # refused before the input is read: bad input gets no field errors either
    response = client.post(edit_url(cast.a, repair), edit_data(repair, name=""))
    assert response.status_code == 403 and "请填写类别名称。" not in html(response)
    repair.refresh_from_db()
    assert (repair.accept_within_hours, repair.is_active) == (24, True)
    assert category_audits() == []


# --- stopping and restarting ----------------------------------------------------------------


def test_a_stopped_category_is_not_offered_and_filing_with_it_is_refused(client, cast, repair,
                                                                        lift):  # fmt: skip
    login(client, cast.secretary)
    response = client.post(active_url(cast.a, lift), {"is_active": "0"}, **HTMX)
    assert response.status_code == 200
    assert "已停用" in html(response) and "重新启用" in html(response)
    lift.refresh_from_db()
    assert lift.is_active is False
    # still listed on the settings page, so it can be put back
    assert f'<tr id="category-{lift.pk}" class="category-row is-inactive">' in html(
        client.get(settings_url(cast.a))
    )

    login(client, cast.resident)
    form = html(client.get(f"/demands/new/?compound={cast.a.pk}"))
    assert "维修" in form and "加装电梯" not in form
    refused = client.post(f"/demands/new/?compound={cast.a.pk}", {
        "description": "想给1号楼加装电梯", "category": lift.pk,
        "place_kind": "room", "room": cast.room_a.pk,
    })  # fmt: skip
    assert refused.status_code == 400 and "该类别不适用于本小区。" in html(refused)
    with pytest.raises(DemandError) as refusal:  # the service refuses it too
        services.demand_file(actor=cast.resident, compound=cast.a, category=lift,
                             description="加装电梯", place_kind="room", room=cast.room_a)  # fmt: skip
    assert refusal.value.message_dict == {"category": ["该类别不适用于本小区。"]}
    assert not Demand.objects.exists()

    login(client, cast.secretary)
    response = client.post(active_url(cast.a, lift), {"is_active": "1"})
    assert response.status_code == 302
    lift.refresh_from_db()
    assert lift.is_active is True
    login(client, cast.resident)
    assert "加装电梯" in html(client.get(f"/demands/new/?compound={cast.a.pk}"))
    assert category_audits() == [
        "demand_category.create", "demand_category.update", "demand_category.update",
    ]  # fmt: skip
    stop, restart = AuditEvent.objects.filter(action="demand_category.update").order_by("id")
    assert (stop.before["is_active"], stop.after["is_active"]) == (True, False)
    assert (restart.before["is_active"], restart.after["is_active"]) == (False, True)


def test_a_bad_active_value_changes_nothing(client, cast, lift):
    response = login(client, cast.secretary).post(active_url(cast.a, lift), {"is_active": "x"},
                                                   **HTMX)  # fmt: skip
    assert response.status_code == 400 and "请选择启用或停用。" in html(response)
    lift.refresh_from_db()
    assert lift.is_active is True
    assert category_audits() == ["demand_category.create"]


# --- who may -------------------------------------------------------------------------------


def test_property_clerk_of_another_compound_gets_404_and_nothing_changes(client, cast, lift):
    login(client, cast.clerk_b)
    assert client.get(settings_url(cast.a)).status_code == 404
    assert client.post(add_url(cast.a), {"name": "乙的类别", "accept_within_hours": "1",
                                         "resolve_within_days": "1"}).status_code == 404  # fmt: skip
    assert client.post(edit_url(cast.a, lift), edit_data(lift, accept_within_hours="1"),
                       **HTMX).status_code == 404  # fmt: skip
    assert client.post(active_url(cast.a, lift), {"is_active": "0"}).status_code == 404
    # nor through their own compound's address
    assert client.post(edit_url(cast.b, lift), edit_data(lift, accept_within_hours="1"),
                       **HTMX).status_code == 403  # fmt: skip
    lift.refresh_from_db()
    assert (lift.accept_within_hours, lift.is_active) == (48, True)
    assert Category.objects.count() == 1
    assert category_audits() == ["demand_category.create"]


def test_property_clerk_of_the_compound_is_refused_403(client, cast, lift):
    login(client, cast.clerk)
    assert client.post(add_url(cast.a), {"name": "物业的类别", "accept_within_hours": "1",
                                         "resolve_within_days": "1"}).status_code == 403  # fmt: skip
    assert client.post(active_url(cast.a, lift), {"is_active": "0"}).status_code == 403
    lift.refresh_from_db()
    assert lift.is_active is True and Category.objects.count() == 1


def test_another_compounds_category_is_404_at_this_compounds_address(client, cast, lift):
    b_own = services.category_create(actor=None, compound=cast.b, name="乙小区停车")
    login(client, cast.secretary)
    response = client.post(edit_url(cast.a, b_own), edit_data(b_own, name="改名"), **HTMX)
    assert response.status_code == 404
    assert client.post(active_url(cast.a, b_own), {"is_active": "0"}).status_code == 404
    b_own.refresh_from_db()
    assert (b_own.name, b_own.is_active) == ("乙小区停车", True)
