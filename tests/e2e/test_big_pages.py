"""Layout as people see it, at 390 px (a phone) and 1280 px (a desk).

An elderly owner votes on a phone: answers are full-width labelled cards at least 44 px
high, no text under 18 px, nothing wider than the screen, and a review before the ballot
is cast. The election's nomination list is searchable and tells namesakes apart, the
verify page's hash wraps, the assemblies table fits, notifications are readable, and the
dispatch board at a desk leaves its text column room to read.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongzhi.demands import services as demand_services
from gongzhi.demands.models import Category
from gongzhi.notifications.services import notify
from gongzhi.voting import services
from gongzhi.voting.apps import FILING_REMINDER_KIND
from gongzhi.voting.models import Ballot
from tests.cast import build_cast
from tests.e2e.conftest import DESK, PHONE, log_in
from tests.factories import BuildingFactory, OwnershipFactory, PersonFactory, RoomFactory
from tests.voting.helpers import after_close, open_assembly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_TAP = 44
MIN_FONT = 18

# Every element of the main column with its own text, whose font is below 18 px.
SMALL_TEXT = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.offsetParent !== null && [...e.childNodes].some(
      n => n.nodeType === 3 && n.textContent.trim()))
  .filter(e => parseFloat(getComputedStyle(e).fontSize) < 18)
  .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30))"""

# Buttons, links styled as buttons, and answer cards smaller than a fingertip.
SMALL_TARGETS = """(min) => [...document.querySelectorAll(
    'main button, main .button, main label.choice, main .chip, main summary.button')]
  .filter(e => e.offsetParent !== null)
  .filter(e => e.getBoundingClientRect().height < min)
  .map(e => e.textContent.trim().slice(0, 30) + ' ' + e.getBoundingClientRect().height)"""


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _readable(page) -> None:
    assert page.evaluate(SMALL_TEXT) == []
    assert page.evaluate(SMALL_TARGETS, MIN_TAP) == []


def _phone(open_page):
    return open_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def test_an_owner_votes_on_a_phone_with_big_cards_and_a_confirm_step(open_page):
    cast = build_cast()
    staff = cast.community_worker
    assembly = open_assembly(staff, cast.a, (("使用维修资金更换电梯", "use_maintenance_fund"),
                                             ("修订管理规约", "management_rules")))  # fmt: skip
    page = _phone(open_page)
    log_in(page, cast.owner)
    page.goto(f"/assemblies/{assembly.pk}/vote")
    agree = page.locator("label.choice").filter(has_text="同意").first
    box = agree.bounding_box()
    assert box["height"] >= MIN_TAP and box["width"] >= 0.8 * PHONE["width"] - 60
    _fits(page)
    _readable(page)
    page.screenshot(path="/tmp/e2e-vote-phone.png", full_page=True)

    agree.click()  # the whole card is the target
    page.locator("fieldset").nth(1).locator("label.choice").filter(has_text="反对").click()
    page.get_by_role("button", name="下一步：核对选择").click()
    expect(page.get_by_role("heading", name="请核对您的选择")).to_be_visible()
    expect(page.locator(".ballot-review")).to_contain_text("同意")
    expect(page.locator(".ballot-review")).to_contain_text("反对")
    assert not Ballot.objects.exists()
    _readable(page)
    page.screenshot(path="/tmp/e2e-vote-confirm-phone.png", full_page=True)
    page.get_by_role("button", name="返回修改").click()
    expect(
        page.locator("label.choice").filter(has_text="同意").first.locator("input")
    ).to_be_checked()
    page.get_by_role("button", name="下一步：核对选择").click()
    page.get_by_role("button", name="确认投票").click()
    expect(page.locator(".message--success")).to_contain_text("投票成功")
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["agree", "oppose"]

    services.assembly_close(actor=staff, assembly=assembly, now=after_close(assembly))
    assembly.refresh_from_db()
    receipt = Ballot.objects.first().receipt
    verify = _phone(open_page)
    verify.goto(f"/verify/{assembly.public_code}/?receipt={receipt}")
    expect(verify.locator(".verify-answer")).to_contain_text("该回执在公布的选票清单中")
    expect(verify.locator("code.hash")).to_have_text(assembly.ballots_hash)
    _fits(verify)
    _readable(verify)
    verify.screenshot(path="/tmp/e2e-verify-phone.png", full_page=True)


def test_nominees_are_told_apart_and_found_by_typing(open_page):
    cast = build_cast()
    building = BuildingFactory(compound=cast.a, name="6号楼")
    for name in ("1203", "802"):
        OwnershipFactory(room=RoomFactory(building=building, name=name),
                         person=PersonFactory(name="陈成"))  # fmt: skip
    election = services.election_create(
        actor=cast.community_worker, compound=cast.a, title="第二届业主委员会换届选举",
        committee_kind="owners_committee", seats=5, term_years=5,
    )  # fmt: skip
    page = _phone(open_page)
    log_in(page, cast.owner)
    page.goto(f"/elections/{election.pk}/")
    nominees = page.locator("#nominee-list label.choice")
    expect(nominees.filter(has_text="陈成 · 6号楼 12**")).to_have_count(1)
    expect(nominees.filter(has_text="陈成 · 6号楼 8**")).to_have_count(1)
    page.locator("#nominee-search").fill("陈成 6号楼")
    expect(nominees.locator("visible=true")).to_have_count(2)
    expect(page.locator("[data-picker-count]").first).to_contain_text("显示 2 /")
    nominees.filter(has_text="8**").click()
    page.locator("#nominee-search").fill("没有这个人")
    expect(nominees.locator("visible=true")).to_have_count(1)  # the chosen one stays
    _fits(page)
    _readable(page)
    page.screenshot(path="/tmp/e2e-nominate-phone.png", full_page=True)


def test_assemblies_and_notifications_fit_a_phone(open_page):
    cast = build_cast()
    open_assembly(cast.community_worker, cast.a, title="管理规约修订及架空层便民服务点业主大会")
    notify(recipients=[cast.owner], kind=FILING_REMINDER_KIND,
           params={"title": "第六届业委会换届选举", "days": 31, "compound": "甲小区"},
           url="/")  # fmt: skip
    page = _phone(open_page)
    log_in(page, cast.owner)
    page.goto(f"/compounds/{cast.a.pk}/assemblies/")
    expect(page.locator(".assemblies-table")).to_contain_text("管理规约修订")
    _fits(page)
    page.screenshot(path="/tmp/e2e-assemblies-phone.png", full_page=True)
    page.goto("/notifications/")
    expect(page.locator(".notification")).to_have_count(1)
    _fits(page)
    _readable(page)
    page.get_by_role("button", name="标为已读", exact=True).click()
    expect(page.locator(".notification.is-read")).to_have_count(1)
    page.screenshot(path="/tmp/e2e-notifications-phone.png", full_page=True)


def test_the_dispatch_board_leaves_the_text_room_at_a_desk(open_page):
    cast = build_cast()
    repair = Category.objects.create(name="维修", keywords="电梯")
    long_name = "厦门市思明区鹭江街道太平洋花园红色物业服务中心第一维修班组"
    handler = cast.property_a
    handler.name = long_name
    handler.save(update_fields=["name"])
    demand_services.routing_rule_create(actor=None, compound=cast.a, category=repair,
                                        handler_body=handler)  # fmt: skip
    for text in ("3号楼1单元电梯有异响,停在半层不开门,家里老人吓坏了", "电梯按钮失灵"):
        demand_services.demand_file(actor=cast.resident, compound=cast.a, category=repair,
                                    description=text, place_kind="room", room=cast.room_a,
                                    now=timezone.now())  # fmt: skip
    page = open_page(DESK)
    log_in(page, cast.secretary)
    page.goto("/demands/board/")
    expect(page.locator("#board-table tbody tr")).to_have_count(2)
    widths = page.evaluate(
        "[...document.querySelectorAll('#board-table thead th')].map("
        "t => Math.round(t.getBoundingClientRect().width))"
    )
    assert widths[2] >= 240, widths  # the text column (was 62 px)
    wrap = page.locator("#board-table .table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.screenshot(path="/tmp/e2e-board-desk.png", full_page=True)
