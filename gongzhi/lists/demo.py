"""Demo data for lists: story 001's needs list (江南街道, article 001).

"形成小区居民'需求清单'67个,实行项目化、清单化解决,对当下能解决的要立行立改,对需要长期
解决的制定问题清单……推动解决居民群众热切盼望的和关注的实事难事36个", and partner units
claim items through 清单发布与认领.

``load_lists_demo(compound)`` builds, through the services (actor ``None``, the system, or a
liaison's own account where there is one), a published 2024 needs list of 67 items: 45 to
fix now and 22 long-term projects with a plan and milestones; 36 solved (24 fixed at once by
staff, 12 finished by those who claimed them); 22 claimed by the partner units whose place
covers the compound and by the 双报到 in-service party members of its community. With no
partner unit or member there, the items they would claim stay open.

Assumed: every item's wording, place and date (the article gives only the counts and a few
examples: roof leaks, a road, public toilets, street lamps, parking spaces, a small square).
"""

from __future__ import annotations

import datetime as dt
from itertools import cycle

from django.utils import timezone

from gongzhi.lists import selectors, services
from gongzhi.lists.models import WorkList
from gongzhi.lists.rules import ListKind, Mode, Source
from gongzhi.people.models import Account
from gongzhi.places.models import Compound

M, V = Source.MEETING, Source.VISIT
MEETINGS = ("党群联席会议", "邻里夜谈", "邻里话室会")

# (title, place, source) — 45 to fix now.
FIX_NOW: tuple[tuple[str, str, str], ...] = (
    ("3栋楼道声控灯不亮", "3栋", V),
    ("小区东门路灯损坏", "东门", M),
    ("5栋单元门禁失灵", "5栋", V),
    ("2栋顶层屋面局部漏水", "2栋", V),
    ("地下车库雨天积水", "地下车库", M),
    ("儿童游乐设施螺丝松动", "中心花园", V),
    ("垃圾分类亭异味大", "北门", M),
    ("绿化带杂草丛生", "中心花园", V),
    ("消防通道被车辆占用", "1栋东侧", M),
    ("电动车进楼道充电", "4栋", V),
    ("6栋外墙瓷砖有脱落隐患", "6栋", V),
    ("北门减速带损坏", "北门", M),
    ("健身器材老化", "健身广场", M),
    ("宣传栏破损", "东门", V),
    ("4栋雨水管堵塞", "4栋", V),
    ("1栋化粪池需清掏", "1栋", M),
    ("快递在门岗乱堆放", "东门", M),
    ("广场舞音响扰民", "健身广场", M),
    ("楼道小广告清理", "2栋", V),
    ("共享单车乱停放", "北门", M),
    ("老年人活动室开放时间短", "活动室", M),
    ("二次供水水箱清洗", "水泵房", M),
    ("北门监控探头损坏", "北门", V),
    ("3栋前井盖松动", "3栋", V),
    ("公共晾衣区设置", "6栋北侧", M),
    ("宠物粪便无人清理", "中心花园", M),
    ("楼顶违规种菜", "5栋", V),
    ("3栋信报箱损坏", "3栋", V),
    ("凉亭座椅破损", "中心花园", V),
    ("主干道路面坑洼修补", "主干道", M),
    ("排水沟盖板缺失", "1栋西侧", V),
    ("5栋电梯按钮失灵", "5栋", V),
    ("停车场照明不足", "停车场", M),
    ("树木遮挡低层采光", "2栋", V),
    ("空调外机滴水扰民", "4栋", V),
    ("门岗访客登记不规范", "东门", M),
    ("楼道扶手松动", "1栋", V),
    ("夜间装修施工噪音", "6栋", M),
    ("小区楼栋指引标识不清", "主干道", M),
    ("无障碍坡道被占用", "1栋", V),
    ("垃圾清运不及时", "北门", M),
    ("夏季蚊虫消杀", "小区公共区域", M),
    ("独居老人紧急呼叫装置", "3栋", V),
    ("增设休闲长椅", "中心花园", M),
    ("公告栏信息更新不及时", "东门", M),
)

# (title, place, source, plan) — 22 long-term projects.
LONG_TERM: tuple[tuple[str, str, str, str], ...] = (
    ("小区出入道路修建", "南门", M, "共建单位筹集款项、居民自筹资金,分两段修建出入道路。"),
    ("老旧供水管网改造", "小区公共区域", M, "联系供水公司纳入年度改造计划,分片停水施工。"),
    ("1、2栋加装电梯", "1栋", M, "征求单元住户意见,达成一致后申请补贴、招标施工。"),
    ("停车位重新规划", "停车场", M, "重新划线、利用边角地,增加停车位并实行一户一车。"),
    ("公厕改造", "健身广场", M, "共建单位出资,按无障碍标准改造公厕。"),
    ("文化小广场建设", "中心花园", M, "联合共建单位筹集资金,建设居民文化小广场。"),
    ("电动车集中充电桩建设", "非机动车棚", M, "引入充电运营企业,建设集中充电区,消除楼道充电隐患。"),
    ("雨污分流改造", "小区公共区域", M, "纳入城区雨污分流工程,分期开挖施工。"),
    ("屋面防水整体翻新", "2栋", V, "使用维修资金,按业主大会决定实施屋面防水翻新。"),
    ("外墙立面整治", "6栋", V, "排查空鼓瓷砖,分栋实施外墙整治。"),
    ("智慧安防系统建设", "小区公共区域", M, "增设人脸识别门禁和高空抛物监控。"),
    ("民族团结文化墙", "东门", M, "与民族宗教部门共建民族团结文化墙。"),
    ("休闲步道铺设沥青", "中心花园", M, "铺设沥青步道,连通各栋与中心花园。"),
    ("党群服务站扩建", "活动室", M, "整合闲置用房,扩建党群服务站。"),
    ("适老化改造", "小区公共区域", V, "楼道加装扶手、坡道,公共区域防滑处理。"),
    ("小区绿化提升", "中心花园", M, "补种乔灌木,设置绿化认养。"),
    ("垃圾分类屋升级", "北门", M, "建设带洗手台和除臭设备的垃圾分类屋。"),
    ("消防设施更新", "小区公共区域", V, "更换过期灭火器,维修消火栓和应急照明。"),
    ("架空线缆整治", "主干道", M, "协调通信运营商规整、入地架空线缆。"),
    ("非机动车棚建设", "4栋北侧", M, "建设非机动车棚,配套照明和监控。"),
    ("儿童之家建设", "活动室", M, "建设儿童之家,开展课后托管和假期活动。"),
    ("增设路灯(点亮工程)", "主干道", M, "在主干道和步道增设路灯,消除照明盲区。"),
)

# What becomes of each item, by position: (outcome, how many).
FIX_NOW_PLAN = (("solve", 24), ("unit_done", 6), ("member_done", 2), ("unit_claim", 4), ("open", 9))
LONG_TERM_PLAN = (("unit_done", 4), ("unit_claim", 5), ("member_claim", 1), ("open", 12))

PUBLISHED = dt.date(2024, 3, 1)


def _expand(plan) -> list[str]:
    return [outcome for outcome, n in plan for _ in range(n)]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _milestones(index: int) -> list[tuple[str, dt.date]]:
    start = dt.date(2024, 4, 15) + dt.timedelta(days=7 * index)
    return [
        ("方案论证、征求居民意见", start),
        ("组织实施", start + dt.timedelta(days=60)),
        ("完工验收、结果公示", start + dt.timedelta(days=120)),
    ]


def _liaison_account(body) -> Account | None:
    """The liaison's own account, if they have one; otherwise the system claims for them."""
    person_ids = (
        body.memberships.active().filter(post="liaison").values_list("person_id", flat=True)
    )
    return Account.objects.filter(person_id__in=list(person_ids), is_active=True).first()


def _claim(item, *, body=None, person=None, day: dt.date):
    actor = None
    if body is not None:
        actor = _liaison_account(body)
    elif person is not None:
        actor = Account.objects.filter(person=person, is_active=True).first()
    services.item_claim(actor=actor, item=item, body=body, person=person, now=_at(day))
    return actor


def load_lists_demo(compound: Compound) -> WorkList:
    """Story 001's needs list in ``compound``: 67 collected, 36 solved, 22 claimed (fewer
    claimed when the compound has no partner unit or 双报到 member to claim them)."""
    compound = Compound.objects.select_related("community").get(pk=compound.pk)
    work_list = services.worklist_create(
        actor=None,
        kind=ListKind.NEEDS,
        title=f"{compound.name}2024年居民需求清单",
        period="2024",
        compound=compound,
        note="通过党群联席会议、邻里夜谈、邻里话室会和上门走访收集,项目化、清单化解决:"
        "当下能解决的立行立改,需要长期解决的制定计划、分节点推进。",
        now=_at(dt.date(2024, 1, 5)),
    )
    items = []
    for n, (title, place, source) in enumerate(FIX_NOW):
        day = dt.date(2024, 1, 8) + dt.timedelta(days=n)
        items.append(
            services.item_add(
                actor=None, work_list=work_list, title=title, source=source,
                source_label=MEETINGS[n % 3] if source == M else "网格员上门走访",
                source_date=day, place_label=place, now=_at(day),
            )
        )  # fmt: skip
    for n, (title, place, source, plan) in enumerate(LONG_TERM):
        day = dt.date(2024, 1, 10) + dt.timedelta(days=2 * n)
        items.append(
            services.item_add(
                actor=None, work_list=work_list, title=title, source=source,
                source_label=MEETINGS[n % 3] if source == M else "网格员上门走访",
                source_date=day, place_label=place, mode=Mode.LONG_TERM, plan=plan,
                milestones=_milestones(n), now=_at(day),
            )
        )  # fmt: skip
    work_list = services.worklist_publish(actor=None, work_list=work_list, now=_at(PUBLISHED))

    units = list(selectors.eligible_bodies(work_list))
    members = list(selectors.eligible_people(work_list))
    next_unit = cycle(units) if units else None
    next_member = cycle(members) if members else None
    outcomes = _expand(FIX_NOW_PLAN) + _expand(LONG_TERM_PLAN)
    for n, (item, outcome) in enumerate(zip(items, outcomes, strict=True)):
        day = PUBLISHED + dt.timedelta(days=3 + 4 * n)
        if outcome == "solve":
            services.item_solve(
                actor=None, item=item, text="网格员和物业当场处理,已立行立改。", now=_at(day)
            )
            continue
        if outcome == "open":
            continue
        by_member = outcome.startswith("member")
        pool = next_member if by_member else next_unit
        if pool is None:
            continue
        claimant = next(pool)
        actor = _claim(
            item, body=None if by_member else claimant, person=claimant if by_member else None,
            day=day,
        )  # fmt: skip
        services.item_report_progress(
            actor=actor, item=item, text="已到现场查看,制定办理方案,正在协调落实。",
            percent=40 if item.mode == Mode.FIX_NOW else 30, now=_at(day + dt.timedelta(days=5)),
        )  # fmt: skip
        if not outcome.endswith("done"):
            continue
        finished = day + dt.timedelta(days=20)
        if item.mode == Mode.LONG_TERM:
            for k, milestone in enumerate(item.milestones.order_by("due_on")):
                services.milestone_complete(
                    actor=actor, milestone=milestone, now=_at(finished + dt.timedelta(days=30 * k))
                )
            finished += dt.timedelta(days=90)
        services.item_finish(
            actor=actor, item=item, text="已办结,经居民代表验收。", now=_at(finished)
        )
    return work_list
