"""A notification keeps its kind and values and is worded when read, in the reader's
language; the stored title and body stay the simplified-Chinese text of the moment (for
exports). The list shows each title once."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from gongzhi.demands import notify as demand_notify
from gongzhi.lists import notify as list_notify
from gongzhi.notifications import kinds
from gongzhi.notifications.models import Notification
from gongzhi.notifications.services import notify
from gongzhi.voting.apps import FILING_REMINDER_KIND

REMINDER = {"title": "第六届业委会换届选举", "days": 31, "compound": "甲小区"}


def test_params_are_stored_with_the_chinese_text_of_the_moment(cast):
    with translation.override("en"):
        (n,) = notify(recipients=[cast.clerk], kind=FILING_REMINDER_KIND, params=REMINDER)
    n.refresh_from_db()
    assert n.params == REMINDER
    assert n.title == "第六届业委会换届选举：结果产生已 31 天，尚未备案"
    assert n.body.startswith("请尽快向街道办事处备案")


def test_the_reader_reads_it_in_their_language(cast, client):
    (n,) = notify(recipients=[cast.clerk], kind=FILING_REMINDER_KIND, params=REMINDER)
    client.force_login(cast.clerk)
    client.cookies["django_language"] = "en"
    html = client.get("/notifications/", headers={"Accept-Language": "en"}).content.decode()
    assert "Please file with the street" in html
    assert "请尽快向街道办事处备案" not in html
    api = client.get("/api/v1/notifications", headers={"Accept-Language": "en"}).json()
    row = next(r for r in api["results"] if r["id"] == n.pk)
    assert row["body"].startswith("Please file with the street")
    assert Notification.objects.get(pk=n.pk).body.startswith("请尽快")  # stored for exports


def test_each_title_is_shown_once_and_the_kind_is_not_repeated(cast, client):
    (n,) = notify(
        recipients=[cast.clerk],
        kind="demand.dispatched",
        params={"compound": "甲小区", "text": "厨房水管漏水"},
        url="/demands/1/",
    )
    client.force_login(cast.clerk)
    html = client.get("/notifications/").content.decode()
    item = re.search(rf'<li id="notification-{n.pk}".*?</li>', html, re.S).group(0)
    assert n.title == "诉求派单:甲小区"
    assert item.count("诉求派单") == 1
    assert item.count("厨房水管漏水") == 1


def test_a_body_equal_to_its_title_is_not_shown_twice(cast, client):
    (n,) = notify(recipients=[cast.clerk], kind="system", title="系统维护", body="系统维护")
    client.force_login(cast.clerk)
    html = client.get("/notifications/").content.decode()
    item = re.search(rf'<li id="notification-{n.pk}".*?</li>', html, re.S).group(0)
    assert item.count("系统维护") == 1


def test_old_rows_without_params_show_what_was_stored(cast):
    (n,) = notify(recipients=[cast.clerk], kind="demand.dispatched", title="旧标题", body="旧内容")
    assert (n.shown_title, n.shown_body) == ("旧标题", "旧内容")


def test_values_that_do_not_fit_fall_back_to_the_stored_text(cast):
    (n,) = notify(recipients=[cast.clerk], kind=FILING_REMINDER_KIND, params=REMINDER)
    n.params = {"unexpected": 1}
    with translation.override("en"):
        assert n.shown_title == n.title


def test_params_need_a_wording_and_a_notification_needs_a_title(cast):
    with pytest.raises(ValueError, match="no wording"):
        notify(recipients=[cast.clerk], kind="system", params={"a": 1})
    with pytest.raises(ValueError, match="needs a title"):
        notify(recipients=[cast.clerk], kind="system")


@pytest.mark.parametrize("code", sorted(demand_notify.KINDS))
def test_every_demand_kind_is_worded(code):
    title, body = kinds.word(code, {"compound": "甲小区", "text": "路灯坏了"})
    assert title.endswith(":甲小区") and body == "路灯坏了"


@pytest.mark.parametrize(
    "code, params, title, body",
    [
        (list_notify.PUBLISHED, {"where": "甲小区", "list_kind": "needs", "list_title": "2026清单"},
         "甲小区发布了需求清单:2026清单", "清单已发布,共建单位和双报到党员可以认领事项。"),
        (list_notify.CLAIMED, {"where": "甲小区", "number": 3, "item_title": "路灯", "claimant": "供电所"},
         "甲小区 · 供电所认领了清单事项", "第3项 路灯"),
        (list_notify.RELEASED, {"where": "甲小区", "number": 3, "item_title": "路灯", "reason": "人手不足"},
         "甲小区 · 清单事项被退回认领,待重新认领", "第3项 路灯(人手不足)"),
        (list_notify.DONE, {"where": "甲小区", "number": 3, "item_title": "路灯", "claimant": ""},
         "甲小区 · 清单事项已办结", "第3项 路灯"),
        (list_notify.DROPPED, {"where": "甲小区", "number": 3, "item_title": "路灯", "reason": "已拆除"},
         "甲小区 · 您认领的清单事项不再办理", "第3项 路灯:已拆除"),
    ],
)  # fmt: skip
def test_every_list_kind_is_worded(code, params, title, body):
    assert kinds.word(code, params) == (title, body)
