"""Demand history for the benchmark: millions of demands (诉求) over three years, loaded
with PostgreSQL COPY.

The rows follow ``gongzhi.demands.models.Demand`` and its constraints exactly (one kind of
place, a category unless a micro-wish, a handler in every state that needs one, ratings
1–5 and ≥ 3 once evaluated, merged ⇔ merged_into, the running deadline in ``due_at``) and
look like a district's:

* demands per compound vary (log-normal weights), grow over time (the platform spreads),
  and are filed mostly in the daytime;
* most are closed; recent ones are still open (dispatched, accepted, whistled, …) and a
  thin tail of old ones is stuck open and overdue, so a handler's inbox holds tens to
  hundreds of items;
* handlers are the compound's property company (clerk), owners' body (chair), party
  branch (secretary) or a building leader (branch body + the leader as person); escalated
  demands sit with the next levels up to the community and the street;
* ratings lean to satisfied; ≤ 2 reopens as rectification; unrated ones close as such.

IDs follow time, as in a real table. Indexes are dropped for the load and rebuilt after
(with the very definitions PostgreSQL had), foreign keys are checked by one anti-join
each instead of a trigger per row, and the table is VACUUM ANALYZEd.
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

DAY = 86400.0
HOUR = 3600.0
HISTORY_DAYS = 3 * 365

# name, weight, accept within (hours), resolve within (days), keywords, descriptions
# fmt: off
CATEGORIES: list[tuple[str, float, int, int, str, tuple[str, ...]]] = [
    ("设施维修", 16, 24, 7, "维修 损坏 坏了 漏水 门禁", (
        "{b}号楼{u}单元门禁坏了,进出很不方便,请尽快维修。",
        "{b}号楼楼道灯不亮已经好几天,晚上上下楼很危险。",
        "{b}号楼{f}楼楼道窗户玻璃破了,刮风下雨往里灌。",
        "小区东门道闸经常抬不起来,早晚高峰车辆排队。",
        "{b}号楼外墙水管漏水,地面一直湿滑。",
    )),
    ("物业服务", 15, 24, 7, "物业 保安 服务 收费", (
        "物业值班电话晚上打不通,有事找不到人。",
        "{b}号楼保洁几天没来,楼道垃圾没人清理。",
        "物业费公示不清楚,希望公开收支明细。",
        "小区保安夜间巡逻太少,外来人员随意进出。",
    )),
    ("环境卫生", 14, 24, 5, "垃圾 卫生 异味 清运", (
        "{b}号楼旁垃圾桶满了没人清运,味道很大。",
        "小区垃圾分类点周边污水横流,夏天蚊蝇多。",
        "{b}号楼楼道里堆放杂物和纸箱,影响通行。",
        "地下车库积水发臭,请安排清理。",
    )),
    ("停车管理", 10, 24, 7, "停车 车位 乱停 充电", (
        "消防通道被私家车长期占用,请处理。",
        "{b}号楼下电动车乱停乱放,堵住单元门口。",
        "希望增加电动自行车充电桩,楼道飞线充电太危险。",
        "外来车辆占用小区车位,业主回家没地方停。",
    )),
    ("供水供电", 7, 12, 3, "停水 停电 水压 电压", (
        "{b}号楼{f}楼以上水压太低,早晚用水困难。",
        "{b}号楼今天又停电,没有任何通知。",
        "自来水发黄有异味,担心水箱没有清洗。",
    )),
    ("电梯", 7, 12, 3, "电梯 困人 故障", (
        "{b}号楼{u}单元电梯经常停运,老人上下楼困难。",
        "{b}号楼电梯运行有异响,担心安全。",
        "电梯年检合格证过期了还没更换。",
    )),
    ("安全隐患", 6, 12, 3, "隐患 消防 安全 高空", (
        "{b}号楼消防栓没有水,灭火器过期。",
        "小区围墙有一段开裂倾斜,担心倒塌。",
        "{b}号楼有住户高空抛物,楼下停车和行人不安全。",
    )),
    ("噪音扰民", 6, 24, 5, "噪音 扰民 装修 广场舞", (
        "{b}号楼{f}楼装修中午和晚上也在施工,噪音很大。",
        "广场舞音响声音太大,晚上九点以后还在跳。",
        "小区门口商铺夜间营业噪音扰民。",
    )),
    ("绿化养护", 5, 48, 10, "绿化 树木 草坪 修剪", (
        "{b}号楼前的树枝挡住窗户采光,请修剪。",
        "小区草坪被踩秃了,希望补种。",
        "绿化带里的枯树有倒伏危险。",
    )),
    ("邻里纠纷", 5, 24, 7, "邻里 纠纷 漏水 宠物", (
        "{b}号楼{f}楼住户养狗不牵绳,吓到孩子。",
        "楼上卫生间漏水到我家天花板,协商未果。",
        "邻居在楼道安装摄像头对着我家门口。",
    )),
    ("违章搭建", 3, 48, 10, "违建 搭建 占用", (
        "{b}号楼顶楼住户私搭阳光房。",
        "一楼住户占用公共绿地圈成自家菜园。",
    )),
    ("其他", 6, 24, 7, "建议 其他", (
        "建议小区增设老年人休息座椅。",
        "希望社区组织一次防诈骗宣传活动。",
        "建议在小区门口增设快递柜。",
    )),
]
# fmt: on
WISHES = (
    "独居老人希望有志愿者每周上门陪聊一次。",
    "想请志愿者帮忙更换家里的灯泡和水龙头。",
    "希望有人帮忙代买药品,腿脚不便下不了楼。",
    "孩子暑假希望参加社区的书法兴趣班。",
    "想要一台旧收音机,平时听听戏。",
)
LOCATION_NOTES = ("", "", "", "东门", "西门", "地下车库", "中心花园", "南门岗亭", "快递驿站旁")
FEEDBACK = "已按评价意见整改到位,后续将加强巡查。"
SUMMARY = "诉求已办结,居民评价满意,归档。"

CHANNELS = (("app", 58), ("qr", 10), ("phone", 13), ("visit", 10), ("paper", 5), ("meeting", 4))
URGENCIES = (("normal", 80), ("pressing", 15), ("urgent", 5))
OPEN_STATES = (
    ("filed", 6), ("dispatched", 16), ("returned", 3), ("whistled", 8), ("accepted", 50),
    ("rectifying", 4), ("resolved", 7), ("evaluated", 3), ("feedback_given", 3),
)  # fmt: skip
CLOSED_STATES = (("closed", 82.5), ("closed_unrated", 10), ("withdrawn", 5), ("merged", 2.5))
SATISFIED_RATINGS = ((3, 12), (4, 30), (5, 58))
UNRESOLVED = {"filed", "dispatched", "returned", "whistled", "accepted", "rectifying"}
DEADLINE_FIELD = {
    "filed": "accept_by", "dispatched": "accept_by", "returned": "accept_by",
    "whistled": "accept_by", "accepted": "resolve_by", "rectifying": "resolve_by",
}  # fmt: skip
HAS_HANDLER = {
    "dispatched", "whistled", "accepted", "resolved", "rectifying", "evaluated",
    "feedback_given",
}  # fmt: skip
# Daytime filing: relative weight of each hour of the day (local time, UTC+8).
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1.5, 3, 5, 6, 6, 5, 4, 4, 5, 5, 5, 4, 4, 5, 5, 4, 3, 2)

COLUMNS = (
    "id", "kind", "place_kind", "location_note", "place_path", "description", "urgency",
    "is_public", "channel", "state", "level", "escalation_count", "overdue_count",
    "chain_exhausted", "rectification_count", "accept_by", "resolve_by", "due_at", "rating",
    "feedback", "summary", "created_at", "dispatched_at", "accepted_at", "resolved_at",
    "closed_at", "updated_at", "building_id", "category_id", "community_id", "compound_id",
    "filed_by_id", "handler_body_id", "handler_person_id", "merged_into_id", "reporter_id",
    "room_id", "street_id",
)  # fmt: skip


@dataclass
class CompoundCtx:
    id: int
    path: str
    community_id: int
    street_id: int
    property_body: int | None = None
    owners_body: int | None = None
    branch_body: int | None = None
    community_body: int | None = None
    street_body: int | None = None
    leaders: dict[int, int] = field(default_factory=dict)  # building id → leader person
    buildings: list[tuple[int, str]] = field(default_factory=list)
    residents: list[tuple[int, int, str, int, str]] = field(default_factory=list)
    # (person, room, room path, building, building path)
    recent_ids: list[int] = field(default_factory=list)


def _chooser(rng: random.Random, pairs):
    values = [v for v, _ in pairs]
    cum, total = [], 0.0
    for _, w in pairs:
        total += w
        cum.append(total)

    def choose():
        return values[bisect.bisect_right(cum, rng.random() * total)]

    return choose


def ensure_categories(cursor) -> list[tuple[int, str, int, int, float, tuple[str, ...]]]:
    """The global categories the history uses, created when missing (by name)."""
    cursor.execute("SELECT name, id FROM demands_category WHERE compound_id IS NULL")
    have = dict(cursor.fetchall())
    out = []
    for order, (name, weight, hours, days, keywords, texts) in enumerate(CATEGORIES):
        if name not in have:
            cursor.execute(
                "INSERT INTO demands_category (name, accept_within_hours, resolve_within_days,"
                " keywords, is_active, sort_order, compound_id)"
                " VALUES (%s, %s, %s, %s, true, %s, NULL) RETURNING id",
                [name, hours, days, keywords, order],
            )
            have[name] = cursor.fetchone()[0]
        out.append((have[name], name, hours, days, weight, texts))
    return out


def load_context(cursor) -> dict[int, CompoundCtx]:
    """Compounds with their buildings, residents, bodies and building leaders."""
    cursor.execute(
        "SELECT p.id, p.path, p.community_id, c.street_id FROM places_compound p"
        " JOIN places_community c ON c.id = p.community_id ORDER BY p.id"
    )
    ctx = {row[0]: CompoundCtx(*row) for row in cursor.fetchall()}
    by_community = defaultdict(list)
    by_street = defaultdict(list)
    for c in ctx.values():
        by_community[c.community_id].append(c)
        by_street[c.street_id].append(c)
    cursor.execute(
        "SELECT id, compound_id, path FROM places_building WHERE grid_id IS NOT NULL ORDER BY id"
    )
    for bid, cid, path in cursor.fetchall():
        if cid in ctx:
            ctx[cid].buildings.append((bid, path))
    cursor.execute(
        "SELECT r.person_id, rm.id, rm.path, rm.building_id, b.path, rm.compound_id"
        " FROM people_residency r JOIN people_household h ON h.id = r.household_id"
        " JOIN places_room rm ON rm.id = h.room_id JOIN places_building b ON b.id = rm.building_id"
        " WHERE r.until IS NULL AND h.moved_out IS NULL AND rm.use = 'residential'"
        " ORDER BY r.id"
    )
    for person, room, rpath, building, bpath, cid in cursor.fetchall():
        if cid in ctx:
            ctx[cid].residents.append((person, room, rpath, building, bpath))
    cursor.execute(
        "SELECT id, kind, compound_id, community_id, place_path FROM bodies_body"
        " WHERE dissolved_on IS NULL ORDER BY id"
    )
    owners_kinds = {"owners_committee", "property_management_committee",
                    "self_management_committee"}  # fmt: skip
    street_of_path = {}
    for c in ctx.values():
        street_of_path[c.path.split("/c")[0] + "/"] = c.street_id
    for bid, kind, cid, community, place_path in cursor.fetchall():
        c = ctx.get(cid) if cid else None
        if kind == "property_company" and c and c.property_body is None:
            c.property_body = bid
        elif kind in owners_kinds and c and c.owners_body is None:
            c.owners_body = bid
        elif kind == "compound_party_branch" and c and c.branch_body is None:
            c.branch_body = bid
        elif kind == "residents_committee" and community in by_community:
            for cc in by_community[community]:
                cc.community_body = cc.community_body or bid
        elif kind == "street_office":
            street = street_of_path.get(place_path)
            for cc in by_street.get(street, ()):
                cc.street_body = cc.street_body or bid
    cursor.execute(
        "SELECT b.compound_id, m.scope_path, m.person_id FROM bodies_membership m"
        " JOIN bodies_body b ON b.id = m.body_id"
        " WHERE m.post = 'building_leader' AND b.kind = 'compound_party_branch'"
        ' AND m."end" IS NULL ORDER BY m.id'
    )
    for cid, scope, person in cursor.fetchall():
        last = [p for p in scope.split("/") if p][-1]
        if cid in ctx and last.startswith("b"):
            ctx[cid].leaders.setdefault(int(last[1:]), person)
    return {k: v for k, v in ctx.items() if v.residents and v.branch_body}


def _timestamps(rng: random.Random, n: int, now: float) -> list[float]:
    """``n`` filing times over HISTORY_DAYS, growing linearly from 40% to 160% of the mean
    rate, in the daytime; sorted (ids follow time)."""
    a, b = 0.4, 1.2  # density a + b·t on t ∈ [0, 1], integral a + b/2 = 1
    hour_pick = _chooser(rng, list(enumerate(HOUR_WEIGHTS)))
    start = now - HISTORY_DAYS * DAY
    out = []
    for _ in range(n):
        u = rng.random()
        t = (-a + math.sqrt(a * a + 2 * b * u)) / b
        day = math.floor(t * HISTORY_DAYS)
        # local hour → UTC (China is UTC+8, no DST)
        seconds = ((hour_pick() - 8) % 24) * HOUR + rng.random() * HOUR
        out.append(min(start + day * DAY + seconds, now - 60))
    out.sort()
    return out


def _iso(ts: float | None) -> str:
    if ts is None:
        return "\\N"
    return dt.datetime.fromtimestamp(ts, dt.UTC).isoformat(sep=" ")


def rows(
    rng: random.Random,
    n: int,
    ctx: dict[int, CompoundCtx],
    categories,
    *,
    first_id: int,
    now: float,
):
    """Yield COPY text lines (tab-separated, ``\\N`` for NULL) of ``n`` demands."""
    compounds = list(ctx.values())
    weights = [math.exp(rng.gauss(0, 0.45)) for _ in compounds]
    pick_compound = _chooser(rng, list(zip(compounds, weights, strict=True)))
    pick_category = _chooser(rng, [(c, c[4]) for c in categories])
    pick_channel = _chooser(rng, CHANNELS)
    pick_urgency = _chooser(rng, URGENCIES)
    pick_open = _chooser(rng, OPEN_STATES)
    pick_closed = _chooser(rng, CLOSED_STATES)
    pick_rating = _chooser(rng, SATISFIED_RATINGS)
    pick_escalated_level = _chooser(
        rng, (("owners_body", 30), ("branch", 30), ("community", 30), ("street", 10))
    )
    r = rng.random
    times = _timestamps(rng, n, now)
    N = "\\N"
    for i, created in enumerate(times):
        pk = first_id + i
        c = pick_compound()
        age_days = (now - created) / DAY
        # Most demands are dealt with within days; a thin tail stays open for months.
        p_open = 0.95 * math.exp(-age_days / 12) + 0.05 * math.exp(-age_days / 150)
        state = pick_open() if r() < p_open else pick_closed()

        kind = "micro_wish" if r() < 0.03 else "demand"
        person, room, room_path, building, building_path = c.residents[int(r() * len(c.residents))]
        roll = r()
        if roll < 0.45:
            place_kind, place_path = "room", room_path
        elif roll < 0.75:
            place_kind, place_path, room = "building", building_path, None
        else:
            place_kind, place_path, room, building = "common", c.path, None, None
        if kind == "micro_wish":
            category_id, hours, days = None, 24, 7
            text = WISHES[int(r() * len(WISHES))]
        else:
            category_id, _name, hours, days, _w, texts = pick_category()
            text = texts[int(r() * len(texts))]
        text = text.format(b=1 + int(r() * 12), u=1 + int(r() * 3), f=2 + int(r() * 16))
        channel = pick_channel()
        reporter = person if (channel != "paper" or r() < 0.5) else None

        # Handler: who the demand went to, and the chain level it stands at.
        escalations = 0
        if state == "whistled":
            escalations = 1 + (r() < 0.25)
        elif state not in ("filed", "returned", "withdrawn", "merged"):
            escalations = 1 if r() < 0.05 else 0
        handler_body = handler_person = None
        level = ""
        if state not in ("filed", "returned"):
            if escalations:
                level = pick_escalated_level()
                handler_body = {
                    "owners_body": c.owners_body, "branch": c.branch_body,
                    "community": c.community_body, "street": c.street_body,
                }[level]  # fmt: skip
                if handler_body is None:
                    level, handler_body = "branch", c.branch_body
            else:
                roll = r()
                leader = c.leaders.get(building) if building else None
                if c.property_body and roll < 0.58:
                    level, handler_body = "property", c.property_body
                elif c.owners_body and roll < 0.72:
                    level, handler_body = "owners_body", c.owners_body
                elif leader and roll < 0.86:
                    level, handler_body, handler_person = "", c.branch_body, leader
                elif c.property_body or roll < 0.8:
                    level, handler_body = "branch", c.branch_body
                else:
                    level, handler_body = "community", c.community_body or c.branch_body
        if state == "withdrawn" and r() < 0.5:
            handler_body = handler_person = None
            level = ""

        # Times along the way.
        accept_by = created + hours * HOUR
        dispatched = accepted = resolved = closed = resolve_by = None
        overdue = 0
        if state not in ("filed", "returned") and handler_body is not None:
            dispatched = created + (0.2 + r() * 10) * HOUR
            if escalations:
                accept_by = dispatched + hours * HOUR  # the called-in level must report in
                overdue = 1 if r() < 0.7 else 0
        late = r() < 0.12
        if dispatched is not None and state not in ("dispatched", "whistled", "withdrawn"):
            accepted = dispatched + (0.3 + r() * (30 if late else 12)) * HOUR
            resolve_by = accepted + days * DAY
            if accepted > accept_by:
                overdue += 1
            if state not in ("accepted",):
                resolved = accepted + (0.2 + r() * (days * (1.6 if late else 0.8))) * DAY
                if resolved > resolve_by:
                    overdue += 1
                if state == "rectifying":  # rated ≤ 2: a new deadline runs from the rating
                    resolve_by = resolved + (1 + r()) * DAY + days * DAY
        rating = None
        rectifications = 0
        if state in ("evaluated", "feedback_given", "closed"):
            rating = pick_rating()
            rectifications = 1 if r() < 0.04 else 0
        elif state == "rectifying":
            rating = 1 + (r() < 0.4)
            rectifications = 1
        if state in ("closed", "closed_unrated"):
            closed = (resolved or created) + (1 + r() * 9) * DAY
        elif state in ("withdrawn", "merged"):
            closed = created + (0.1 + r() * 48) * HOUR
        # Keep every time in the past (recent demands).
        ceiling = now - 30
        dispatched, accepted, resolved, closed = (
            min(x, ceiling) if x is not None else None
            for x in (dispatched, accepted, resolved, closed)
        )
        merged_into = None
        if state == "merged":
            if c.recent_ids:
                merged_into = c.recent_ids[int(r() * len(c.recent_ids))]
            else:
                state, closed = "withdrawn", closed
        due_field = DEADLINE_FIELD.get(state)
        due = {"accept_by": accept_by, "resolve_by": resolve_by}.get(due_field)
        if state in UNRESOLVED and due is None:  # accepted without a resolve deadline
            due = accept_by
        if state in HAS_HANDLER and handler_body is None and handler_person is None:
            handler_body, level = c.branch_body, "branch"
        feedback = FEEDBACK if state in ("feedback_given", "closed") else ""
        summary = SUMMARY if state == "closed" else ""
        updated = max(x for x in (created, dispatched, accepted, resolved, closed) if x)
        is_public = "t" if r() < 0.3 else "f"
        note = LOCATION_NOTES[int(r() * len(LOCATION_NOTES))] if place_kind == "common" else ""

        c.recent_ids.append(pk)
        if len(c.recent_ids) > 50:
            del c.recent_ids[:25]

        yield "\t".join(
            (
                str(pk), kind, place_kind, note, place_path, text, pick_urgency(), is_public,
                channel, state, level, str(escalations), str(overdue),
                "f", str(rectifications), _iso(accept_by), _iso(resolve_by), _iso(due),
                str(rating) if rating else N, feedback, summary, _iso(created),
                _iso(dispatched), _iso(accepted), _iso(resolved), _iso(closed), _iso(updated),
                str(building) if building else N, str(category_id) if category_id else N,
                str(c.community_id), str(c.id), N,
                str(handler_body) if handler_body else N,
                str(handler_person) if handler_person else N,
                str(merged_into) if merged_into else N,
                str(reporter) if reporter else N, str(room) if room else N, str(c.street_id),
            )
        ) + "\n"  # fmt: skip


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """Indexes of ``table`` that back no constraint: (name, CREATE INDEX statement)."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x"
        " JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid"
        " WHERE t.relname = %s AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        " ORDER BY i.relname",
        [table],
    )
    return cursor.fetchall()


def _foreign_keys(cursor, table: str) -> list[tuple[str, str, str, str]]:
    """(constraint, column, referenced table, referenced column) of ``table``."""
    cursor.execute(
        "SELECT c.conname, a.attname, rt.relname, ra.attname FROM pg_constraint c"
        " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class rt ON rt.oid = c.confrelid"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]"
        " WHERE c.contype = 'f' AND t.relname = %s ORDER BY c.conname",
        [table],
    )
    return cursor.fetchall()


def load(
    connection,
    n: int,
    *,
    seed: int,
    progress: Callable[[str], None] = print,
) -> dict:
    """Generate and COPY ``n`` demands into ``demands_demand`` (one transaction).

    ``connection`` is a psycopg 3 connection. Returns counts and seconds per step.
    """
    rng = random.Random(seed * 7919 + 17)
    timings: dict[str, float] = {}
    table = "demands_demand"
    with connection.transaction(), connection.cursor() as cursor:
        t0 = time.perf_counter()
        categories = ensure_categories(cursor)
        ctx = load_context(cursor)
        if not ctx:
            raise RuntimeError("no compound with residents and a party branch to file demands in")
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
        first_id = cursor.fetchone()[0]
        timings["context"] = time.perf_counter() - t0
        progress(f"  context: {len(ctx)} compounds, {len(categories)} categories")

        t0 = time.perf_counter()
        # Bulk load: no per-row FK trigger (checked below by anti-joins), no index upkeep
        # (rebuilt below from PostgreSQL's own definitions). Local to this transaction.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        indexes = _secondary_indexes(cursor, table)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        timings["drop_indexes"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        now = time.time()
        columns = ", ".join(COLUMNS)
        written = 0
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            buf = io.StringIO()
            for line in rows(rng, n, ctx, categories, first_id=first_id, now=now):
                buf.write(line)
                written += 1
                if written % 20_000 == 0:
                    copy.write(buf.getvalue().encode())
                    buf = io.StringIO()
                if written % 250_000 == 0:
                    rate = written / (time.perf_counter() - t0)
                    progress(f"  {written:,} demands copied ({rate:,.0f}/s)")
            copy.write(buf.getvalue().encode())
        timings["generate_and_copy"] = time.perf_counter() - t0
        progress(f"  {written:,} demands copied in {timings['generate_and_copy']:.1f} s")

        t0 = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["rebuild_indexes"] = time.perf_counter() - t0
        progress(f"  {len(indexes)} indexes rebuilt in {timings['rebuild_indexes']:.1f} s")

        t0 = time.perf_counter()
        for conname, column, ref_table, ref_column in _foreign_keys(cursor, table):
            cursor.execute(
                f"SELECT count(*) FROM {table} d WHERE d.id >= %s AND d.{column} IS NOT NULL"
                f" AND NOT EXISTS (SELECT 1 FROM {ref_table} r WHERE r.{ref_column} = d.{column})",
                [first_id],
            )
            broken = cursor.fetchone()[0]
            if broken:
                raise RuntimeError(f"{broken} generated demands break {conname}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
        timings["check_foreign_keys"] = time.perf_counter() - t0

        # The figures roll-up (its trigger was off with session_replication_role = replica).
        t0 = time.perf_counter()
        from gongzhi.demands import rollup

        rollup.rebuild(cursor)
        timings["figures_rollup"] = time.perf_counter() - t0
        progress(f"  figures roll-up rebuilt in {timings['figures_rollup']:.1f} s")
    return {"demands": written, "first_id": first_id, "seconds": timings}
