"""A resident on a phone: file a demand with a photo, find it in "my demands", follow its
timeline through dispatch, acceptance and resolution, blow the whistle on another, and
rate the resolved one five stars."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gongzhi.demands import services
from gongzhi.demands.models import Category, Demand, PlaceKind
from gongzhi.demands.rules import State
from tests.cast import build_cast
from tests.e2e.conftest import PHONE, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_files_follows_whistles_and_rates(open_page, small_jpeg):
    cast = build_cast()
    repair = Category.objects.create(name="维修", keywords="漏水 电梯 水管 停电 灯")
    Category.objects.create(name="环境卫生", keywords="垃圾 绿化 噪音")
    Category.objects.create(name="停车", keywords="停车 车位 道闸")
    page = open_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    log_in(page, cast.resident)

    # File: describe, the category is suggested, a photo, public without the name.
    page.goto(f"/demands/new/?compound={cast.a.pk}")
    page.get_by_label("遇到了什么问题?").fill("1号楼电梯坏了两天,老人下不了楼")
    expect(page.locator("[data-suggested]")).to_contain_text("维修")
    expect(page.get_by_role("radio", name="维修")).to_be_checked()
    expect(page.get_by_role("radio", name=re.compile("我家"))).to_be_checked()
    page.get_by_role("radio", name="较急").check()
    page.locator('input[type="file"][multiple]').set_input_files(small_jpeg)
    expect(page.locator("[data-photo-status]")).to_contain_text("已选 1 张照片")
    page.get_by_label("可以公开展示(不会显示我的姓名)").check()
    page.screenshot(path="/tmp/e2e-resident-file.png", full_page=True)
    page.get_by_role("button", name="提交诉求").click()
    number = page.locator("[data-demand-number]").inner_text().strip()
    page.screenshot(path="/tmp/e2e-resident-filed.png")
    demand = Demand.objects.get(pk=int(number))
    assert demand.photos.count() == 1 and demand.category == repair and demand.is_public

    # My demands, then the demand itself.
    page.get_by_role("link", name="我的诉求").click()
    expect(page.locator(".demand-card").first).to_contain_text(f"#{number}")
    expect(page.locator(".demand-card").first).to_contain_text("待派单")
    page.locator(".demand-card a").first.click()
    expect(page.locator("h1")).to_contain_text(f"#{number}")
    expect(page.locator(".photos img")).to_have_count(1)

    # Staff do their part (quickly, through the services).
    services.demand_dispatch(actor=cast.secretary, demand=demand, handler_body=cast.property_a)
    services.demand_accept(actor=cast.clerk, demand=demand, note="下午去看")
    services.demand_resolve(actor=cast.clerk, demand=demand, note="更换了电梯控制板")

    # Whistle on another demand that nobody accepts.
    other = services.demand_file(
        actor=cast.resident, compound=cast.a, category=repair, place_kind=PlaceKind.BUILDING,
        building=cast.building_a1, description="1号楼楼道灯不亮",
    )  # fmt: skip
    services.demand_dispatch(actor=cast.secretary, demand=other, handler_body=cast.property_a)
    page.goto(f"/demands/{other.pk}/")
    page.get_by_text("吹哨:叫上一级来办").click()
    page.get_by_label("为什么吹哨?").fill("报了三天没人来看")
    page.screenshot(path="/tmp/e2e-resident-whistle.png", full_page=True)
    page.get_by_role("button", name="吹哨", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已吹哨")
    expect(page.locator(".timeline")).to_contain_text("报了三天没人来看")
    expect(page.locator(".state-line")).to_contain_text("已吹哨待报到")
    other.refresh_from_db()
    assert other.state == State.WHISTLED and other.handler_body == cast.owners_committee_a

    # Rate the resolved one: five big stars and a comment.
    page.goto(f"/demands/{number}/")
    expect(page.locator(".state-line")).to_contain_text("已办结待评价")
    page.locator("label.star").nth(4).click()
    page.get_by_label("还想说点什么(选填)").fill("修得又快又好,谢谢物业")
    page.locator(".evaluate").screenshot(path="/tmp/e2e-resident-rate.png")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".messages")).to_contain_text("谢谢您的评价")
    timeline = page.locator(".timeline")
    for step in ("提交", "派单", "接单", "办结", "评价"):
        expect(timeline.locator(".timeline__kind", has_text=step).first).to_be_visible()
    expect(timeline).to_contain_text("修得又快又好")
    expect(timeline.locator(".stars-shown .on")).to_have_count(5)
    demand.refresh_from_db()
    assert (demand.state, demand.rating) == (State.EVALUATED, 5)
    page.screenshot(path="/tmp/e2e-resident.png", full_page=True)
