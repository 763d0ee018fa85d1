"""The demands pages: each renders for the roles that use it and refuses the others (404
outside their scope), filing refuses bad input in Chinese with nothing written, the
board's filters, the inbox's htmx actions, the timeline, settings, the QR code, and
bounded queries on the inbox and the board."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongzhi.audit.models import AuditEvent
from gongzhi.demands import selectors, services, web_selectors
from gongzhi.demands.models import (
    Channel,
    Demand,
    DemandEvent,
    DemandPhoto,
    EscalationChain,
    Kind,
    PlaceKind,
    RoutingRule,
)
from gongzhi.demands.rules import Level, State
from tests.core.test_i18n import unmarked_in_python, unmarked_in_template
from tests.demands.conftest import jpeg_upload

HOUR = dt.timedelta(hours=1)
GZ = Path(settings.BASE_DIR) / "gongzhi"


def nothing_written():
    return (
        not Demand.objects.exists()
        and not DemandPhoto.objects.exists()
        and not DemandEvent.objects.exists()
        and not AuditEvent.objects.filter(action__contains="file").exists()
    )


def login(client, account):
    client.force_login(account)
    return client


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def now_demand(cast, file_demand):
    """File a demand now (the conftest's clock is in March)."""

    def _file(**kw):
        kw.setdefault("now", timezone.now())
        return file_demand(**kw)

    return _file


def dispatch_to_property(cast, demand, now=None):
    return services.demand_dispatch(
        actor=cast.secretary, demand=demand, handler_body=cast.property_a, now=now
    )


# --- i18n ---------------------------------------------------------------------------------


def test_every_user_visible_string_is_marked_for_translation():
    templates = sorted((GZ / "demands" / "templates").rglob("*.html"))
    assert len(templates) > 15
    problems = {
        str(p.relative_to(GZ)): lines
        for p in templates
        if (lines := unmarked_in_template(p.read_text(encoding="utf-8")))
    }
    modules = [
        GZ / "demands" / n for n in ("forms.py", "web_selectors.py", "open311.py", "html.py")
    ]
    views = sorted((GZ / "demands" / "views").glob("*.py"))
    assert len(views) >= 5
    for path in [*views, *modules]:
        found = unmarked_in_python(path.read_text(encoding="utf-8"))
        if found:
            problems[str(path.relative_to(GZ))] = found
    assert problems == {}


# --- filing -------------------------------------------------------------------------------


def test_filing_form_renders_for_a_resident(client, cast, repair):
    login(client, cast.resident)
    response = client.get(f"/demands/new/?compound={cast.a.pk}")
    assert response.status_code == 200
    page = html(response)
    assert "反映诉求" in page and "维修" in page
    assert 'accept="image/*" capture="environment"' in page
    assert 'name="photos" accept="image/*" multiple' in page
    assert "可以公开展示(不会显示我的姓名)" in page
    assert "1号楼 101" in page  # their own room, preselected


def test_filing_without_compound_goes_to_the_residents_compound(client, cast):
    login(client, cast.resident)
    response = client.get("/demands/new/")
    assert response.status_code == 302
    assert response["Location"] == f"/demands/new/?compound={cast.a.pk}"


def test_compound_link_opens_its_filing_form(client, cast):
    login(client, cast.resident)
    response = client.get(f"/compounds/{cast.a.pk}/demands/new/")
    assert response["Location"] == f"/demands/new/?compound={cast.a.pk}"


def test_resident_files_with_a_photo_and_sees_the_number(client, cast, repair):
    login(client, cast.resident)
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}",
        {
            "description": "1号楼电梯坏了,老人下不了楼",
            "category": repair.pk,
            "place_kind": "room",
            "room": cast.room_a.pk,
            "urgency": "urgent",
            "is_public": "on",
            "photos": [jpeg_upload()],
        },
    )
    d = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{d.pk}/filed/"
    assert (d.reporter, d.room, d.urgency, d.is_public) == (
        cast.resident.person, cast.room_a, "urgent", True,
    )  # fmt: skip
    assert d.channel == Channel.APP and d.photos.count() == 1
    page = html(client.get(response["Location"]))
    assert f"data-demand-number>{d.pk}<" in page


def test_scanning_the_qr_code_records_the_channel(client, cast, repair):
    login(client, cast.resident)
    client.post(
        f"/demands/new/?compound={cast.a.pk}&via=qr",
        {"description": "东门路灯不亮", "category": repair.pk, "place_kind": "common"},
    )
    assert Demand.objects.get().channel == Channel.QR


def test_missing_fields_are_refused_in_chinese_with_nothing_written(client, cast, repair):
    login(client, cast.resident)
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}", {"description": "  ", "place_kind": "building"}
    )
    assert response.status_code == 400
    page = html(response)
    for message in ("请填写诉求内容。", "请选择诉求类别。", "请选择楼栋。"):
        assert message in page
    assert nothing_written()


def test_huge_photo_is_refused_in_chinese_with_nothing_written(client, cast, repair):
    login(client, cast.resident)
    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), "image/jpeg")
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}",
        {"description": "电梯坏了", "category": repair.pk, "place_kind": "common",
         "photos": [jpeg_upload(), huge]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "第2张照片超过10MB,请压缩后再上传。" in html(response)
    assert nothing_written()


def test_non_image_is_refused_in_chinese_with_nothing_written(client, cast, repair):
    login(client, cast.resident)
    fake = SimpleUploadedFile("invoice.jpg", b"%PDF-1.4 not a picture", "image/jpeg")
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}",
        {"description": "电梯坏了", "category": repair.pk, "place_kind": "common",
         "photos": [fake]},
    )  # fmt: skip
    assert response.status_code == 400
    assert "第1张照片不是有效的图片文件。" in html(response)
    assert nothing_written()


def test_room_of_someone_else_is_refused(client, cast, repair):
    login(client, cast.resident)
    other = cast.building_a2.rooms.create(name="201", exclusive_area=80, compound=cast.a)
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}",
        {"description": "漏水", "category": repair.pk, "place_kind": "room", "room": other.pk},
    )
    assert response.status_code == 400
    assert "只能为自己居住或拥有的房屋提交诉求。" in html(response)
    assert nothing_written()


def test_outsider_cannot_open_another_compounds_form(client, cast):
    login(client, cast.outsider)
    assert client.get(f"/demands/new/?compound={cast.a.pk}").status_code == 404


def test_staff_without_a_home_there_are_sent_to_filing_on_behalf(client, cast):
    login(client, cast.secretary)
    response = client.get(f"/demands/new/?compound={cast.a.pk}")
    assert response["Location"] == f"/demands/new/behalf/?compound={cast.a.pk}"


def test_resident_cannot_file_on_behalf(client, cast):
    login(client, cast.resident)
    response = client.get(f"/demands/new/behalf/?compound={cast.a.pk}")
    assert response.status_code == 403
    assert "只有本小区的工作人员可以代居民录入诉求。" in html(response)


def test_category_is_suggested_from_the_text(client, cast, repair, environment):
    login(client, cast.resident)
    response = client.get(
        "/demands/new/suggest/",
        {"compound": cast.a.pk, "description": "楼上漏水,天花板都湿了"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert f'data-suggested="{repair.pk}"' in html(response) and "维修" in html(response)
    nothing = client.get("/demands/new/suggest/", {"compound": cast.a.pk, "description": "你好"})
    assert "data-suggested" not in html(nothing)


def test_staff_find_a_resident_by_room_or_phone(client, cast):
    login(client, cast.secretary)
    by_room = html(client.get("/demands/new/residents/", {"compound": cast.a.pk, "q": "1号楼101"}))
    assert cast.resident.person.name in by_room and cast.owner.person.name in by_room
    by_phone = html(
        client.get("/demands/new/residents/", {"compound": cast.a.pk, "q": cast.resident.phone})
    )
    assert cast.resident.person.name in by_phone and cast.owner.person.name not in by_phone
    assert f'value="{cast.resident.person.pk}:{cast.room_a.pk}"' in by_phone


def test_staff_file_on_behalf_from_a_phone_call(client, cast, repair):
    login(client, cast.secretary)
    url = f"/demands/new/behalf/?compound={cast.a.pk}"
    response = client.post(
        url,
        {"channel": "phone", "reporter": f"{cast.resident.person.pk}:{cast.room_a.pk}",
         "description": "家里水管漏水", "category": repair.pk, "place_kind": "room"},
    )  # fmt: skip
    d = Demand.objects.get()
    assert response.status_code == 302
    assert (d.reporter, d.room, d.channel, d.filed_by) == (
        cast.resident.person, cast.room_a, Channel.PHONE, cast.secretary,
    )  # fmt: skip


def test_filing_on_behalf_needs_a_channel_and_a_resident(client, cast, repair):
    login(client, cast.secretary)
    response = client.post(
        f"/demands/new/behalf/?compound={cast.a.pk}",
        {"description": "水管漏水", "category": repair.pk, "place_kind": "common"},
    )
    assert response.status_code == 400
    page = html(response)
    assert "代录入须注明来源:电话、入户走访、纸质意见条或会议。" in page
    assert "请先按房号或手机号找到居民并选中" in page
    assert nothing_written()


def test_grid_worker_files_for_a_room_in_their_grid(client, cast, repair):
    login(client, cast.grid_worker)
    response = client.post(
        f"/demands/new/behalf/?compound={cast.a.pk}",
        {"channel": "visit", "reporter": f"{cast.owner.person.pk}:{cast.room_a.pk}",
         "description": "卫生间漏水", "category": repair.pk, "place_kind": "room"},
    )  # fmt: skip
    assert response.status_code == 302
    d = Demand.objects.get()
    assert (d.reporter, d.channel, d.filed_by) == (cast.owner.person, Channel.VISIT,
                                                   cast.grid_worker)  # fmt: skip


def test_grid_worker_cannot_file_outside_their_grid(client, cast, repair):
    login(client, cast.grid_worker)
    response = client.post(
        f"/demands/new/behalf/?compound={cast.a.pk}",
        {"channel": "paper", "reporter": "anonymous", "description": "2号楼外墙脱落",
         "category": repair.pk, "place_kind": "building", "building": cast.building_a2.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert "只有本小区的工作人员可以代居民录入诉求。" in html(response)
    assert nothing_written()


def test_anonymous_paper_slip(client, cast, repair):
    login(client, cast.secretary)
    client.post(
        f"/demands/new/behalf/?compound={cast.a.pk}",
        {"channel": "paper", "reporter": "anonymous", "description": "1号楼楼道堆满杂物",
         "category": repair.pk, "place_kind": "building", "building": cast.building_a1.pk},
    )  # fmt: skip
    d = Demand.objects.get()
    assert d.reporter is None and d.channel == Channel.PAPER and d.building == cast.building_a1


def test_resident_makes_a_micro_wish(client, cast):
    login(client, cast.resident)
    page = html(client.get(f"/demands/wishes/new/?compound={cast.a.pk}"))
    assert "许个微心愿" in page and 'name="urgency"' not in page
    response = client.post(
        f"/demands/wishes/new/?compound={cast.a.pk}",
        {"description": "想请人帮忙换个灯泡", "place_kind": "room", "room": cast.room_a.pk,
         "is_public": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Demand.objects.get().kind == Kind.MICRO_WISH


# --- pages by role --------------------------------------------------------------------------


def test_my_demands_show_filed_and_followed_with_state_badges(client, cast, now_demand):
    mine = now_demand()
    login(client, cast.resident)
    page = html(client.get("/demands/mine/"))
    assert f"#{mine.pk}" in page and "state--filed" in page and "待派单" in page


def test_clerk_of_another_compound_gets_404_on_a_demand_of_a(client, cast, now_demand):
    d = now_demand(photos=[jpeg_upload()])
    photo = d.photos.get()
    login(client, cast.clerk_b)
    assert client.get(f"/demands/{d.pk}/").status_code == 404
    assert client.get(f"/demands/{d.pk}/photos/{photo.pk}/").status_code == 404
    assert client.post(f"/demands/{d.pk}/accept/").status_code == 404
    assert client.get(f"/demands/{d.pk}/filed/").status_code == 404
    assert Demand.objects.get().state == State.FILED


def test_outsider_gets_404_on_the_demand_the_qr_and_the_settings(client, cast, now_demand):
    d = now_demand()
    login(client, cast.outsider)
    assert client.get(f"/demands/{d.pk}/").status_code == 404
    assert client.get(f"/compounds/{cast.a.pk}/demands/qr/").status_code == 404
    assert client.get(f"/compounds/{cast.a.pk}/demands/settings/").status_code == 404


def test_reporter_sees_the_photo(client, cast, now_demand):
    d = now_demand(photos=[jpeg_upload()])
    login(client, cast.resident)
    page = html(client.get(f"/demands/{d.pk}/"))
    photo = d.photos.get()
    assert f"/demands/{d.pk}/photos/{photo.pk}/" in page
    response = client.get(f"/demands/{d.pk}/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_public_demand_hides_name_and_room_from_neighbours(client, cast, now_demand):
    d = now_demand(is_public=True)
    login(client, cast.owner)  # owns room A too, but did not file: a neighbour here
    neighbour = type(cast.owner).objects.get(pk=cast.owner.pk)
    assert selectors.demand_for(neighbour, d.pk)
    page = html(client.get(f"/demands/{d.pk}/"))
    assert cast.resident.person.name not in page
    assert "1号楼 住户" in page and "诉求人" in page
    assert "我也遇到了,关注进展" in page


def test_reporter_sees_only_their_actions(client, cast, now_demand):
    d = now_demand()
    login(client, cast.resident)
    page = html(client.get(f"/demands/{d.pk}/"))
    assert "吹哨:叫上一级来办" in page and "撤回诉求" in page
    assert "/dispatch/" not in page and "/accept/" not in page and "提交评价" not in page


def test_inbox_renders_for_the_handler_with_overdue_highlighted(client, cast, file_demand):
    past = timezone.now() - 3 * 24 * HOUR
    late = dispatch_to_property(cast, file_demand(now=past), now=past)
    login(client, cast.clerk)
    page = html(client.get("/demands/inbox/"))
    assert f'id="inbox-{late.pk}"' in page and "is-overdue" in page and "已超时" in page
    assert f"/demands/{late.pk}/accept/" in page and f"/demands/{late.pk}/return/" in page


def test_board_is_for_dispatchers_only(client, cast):
    for who in ("secretary", "grid_worker", "community_worker"):
        assert login(client, getattr(cast, who)).get("/demands/board/").status_code == 200
    login(client, cast.resident)
    response = client.get("/demands/board/")
    assert response.status_code == 403
    assert "只有支部书记、网格员或社区工作人员可以使用派单台。" in html(response)


def test_demands_index_sends_each_role_to_its_page(client, cast):
    assert login(client, cast.secretary).get("/demands/")["Location"] == "/demands/board/"
    assert login(client, cast.clerk).get("/demands/")["Location"] == "/demands/inbox/"
    assert login(client, cast.resident).get("/demands/")["Location"] == "/demands/mine/"


# --- moves from the pages -------------------------------------------------------------------


def test_resident_whistles_with_a_reason(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    login(client, cast.resident)
    refused = client.post(f"/demands/{d.pk}/whistle/", {"reason": ""})
    assert refused.status_code == 400 and "请填写吹哨理由。" in html(refused)
    assert Demand.objects.get().state == State.DISPATCHED
    response = client.post(f"/demands/{d.pk}/whistle/", {"reason": "三天没人来"}, follow=True)
    d.refresh_from_db()
    assert d.state == State.WHISTLED and d.level == Level.OWNERS_BODY
    page = html(response)
    assert "已吹哨" in page and "三天没人来" in page


def test_resident_rates_with_stars_and_a_comment(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    services.demand_accept(actor=cast.clerk, demand=d)
    services.demand_resolve(actor=cast.clerk, demand=d, note="已修好")
    login(client, cast.resident)
    page = html(client.get(f"/demands/{d.pk}/"))
    assert page.count('name="rating"') == 5 and "很满意" in page
    missing = client.post(f"/demands/{d.pk}/evaluate/", {"comment": "好"})
    assert missing.status_code == 400 and "请点星星打分,1到5星。" in html(missing)
    client.post(f"/demands/{d.pk}/evaluate/", {"rating": "5", "comment": "修得又快又好"})
    d.refresh_from_db()
    assert (d.state, d.rating) == (State.EVALUATED, 5)


def test_handler_accepts_from_the_inbox_by_htmx(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    login(client, cast.clerk)
    response = client.post(f"/demands/{d.pk}/accept/", {"ctx": "inbox"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = html(response)
    assert "<html" not in fragment and f'id="inbox-{d.pk}"' in fragment
    assert "已接单" in fragment and f"/demands/{d.pk}/resolve/" in fragment
    assert Demand.objects.get().state == State.ACCEPTED


def test_return_without_reason_is_refused_in_the_inbox_item(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    login(client, cast.clerk)
    response = client.post(f"/demands/{d.pk}/return/", {"ctx": "inbox", "reason": ""},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 400
    assert "请填写退回理由。" in html(response) and "<html" not in html(response)
    assert Demand.objects.get().state == State.DISPATCHED


def test_resolve_and_feedback_from_the_inbox(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    login(client, cast.clerk)
    client.post(f"/demands/{d.pk}/accept/", {"ctx": "inbox"}, HTTP_HX_REQUEST="true")
    response = client.post(
        f"/demands/{d.pk}/resolve/",
        {"ctx": "inbox", "note": "换了新水管", "photos": [jpeg_upload()]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "已办结" in html(response)
    assert Demand.objects.get().photos.filter(stage="resolution").count() == 1
    services.demand_evaluate(actor=cast.resident, demand=d, rating=4)
    response = client.post(f"/demands/{d.pk}/feedback/", {"ctx": "inbox", "text": "已回访"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert "已反馈" in html(response)
    assert Demand.objects.get().state == State.FEEDBACK_GIVEN


def test_level_called_in_reports_in_from_its_inbox(client, cast, now_demand):
    d = dispatch_to_property(cast, now_demand())
    services.demand_whistle(actor=cast.resident, demand=d, reason="没人来")
    login(client, cast.owners_chair)
    page = html(client.get("/demands/inbox/"))
    assert f"/demands/{d.pk}/report_in/" in page and "已吹哨待报到" in page
    response = client.post(f"/demands/{d.pk}/report_in/", {"ctx": "inbox"}, HTTP_HX_REQUEST="true")
    assert "已报到" in html(response)
    d.refresh_from_db()
    assert d.state == State.ACCEPTED and d.handler_person == cast.owners_chair.person


def test_detail_page_queries_are_bounded(client, cast, now_demand, django_assert_max_num_queries):
    d = dispatch_to_property(cast, now_demand(photos=[jpeg_upload(), jpeg_upload()]))
    for i in range(10):
        services.demand_comment(actor=cast.resident, demand=d, text=f"补充{i}")
    login(client, cast.secretary)
    with django_assert_max_num_queries(20):
        assert client.get(f"/demands/{d.pk}/").status_code == 200


def _feedback_given(cast, d, text="已回访"):
    """Through 四步走 up to its last step: resolved, rated, reported back on."""
    d = dispatch_to_property(cast, d)
    services.demand_accept(actor=cast.clerk, demand=d)
    services.demand_resolve(actor=cast.clerk, demand=d)
    services.demand_evaluate(actor=cast.resident, demand=d, rating=5)
    return services.demand_feedback(actor=cast.clerk, demand=d, text=text)


def test_community_closes_with_a_summary(client, cast, now_demand):
    d = _feedback_given(cast, now_demand())
    login(client, cast.community_worker)
    assert "写总结并归档" in html(client.get(f"/demands/{d.pk}/"))
    refused = client.post(f"/demands/{d.pk}/close/", {"summary": ""})
    assert refused.status_code == 400 and "请填写总结。" in html(refused)
    client.post(f"/demands/{d.pk}/close/", {"summary": "电梯维修完毕,纳入年度检修计划"})
    assert Demand.objects.get().state == State.CLOSED


def test_the_to_summarise_tab_gives_community_staff_the_summary_step(client, cast, now_demand):
    """待总结 holds demands at 四步走's last step: community staff write the summary there;
    a branch secretary (who may not close) is told who does."""
    d = _feedback_given(cast, now_demand(), "已回访,居民满意")
    login(client, cast.secretary)
    page = html(client.get("/demands/board/?state=feedback_given"))
    assert f'id="board-{d.pk}"' in page and "已回访,居民满意" in page
    assert "待社区工作人员写总结归档" in page and 'name="summary"' not in page
    assert "四步走" in page
    login(client, cast.community_worker)
    page = html(client.get("/demands/board/?state=feedback_given"))
    assert f'action="/demands/{d.pk}/close/"' in page and 'name="summary"' in page
    htmx = {"HX-Request": "true"}
    query = "state=feedback_given"
    empty = client.post(f"/demands/{d.pk}/close/", {"summary": "", "ctx": "board", "query": query},
                        headers=htmx)  # fmt: skip
    assert empty.status_code == 400 and "请填写总结。" in html(empty)
    done = client.post(
        f"/demands/{d.pk}/close/",
        {"summary": "电梯维修完毕,纳入年度检修计划", "ctx": "board", "query": query},
        headers=htmx,
    )
    assert done.status_code == 200 and "已写总结并归档" in html(done)
    assert f'id="board-{d.pk}"' not in html(done)
    assert Demand.objects.get().state == State.CLOSED


def test_moves_not_allowed_are_refused_in_chinese(client, cast, now_demand):
    d = now_demand()
    login(client, cast.resident)
    early = client.post(f"/demands/{d.pk}/evaluate/", {"rating": "5"})
    assert early.status_code == 400 and "诉求当前状态为“待派单”,不能评价。" in html(early)
    not_mine = client.post(f"/demands/{d.pk}/accept/")
    assert not_mine.status_code == 403 and "只有当前承办人可以接单。" in html(not_mine)
    assert client.post(f"/demands/{d.pk}/fly/").status_code == 404
    assert Demand.objects.get().state == State.FILED


def test_staff_see_similar_demands_and_merge(client, cast, now_demand):
    first = now_demand(description="1号楼电梯坏了,老人下不了楼")
    dup = now_demand(description="1号楼电梯又坏了,老人没法下楼")
    login(client, cast.secretary)
    page = html(client.get(f"/demands/{dup.pk}/"))
    assert "同一楼栋有相似的未办结诉求" in page and f"合并到 #{first.pk}" in page
    client.post(f"/demands/{dup.pk}/merge/", {"into": first.pk})
    dup.refresh_from_db()
    assert dup.state == State.MERGED and dup.merged_into == first
    login(client, cast.resident)
    assert "#" + str(first.pk) in html(client.get(f"/demands/{dup.pk}/"))


def test_dispatch_form_preselects_the_suggested_handler(client, cast, repair, now_demand):
    services.routing_rule_create(actor=None, compound=cast.a, category=repair,
                                 handler_body=cast.property_a)  # fmt: skip
    d = now_demand()
    login(client, cast.secretary)
    page = html(client.get(f"/demands/{d.pk}/"))
    assert f'<option value="b{cast.property_a.pk}" selected>甲物业(推荐)</option>' in page
    client.post(f"/demands/{d.pk}/dispatch/", {"handler": f"b{cast.property_a.pk}"})
    d.refresh_from_db()
    assert d.state == State.DISPATCHED and d.handler_body == cast.property_a


def test_dispatch_to_a_body_of_another_compound_is_refused(client, cast, now_demand):
    d = now_demand()
    login(client, cast.secretary)
    response = client.post(f"/demands/{d.pk}/dispatch/", {"handler": f"b{cast.property_b.pk}"})
    assert response.status_code == 400 and "承办组织不在该诉求所在范围内。" in html(response)


def test_timeline_shows_every_step_with_automatic_escalation_as_system(client, cast, file_demand):
    past = timezone.now() - 2 * 24 * HOUR
    d = dispatch_to_property(cast, file_demand(now=past), now=past)
    services.escalate_overdue(now=timezone.now())
    login(client, cast.resident)
    page = html(client.get(f"/demands/{d.pk}/"))
    timeline = page[page.index('class="timeline"') :]
    for label in ("提交", "派单", "超时自动升级"):
        assert label in timeline
    assert "badge--system" in timeline and "系统" in timeline


# --- board filters ----------------------------------------------------------------------------


def test_board_filters_by_state_category_building_and_overdue(
    client, cast, repair, environment, file_demand, now_demand
):
    fresh = now_demand(description="楼道灯不亮")
    env = now_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2,
                     category=environment, description="2号楼垃圾没人清运")  # fmt: skip
    late = file_demand(now=timezone.now() - 3 * 24 * HOUR, description="水管漏水")
    sent = dispatch_to_property(cast, now_demand(description="电梯异响"))
    login(client, cast.secretary)

    def ids(**query):
        response = client.get("/demands/board/", query, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "<html" not in html(response)
        return {int(n) for n in re.findall(r'id="board-(\d+)"', html(response))}

    assert ids() == {fresh.pk, env.pk, late.pk, sent.pk}
    assert ids(state="filed") == {fresh.pk, env.pk, late.pk}
    assert ids(state="dispatched") == {sent.pk}
    assert ids(category=environment.pk) == {env.pk}
    assert ids(building=cast.building_a2.pk) == {env.pk}
    assert ids(overdue="1") == {late.pk}
    assert ids(overdue="0", state="filed") == {fresh.pk, env.pk}
    counted = html(client.get("/demands/board/", {"overdue": "0", "state": "filed"}))
    assert "共 2 条" in counted  # the list's count comes with the tab counts
    full = html(client.get("/demands/board/?state=filed&overdue=1"))
    assert "<html" in full and 'value="filed" selected' in full  # linkable: the form follows


def test_board_rows_made_in_python_escape_and_translate(client, cast, now_demand):
    """The board's rows are HTML made in Python (demands.html): text is escaped as the
    template language escapes it, and labels follow the page's language."""
    d = now_demand(description='<script>alert("x")</script>楼道灯不亮', location_note="东门 & 北门")
    login(client, cast.secretary)
    page = html(client.get("/demands/board/"))
    row = page[page.index(f'id="board-{d.pk}"') :].split("</tr>")[0]
    assert "<script>" not in row and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in row
    assert "东门 &amp; 北门" in row and 'data-label="状态"' in row and ">待派单<" in row
    assert f'href="/demands/{d.pk}/"' in row and 'name="csrfmiddlewaretoken"' in row
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = html(client.get("/demands/board/"))
    row = page[page.index(f'id="board-{d.pk}"') :].split("</tr>")[0]
    assert 'data-label="Status"' in row and "状态" not in row


def test_board_dispatches_to_the_suggested_handler_and_the_row_leaves(client, cast, repair,
                                                                       now_demand):  # fmt: skip
    services.routing_rule_create(actor=None, compound=cast.a, handler_body=cast.property_a)
    d = now_demand()
    login(client, cast.secretary)
    page = html(client.get("/demands/board/?state=filed"))
    assert f'<option value="b{cast.property_a.pk}" selected>' in page
    response = client.post(
        f"/demands/{d.pk}/dispatch/",
        {"ctx": "board", "query": "state=filed", "handler": f"b{cast.property_a.pk}"},
        HTTP_HX_REQUEST="true",
    )
    fragment = html(response)
    assert response.status_code == 200 and "已派单" in fragment
    assert f'id="board-{d.pk}"' not in fragment
    assert Demand.objects.get().handler_body == cast.property_a


def test_board_handlers_kept_in_the_cache_follow_every_write(client, cast, now_demand):
    """A compound's handlers and routing rules are cached for the board
    (web_selectors._handlers_of): a new rule, a renamed body, or a rule deleted shows on
    the very next page."""
    now_demand()
    login(client, cast.secretary)
    first = html(client.get("/demands/board/?state=filed"))
    assert f'<option value="b{cast.property_a.pk}" selected>' not in first
    rule = services.routing_rule_create(actor=None, compound=cast.a, handler_body=cast.property_a)
    assert f'<option value="b{cast.property_a.pk}" selected>' in html(
        client.get("/demands/board/?state=filed")
    )
    cast.property_a.name = "新物业公司"
    cast.property_a.save(update_fields=["name"])
    assert "新物业公司" in html(client.get("/demands/board/?state=filed"))
    services.routing_rule_delete(actor=None, rule=rule)
    assert f'<option value="b{cast.property_a.pk}" selected>' not in html(
        client.get("/demands/board/?state=filed")
    )


# --- bounded queries ---------------------------------------------------------------------------


def test_inbox_queries_do_not_grow_with_the_rows(client, cast, now_demand,
                                                 django_assert_max_num_queries):  # fmt: skip
    for i in range(25):
        dispatch_to_property(cast, now_demand(description=f"第{i}号诉求"))
    login(client, cast.clerk)
    with django_assert_max_num_queries(14):
        response = client.get("/demands/inbox/")
    assert html(response).count('class="demand-card inbox-item') == 20


def test_board_queries_do_not_grow_with_the_rows(client, cast, repair, now_demand,
                                                 django_assert_max_num_queries):  # fmt: skip
    services.routing_rule_create(actor=None, compound=cast.a, handler_body=cast.property_a)
    for i in range(35):
        d = now_demand(description=f"第{i}号诉求")
        if i % 3 == 0:
            dispatch_to_property(cast, d)
    login(client, cast.secretary)
    client.get("/demands/board/")  # the session in the cache, as every page after the first
    # account, grants (2), compounds, buildings, categories, page, bodies, members, routing
    # rules, tab counts with the list's count: 11, whatever the number of rows (the unread
    # count is in the cache since the first page, as the session).
    with django_assert_max_num_queries(11):
        response = client.get("/demands/board/")
    assert len(re.findall(r'id="board-\d+"', html(response))) == 30


def test_batch_suggestion_agrees_with_the_core_selector(cast, repair, environment, now_demand):
    services.routing_rule_create(actor=None, compound=cast.a, handler_body=cast.owners_committee_a)
    services.routing_rule_create(actor=None, compound=cast.a, category=repair,
                                 handler_body=cast.property_a)  # fmt: skip
    services.routing_rule_create(actor=None, compound=cast.a, place_kind=PlaceKind.BUILDING,
                                 building=cast.building_a2, handler_body=cast.branch_a)  # fmt: skip
    demands = [
        now_demand(),
        now_demand(category=environment),
        now_demand(place_kind=PlaceKind.BUILDING, building=cast.building_a2),
        now_demand(place_kind=PlaceKind.COMMON),
    ]
    batch = web_selectors.suggested_handlers(demands)
    for d in demands:
        core = selectors.suggested_handler_for(d)
        assert batch[d.pk].pk == core.rule.pk


# --- settings and the QR code ------------------------------------------------------------------


def test_settings_add_and_delete_a_routing_rule(client, cast, repair):
    login(client, cast.secretary)
    page = html(client.get(f"/compounds/{cast.a.pk}/demands/settings/"))
    assert "派单规则" in page and "吹哨报到升级链" in page
    assert "物业服务企业 → 业主组织" in page
    client.post(
        f"/compounds/{cast.a.pk}/demands/settings/rules/",
        {"category": repair.pk, "place_kind": "building", "handler": f"b{cast.property_a.pk}"},
    )
    rule = RoutingRule.objects.get()
    assert (rule.category, rule.place_kind, rule.handler_body) == (repair, "building",
                                                                  cast.property_a)  # fmt: skip
    client.post(f"/compounds/{cast.a.pk}/demands/settings/rules/{rule.pk}/delete/")
    assert not RoutingRule.objects.exists()


def test_settings_refuse_a_handler_of_another_compound(client, cast):
    login(client, cast.secretary)
    response = client.post(
        f"/compounds/{cast.a.pk}/demands/settings/rules/", {"handler": f"b{cast.property_b.pk}"}
    )
    assert response.status_code == 400
    assert not RoutingRule.objects.exists()


def test_settings_reorder_and_shorten_the_chain(client, cast):
    login(client, cast.secretary)
    url = f"/compounds/{cast.a.pk}/demands/settings/chain/"
    refused = client.post(url, {"use_property": "on", "order_property": "1",
                                "use_branch": "on", "order_branch": "1"})  # fmt: skip
    assert refused.status_code == 400 and "启用的层级顺序不能重复。" in html(refused)
    refused = client.post(url, {})
    assert refused.status_code == 400 and "升级链至少要有一个层级。" in html(refused)
    client.post(url, {"use_branch": "on", "order_branch": "1",
                      "use_property": "on", "order_property": "2",
                      "use_community": "on", "order_community": "3"})  # fmt: skip
    assert EscalationChain.objects.get(compound=cast.a).levels == [
        Level.BRANCH, Level.PROPERTY, Level.COMMUNITY,
    ]  # fmt: skip


def test_settings_are_for_those_who_manage_the_compound(client, cast):
    assert (
        login(client, cast.community_worker)
        .get(f"/compounds/{cast.a.pk}/demands/settings/")
        .status_code
        == 200
    )
    assert (
        login(client, cast.clerk).get(f"/compounds/{cast.a.pk}/demands/settings/").status_code
        == 403
    )


def test_qr_poster_svg_and_png_open_the_filing_form(client, cast):
    login(client, cast.secretary)
    page = html(client.get(f"/compounds/{cast.a.pk}/demands/qr/"))
    url = f"http://testserver/demands/new/?compound={cast.a.pk}&amp;via=qr"
    assert "甲小区" in page and "<svg" in page and url in page
    svg = client.get(f"/compounds/{cast.a.pk}/demands/qr.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    png = client.get(f"/compounds/{cast.a.pk}/demands/qr.png")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
