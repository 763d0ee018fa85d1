"""The list pages: who sees what, htmx claim and progress, compile and publish, 404s."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from gongzhi.lists import services
from gongzhi.lists.models import ItemClaim, ItemProgress, ListItem, WorkList
from gongzhi.lists.rules import ItemState, ListState
from gongzhi.people.models import Person
from tests.core.test_i18n import unmarked_in_python, unmarked_in_template
from tests.lists.conftest import add_meeting_item

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def browse(client):
    def as_(account):
        client.force_login(account)
        return client

    return as_


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


# --- seeing -------------------------------------------------------------------------------------


def test_a_resident_sees_the_published_list_not_the_draft(cast, browse, published, draft):
    other = services.worklist_create(
        actor=cast.secretary, kind="problems", title="尚未发布的问题清单", period="2024",
        compound=cast.a,
    )  # fmt: skip
    page = browse(cast.resident).get(reverse("lists:compound", args=[cast.a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "甲小区2024年需求清单" in html and "尚未发布的问题清单" not in html
    assert browse(cast.resident).get(reverse("lists:detail", args=[other.pk])).status_code == 404


def test_residents_never_see_a_reporter(cast, browse, draft, make_demand):
    reporter = Person.objects.create(name="欧阳明哲", phone="13900009999")
    shown = make_demand("2号楼屋顶漏水", reporter=reporter, is_public=True)
    hidden = make_demand("我家隔壁装修噪音太大", reporter=reporter, is_public=False)
    services.items_add_from_demands(
        actor=cast.secretary,
        work_list=draft,
        demands=[shown, hidden],
        titles={hidden.pk: "噪音扰民"},
    )
    services.worklist_publish(actor=cast.secretary, work_list=draft)
    html = browse(cast.resident).get(reverse("lists:detail", args=[draft.pk])).content.decode()
    assert "2号楼屋顶漏水" in html and "噪音扰民" in html
    assert "欧阳明哲" not in html and "13900009999" not in html
    assert "装修噪音" not in html
    for item in ListItem.objects.all():
        detail = browse(cast.resident).get(reverse("lists:item", args=[item.pk])).content.decode()
        assert "欧阳明哲" not in detail and "装修噪音" not in detail


def test_the_list_page_shows_its_figures(cast, browse, published, fix_now):
    services.item_solve(actor=cast.secretary, item=fix_now)
    html = browse(cast.resident).get(reverse("lists:detail", args=[published.pk])).content.decode()
    assert 'data-figure="collected">2<' in html
    assert 'data-figure="solved">1<' in html
    assert 'data-figure="claimed">0<' in html


@pytest.mark.parametrize("role", ["outsider", "nobody", "clerk_b"])
def test_outsiders_get_404(cast, browse, published, fix_now, role):
    client = browse(getattr(cast, role))
    if role != "clerk_b":  # B's clerk sees compound B, but not A's pages
        assert client.get(reverse("lists:compound", args=[cast.a.pk])).status_code == 404
    assert client.get(reverse("lists:detail", args=[published.pk])).status_code == 404
    assert client.get(reverse("lists:item", args=[fix_now.pk])).status_code == 404
    response = client.post(reverse("lists:item_claim", args=[fix_now.pk]), **HX)
    assert response.status_code == 404
    assert not ItemClaim.objects.exists()


def test_a_stranger_is_sent_to_log_in(client, published):
    response = client.get(reverse("lists:detail", args=[published.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_page_costs_the_same_for_2_or_12_items(cast, browse, partners, published):
    people = {
        "liaison": partners.liaison,
        "member": partners.member,
        "secretary": cast.secretary,
        "resident": cast.resident,
    }

    def count(account):
        client = browse(account)
        cache.clear()  # each visit as the first one: session and unread count not cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("lists:detail", args=[published.pk])).status_code == 200
        return len(queries)

    few = {who: count(account) for who, account in people.items()}
    for n in range(10):
        add_meeting_item(cast.secretary, published, f"第{n}项")
    services.item_claim(actor=partners.liaison, item=published.items.get(number=3))
    services.item_claim(actor=partners.member, item=published.items.get(number=4))
    many = {who: count(account) for who, account in people.items()}
    assert many == few


# --- claiming with htmx -----------------------------------------------------------------------


def test_a_liaison_claims_with_htmx_and_gets_the_row_back(
    cast, browse, partners, published, fix_now
):
    page = browse(partners.liaison).get(reverse("lists:detail", args=[published.pk]))
    assert f'hx-post="{reverse("lists:item_claim", args=[fix_now.pk])}"' in page.content.decode()
    response = browse(partners.liaison).post(
        reverse("lists:item_claim", args=[fix_now.pk]), {"fragment": "row"}, **HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<article class="card list-item" id="item-')
    assert "认领成功" in html and "区住建局" in html
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.CLAIMED


def test_an_ineligible_claimer_is_refused_in_chinese_and_nothing_changes(
    cast, browse, partners, published, fix_now
):
    page = browse(partners.retired).get(reverse("lists:detail", args=[published.pk]))
    assert page.status_code == 200
    assert reverse("lists:item_claim", args=[fix_now.pk]) not in page.content.decode()
    response = browse(partners.retired).post(
        reverse("lists:item_claim", args=[fix_now.pk]), {"fragment": "row"}, **HX
    )
    assert (
        "只有覆盖本小区的共建单位联络人或在本社区双报到的在职党员可以认领"
        in response.content.decode()
    )
    response = browse(cast.resident).post(
        reverse("lists:item_claim", args=[fix_now.pk]), follow=True
    )
    assert "可以认领" in response.content.decode()
    assert not ItemClaim.objects.exists()
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.OPEN


def test_a_member_claims_reports_progress_with_a_photo_and_finishes(
    cast, browse, partners, published, fix_now
):
    client = browse(partners.member)
    client.post(reverse("lists:item_claim", args=[fix_now.pk]))
    response = client.post(
        reverse("lists:item_progress", args=[fix_now.pk]),
        {"text": "已联系供电所", "percent": "60", "photos": [jpeg()]},
        **HX,
    )
    html = response.content.decode()
    assert html.startswith('<div id="item-panel">') and "进展已报告" in html
    progress = ItemProgress.objects.get()
    assert progress.percent == 60 and progress.photos.count() == 1
    photo_url = reverse("lists:photo", args=[progress.photos.get().pk])
    assert photo_url in html
    assert browse(cast.resident).get(photo_url).status_code == 200
    assert browse(cast.outsider).get(photo_url).status_code == 404
    client = browse(partners.member)
    response = client.post(reverse("lists:item_finish", args=[fix_now.pk]), {"text": "路灯已亮"})
    assert response.status_code == 302
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.DONE
    # Residents see the member's name masked; staff see it in full.
    name = partners.member.person.name
    resident_html = browse(cast.resident).get(reverse("lists:item", args=[fix_now.pk])).content
    assert name not in resident_html.decode()
    staff_html = browse(cast.secretary).get(reverse("lists:item", args=[fix_now.pk])).content
    assert name in staff_html.decode()


def test_a_bad_progress_report_is_refused_in_chinese(cast, browse, partners, published, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    client = browse(partners.liaison)
    response = client.post(
        reverse("lists:item_progress", args=[fix_now.pk]), {"text": "", "percent": "150"}, **HX
    )
    assert "请填写进展情况和0到100的进度" in response.content.decode()
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(
        reverse("lists:item_progress", args=[fix_now.pk]),
        {"text": "进展", "percent": "10", "photos": [bad]},
        **HX,
    )
    assert "不是有效的图片文件" in response.content.decode()
    assert not ItemProgress.objects.exists()


def test_staff_assign_solve_drop_and_plan_on_the_item_page(
    cast, browse, partners, published, fix_now, project
):
    client = browse(cast.secretary)
    page = client.get(reverse("lists:item", args=[project.pk])).content.decode()
    assert "指派认领" in page and "区住建局" in page
    client.post(reverse("lists:item_claim", args=[project.pk]), {"body": partners.unit.pk})
    assert ItemClaim.objects.get().assigned
    client.post(reverse("lists:item_solve", args=[fix_now.pk]), {"fragment": "row"}, **HX)
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.DONE
    other = add_meeting_item(cast.secretary, published, "楼道灯不亮")
    response = client.post(
        reverse("lists:item_plan", args=[other.pk]),
        {"plan": "更换全部楼道灯", "milestones": "2024-05-01 采购\n2024-06-01 安装"},
        **HX,
    )
    assert "推进计划已保存" in response.content.decode()
    other.refresh_from_db()
    assert other.is_long_term and other.milestones.count() == 2
    milestone = other.milestones.first()
    client.post(reverse("lists:milestone_done", args=[milestone.pk]))
    milestone.refresh_from_db()
    assert milestone.done_at is not None
    response = client.post(reverse("lists:item_drop", args=[other.pk]), {"reason": ""}, follow=True)
    assert "请填写不再办理的原因" in response.content.decode()
    client.post(reverse("lists:item_drop", args=[other.pk]), {"reason": "已列入区改造计划"})
    assert ListItem.objects.get(pk=other.pk).state == ItemState.DROPPED


def test_the_claimant_gives_an_item_back(cast, browse, partners, published, fix_now):
    services.item_claim(actor=partners.liaison, item=fix_now)
    browse(partners.liaison).post(
        reverse("lists:item_release", args=[fix_now.pk]), {"reason": "人手不足"}
    )
    assert ListItem.objects.get(pk=fix_now.pk).state == ItemState.OPEN


# --- compiling and publishing --------------------------------------------------------------


def test_staff_compile_demands_and_meeting_items_then_publish(cast, browse, draft, make_demand):
    demand = make_demand("3号楼路灯不亮", is_public=True)
    client = browse(cast.secretary)
    page = client.get(reverse("lists:compile", args=[draft.pk]))
    assert page.status_code == 200 and "3号楼路灯不亮" in page.content.decode()
    response = client.post(
        reverse("lists:compile", args=[draft.pk]),
        {"compile-demands": [demand.pk], "compile-mode": "fix_now"},
    )
    assert response.status_code == 302
    assert ListItem.objects.get().demand == demand
    response = client.post(
        reverse("lists:item_new", args=[draft.pk]),
        {"item-title": "小区出入道路坑洼", "item-source": "meeting", "item-source_label": "邻里夜谈",
         "item-mode": "long_term", "item-plan": "共建单位筹款修路", "item-milestones": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert "长期项目至少要有一个节点" in response.content.decode()
    response = client.post(
        reverse("lists:item_new", args=[draft.pk]),
        {"item-title": "小区出入道路坑洼", "item-source": "meeting", "item-source_label": "邻里夜谈",
         "item-mode": "long_term", "item-plan": "共建单位筹款修路",
         "item-milestones": "2024-08-01 完工"},
    )  # fmt: skip
    assert response.status_code == 302 and ListItem.objects.count() == 2
    client.post(reverse("lists:publish", args=[draft.pk]))
    assert WorkList.objects.get(pk=draft.pk).state == ListState.PUBLISHED


def test_an_item_from_a_private_demand_gets_the_title_staff_write(cast, browse, draft, make_demand):
    """Items were all "维修 · 2号楼": the compiler now writes a title for a demand the
    resident did not allow to be shown (its text never reaches the list), and a shown
    demand's first sentence is offered as its title."""
    shown = make_demand("3号楼路灯不亮。晚上看不见台阶", is_public=True)
    hidden = make_demand("我是2号楼301的张三,楼道里堆满杂物", is_public=False)
    client = browse(cast.secretary)
    url = reverse("lists:compile", args=[draft.pk])
    page = client.get(url).content.decode()
    assert f'name="compile-title_{shown.pk}"' in page and 'value="3号楼路灯不亮"' in page
    assert "(选中时必填)" in page
    missing = client.post(
        url, {"compile-demands": [shown.pk, hidden.pk], "compile-mode": "fix_now"}
    )
    assert missing.status_code == 200 and not ListItem.objects.exists()
    assert f"居民未同意公开第{hidden.pk}号诉求,请为清单写一个标题。" in missing.content.decode()
    done = client.post(url, {
        "compile-demands": [shown.pk, hidden.pk], "compile-mode": "fix_now",
        f"compile-title_{shown.pk}": "3号楼路灯不亮", f"compile-title_{hidden.pk}": "2号楼楼道堆物清理",
    })  # fmt: skip
    assert done.status_code == 302
    titles = dict(ListItem.objects.values_list("demand_id", "title"))
    assert titles == {shown.pk: "3号楼路灯不亮", hidden.pk: "2号楼楼道堆物清理"}
    hidden_item = ListItem.objects.get(demand=hidden)
    assert hidden_item.description == "" and "张三" not in hidden_item.title


def test_fields_needed_in_some_cases_say_when_not_optional(cast, browse, draft, fix_now):
    """A meeting's name (for an item from a meeting) and a long-term project's plan and
    milestones were shown as "(选填)" though the service then asked for them."""
    client = browse(cast.secretary)
    page = client.get(reverse("lists:compile", args=[draft.pk])).content.decode()
    assert '来源说明 <span class="muted small">(来源为会议时必填)</span>' in page
    assert '推进计划 <span class="muted small">(长期项目必填)</span>' in page
    assert '节点 <span class="muted small">(长期项目至少一个)</span>' in page
    from gongzhi.lists.forms import PlanForm

    form = PlanForm({"plan": "", "milestones": ""})
    assert not form.is_valid()
    assert form.errors["plan"] == ["长期项目须填写推进计划。"]
    assert form.errors["milestones"] == ["长期项目至少要有一个节点。"]


def test_a_new_list_from_the_compound_page(cast, browse):
    client = browse(cast.grid_worker)
    page = client.get(reverse("lists:compound", args=[cast.a.pk]))
    assert reverse("lists:new", args=[cast.a.pk]) in page.content.decode()
    response = client.post(
        reverse("lists:new", args=[cast.a.pk]),
        {"kind": "needs", "title": "2024年需求清单", "period": "2024", "level": "compound"},
    )
    work_list = WorkList.objects.get()
    assert response["Location"] == reverse("lists:compile", args=[work_list.pk])
    response = client.post(
        reverse("lists:new", args=[cast.a.pk]),
        {"kind": "needs", "title": "清单", "period": "今年", "level": "compound"},
    )
    assert "期间格式为" in response.content.decode()
    # A grid worker is not staff of the community's lists.
    response = client.post(
        reverse("lists:new", args=[cast.a.pk]),
        {"kind": "needs", "title": "社区清单", "period": "2024", "level": "community"},
    )
    assert "只有本小区的支部书记、网格员或社区工作人员可以编制清单" in response.content.decode()
    assert WorkList.objects.count() == 1


@pytest.mark.parametrize("role", ["resident", "clerk", "street_official"])
def test_others_may_not_compile_or_publish(cast, browse, published, draft, role):
    client = browse(getattr(cast, role))
    assert client.get(reverse("lists:new", args=[cast.a.pk])).status_code == 403
    assert client.get(reverse("lists:compile", args=[published.pk])).status_code == 403
    assert client.post(reverse("lists:archive", args=[published.pk])).status_code == 302
    assert WorkList.objects.get(pk=published.pk).state == ListState.PUBLISHED


# --- i18n -------------------------------------------------------------------------------------

APP = Path(settings.BASE_DIR) / "gongzhi" / "lists"


def test_every_template_string_is_marked_for_translation():
    templates = list((APP / "templates").rglob("*.html"))
    assert len(templates) >= 8
    problems = {
        p.name: lines for p in templates if (lines := unmarked_in_template(p.read_text("utf-8")))
    }
    assert problems == {}


@pytest.mark.parametrize("name", ["views.py", "forms.py"])
def test_every_page_string_in_python_is_marked_for_translation(name):
    assert unmarked_in_python((APP / name).read_text("utf-8")) == []
