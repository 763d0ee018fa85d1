"""The branch secretary at a desk: filter the board by state and overdue (the address
follows the filters), dispatch a demand to the suggested handler, see it leave 待派单."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand, PlaceKind
from gongzhi.demands.rules import State
from tests.cast import build_cast
from tests.e2e.conftest import DESK, PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def file(cast, category, text, *, days_ago=0, **kw):
    kw.setdefault("place_kind", PlaceKind.ROOM)
    if kw["place_kind"] == PlaceKind.ROOM:
        kw.setdefault("room", cast.room_a)
    return services.demand_file(
        actor=cast.resident, compound=cast.a, category=category, description=text,
        now=timezone.now() - dt.timedelta(days=days_ago), **kw,
    )  # fmt: skip


def test_secretary_filters_and_dispatches_to_the_suggested_handler(open_page):
    cast = build_cast()
    repair = Category.objects.create(name="维修", keywords="漏水 电梯 水管")
    environment = Category.objects.create(name="环境卫生", keywords="垃圾 绿化")
    services.routing_rule_create(actor=None, compound=cast.a, category=repair,
                                 handler_body=cast.property_a)  # fmt: skip
    fresh = file(cast, repair, "厨房水管漏水,楼下天花板湿了")
    late = file(cast, environment, "2号楼门口垃圾三天没人清运", days_ago=3,
                place_kind=PlaceKind.BUILDING, building=cast.building_a2)  # fmt: skip
    sent = file(cast, repair, "电梯按钮失灵")
    services.demand_dispatch(actor=cast.secretary, demand=sent, handler_body=cast.property_a)

    page = open_page(DESK)
    log_in(page, cast.secretary)
    page.goto("/demands/board/")
    rows = page.locator("#board-table tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_label("状态").select_option("filed")
    page.wait_for_url("**/demands/board/?*state=filed*")
    expect(rows).to_have_count(2)
    page.get_by_label("时限").select_option("1")
    page.wait_for_url("**overdue=1*")
    expect(rows).to_have_count(1)
    expect(page.locator(f"#board-{late.pk}")).to_contain_text("已超时")
    page.get_by_label("时限").select_option("")
    expect(rows).to_have_count(2)

    row = page.locator(f"#board-{fresh.pk}")
    handler = row.get_by_label("派给")
    expect(handler.locator("option:checked")).to_have_text("甲物业(推荐)")
    row.get_by_role("button", name="派单").click()
    expect(page.locator("#board-table .message--success")).to_contain_text("已派单")
    expect(page.locator(f"#board-{fresh.pk}")).to_have_count(0)
    expect(rows).to_have_count(1)
    fresh.refresh_from_db()
    assert fresh.state == State.DISPATCHED and fresh.handler_body == cast.property_a
    assert "state=filed" in page.url  # the filtered board is still a link
    page.screenshot(path="/tmp/e2e-board.png", full_page=True)

    # A grid worker's board on a phone: their grid only (building 2 lies outside it).
    in_grid = file(cast, repair, "1号楼门口路灯坏了", days_ago=2)
    phone = open_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(phone, cast.grid_worker)
    phone.goto("/demands/board/?state=filed")
    expect(phone.locator(f"#board-{in_grid.pk}")).to_be_visible()
    expect(phone.locator(f"#board-{late.pk}")).to_have_count(0)
    phone.screenshot(path="/tmp/e2e-board-phone.png", full_page=True)
    assert Demand.objects.filter(state=State.FILED).count() == 2
