"""Generate a province-scale hazard ledger fast (PostgreSQL COPY): by default 10^6 hazards across 10 counties
and 20,000 projects, each hazard with a hash-chained history and its state intervals (derived with the same
function the service uses, so `rebuild_hazard_spans` finds nothing to repair).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiben_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/generate_ledger.py [--hazards 1000000] [--projects 20000]

Deterministic (seeded). Replaces every hazard already in that database. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from types import SimpleNamespace

from _setup import setup

COUNTIES = [141122, 141102, 141121, 141123, 141124, 141181, 141182, 140105, 140106, 140107]
DESCRIPTIONS = ["塔吊附着装置未按方案设置", "深基坑支护结构变形超过预警值", "高支模未经专家论证", "外脚手架连墙件缺失",
                "施工升降机防坠安全器超过有效标定期", "临边防护缺失", "起重机械安装前未验收"]
HAZARD_COLS = ["code", "project_id", "enterprise_id", "region_id", "channel", "level", "standard_item_id",
               "description", "location", "found_at", "found_on", "is_stock", "deadline", "original_deadline", "status",
               "closed_at", "escalation_level", "escalated_at", "overdue_marked_on", "notified_at", "reminded_at",
               "acknowledged_at", "first_channel", "first_found_at", "source_ref", "created_at", "updated_at",
               "history_head", "search_text", "search_vector"]
EVENT_COLS = ["hazard_id", "seq", "action", "actor_name", "at", "effective_at", "from_status", "to_status", "data",
              "prev_hash", "hash"]
SPAN_COLS = ["hazard_id", "region_id", "enterprise_id", "project_id", "is_stock", "found_on", "level", "status",
             "deadline", "escalation_level", "valid_from", "valid_to"]


CHANNELS = ["self", "self", "inspection", "inspection", "report", "alarm"]


def _text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


def _line(values) -> str:
    return "\t".join(_text(v) for v in values) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--enterprises", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args()
    setup()
    started = time.perf_counter()
    generate(args)
    print(f"total: {time.perf_counter() - started:.1f} s")


def _life(rnd, now, beijing, *, found_at, found_on, level, deadline):
    """A plausible history: registered, then maybe submitted and closed, and escalated if left overdue."""
    age_days = (now - found_at).days
    roll = rnd.random()
    if (age_days > 60 and roll < 0.95) or roll < 0.6:
        status = "closed"
    elif roll < 0.7:
        status = "submitted"
    else:
        status = "open"
    closed_at = None
    events = [("registered", "", "open", found_at, {"level": level, "deadline": deadline.isoformat()})]
    if status in {"submitted", "closed"}:
        done = min(found_at + dt.timedelta(days=rnd.randint(1, 25), hours=rnd.randint(0, 23)), now)
        submit_at = max(found_at + dt.timedelta(minutes=1), done - dt.timedelta(hours=6))
        events.append(("submit", "open", "submitted", submit_at, {"note": "已整改"}))
        if status == "closed":
            closed_at = max(done, submit_at + dt.timedelta(minutes=1))
            events.append(("close", "submitted", "closed", closed_at, {"note": "复查合格"}))
    today = now.astimezone(beijing).date()
    escalation = 0
    if level == "major":
        late_from = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(1), tzinfo=beijing)
        if late_from < (closed_at or now) and late_from <= now:
            escalation = 1
            events.append(("escalate", "", "", late_from, {"level": [0, 1], "reason": "逾期"}))
    events.sort(key=lambda e: e[3])
    return status, closed_at, escalation, events, status != "closed" and deadline < today


def generate(args) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from zhiben.core import search
    from zhiben.core.timeutils import BEIJING
    from zhiben.hazards.history import event_hash
    from zhiben.hazards.models import STOCK_CUTOFF
    from zhiben.hazards.spans import derive_intervals
    from zhiben.registry.factories import make_uscc
    from zhiben.registry.models import Enterprise, Project, Region
    from zhiben.standards.models import StandardItem

    rnd = random.Random(args.seed)
    regions = list(Region.objects.filter(pk__in=COUNTIES).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        tables = ["hazards_hazardtally", "hazards_hazardspan", "hazards_hazardevent", "hazards_attachment",
                  "hazards_rectification", "hazards_extensionrequest", "hazards_rectificationnotice_hazards",
                  "hazards_rectificationnotice", "hazards_hazard"]
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    Project.objects.filter(name__startswith="基准项目").delete()
    Enterprise.objects.filter(name__startswith="基准建设").delete()
    t = time.perf_counter()
    enterprises = Enterprise.objects.bulk_create([
        Enterprise(name=f"基准建设工程有限公司{n}", uscc=make_uscc(900_000 + n, regions[n % len(regions)]),
                   region_id=regions[n % len(regions)]) for n in range(args.enterprises)
    ], batch_size=2000)
    projects = Project.objects.bulk_create([
        Project(name=f"基准项目{n}", region_id=regions[n % len(regions)], address="基准地址",
                contractor=enterprises[rnd.randrange(len(enterprises))]) for n in range(args.projects)
    ], batch_size=2000)
    print(f"{len(enterprises)} enterprises, {len(projects)} projects: {time.perf_counter() - t:.1f} s")
    names = {enterprise.pk: enterprise.name for enterprise in enterprises}
    items = {
        version: list(StandardItem.objects.filter(standard__code="hazard-determination", standard__version=version)
                      .values_list("pk", flat=True))
        for version in ("2022", "2024")
    }
    now = timezone.now()
    start = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    window = int((now - start).total_seconds()) - 3600
    serial: dict[tuple[int, int], int] = {}
    hazards_txt, events_txt, spans_txt = [], [], []
    t = time.perf_counter()
    for n in range(args.hazards):
        hazard_id = n + 1  # TRUNCATE … RESTART IDENTITY above: COPY assigns ids in row order
        project = projects[rnd.randrange(len(projects))]
        found_at = start + dt.timedelta(seconds=rnd.randrange(window))
        found_on = found_at.astimezone(BEIJING).date()
        level = "major" if rnd.random() < 0.3 else "general"
        deadline = found_on + dt.timedelta(days=15 if level == "major" else 7)
        status, closed_at, escalation, events, overdue = _life(
            rnd, now, BEIJING, found_at=found_at, found_on=found_on, level=level, deadline=deadline)
        key = (project.region_id, found_on.year)
        serial[key] = serial.get(key, 0) + 1
        code = f"YH{project.region_id}{found_on.year}{serial[key]:06d}"
        version = "2022" if found_on < dt.date(2024, 12, 13) else "2024"
        item = rnd.choice(items[version]) if level == "major" and items[version] else None
        channel = rnd.choice(CHANNELS)
        is_stock = found_on <= STOCK_CUTOFF
        escalated_at = next((e[3] for e in events if e[0] == "escalate"), None)
        prev = ""
        fake_events = []
        for seq, (action, frm, to, moment, data) in enumerate(events, start=1):
            digest = event_hash(code=code, seq=seq, action=action, actor_id=None, actor_name="系统", at=moment,
                                effective_at=moment, from_status=frm, to_status=to, data=data, prev_hash=prev)
            events_txt.append(_line((hazard_id, seq, action, "系统", moment, moment, frm, to,
                                     json.dumps(data, ensure_ascii=False), prev, digest)))
            prev = digest
            fake_events.append(SimpleNamespace(seq=seq, action=action, to_status=to, effective_at=moment, data=data))
        description, location = rnd.choice(DESCRIPTIONS), f"{rnd.randint(1, 30)}#楼"
        # The search document as the services write it (zhiben/hazards/search.py).
        doc = search.document(description, location, project.name, names[project.contractor_id])
        hazards_txt.append(_line((
            code, project.pk, project.contractor_id, project.region_id, channel, level, item,
            description, location, found_at, found_on, is_stock, deadline, deadline,
            status, closed_at, escalation, escalated_at, deadline + dt.timedelta(days=1) if overdue else None,
            found_at if level == "major" else None, None, None, channel, found_at, "", found_at, now, prev,
            doc, search.bigram_vector(doc),
        )))
        for state, valid_from, valid_to in derive_intervals(fake_events):
            spans_txt.append(_line((hazard_id, project.region_id, project.contractor_id, project.pk, is_stock,
                                    found_on, state.level or level, state.status, state.deadline or deadline,
                                    state.escalation_level, valid_from, valid_to)))
    print(f"{args.hazards} hazards, {len(events_txt)} events, {len(spans_txt)} state intervals generated: "
          f"{time.perf_counter() - t:.1f} s")
    raw = connection.connection
    with transaction.atomic(), raw.cursor() as cur:
        for table, cols, lines in (("hazards_hazard", HAZARD_COLS, hazards_txt),
                                   ("hazards_hazardevent", EVENT_COLS, events_txt),
                                   ("hazards_hazardspan", SPAN_COLS, spans_txt)):
            t = time.perf_counter()
            with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for chunk in range(0, len(lines), 20000):
                    copy.write("".join(lines[chunk:chunk + 20000]))
            print(f"COPY {table}: {len(lines)} rows, {time.perf_counter() - t:.1f} s")
    from zhiben.hazards import tallies

    t = time.perf_counter()
    print(f"{tallies.rebuild()} current-state tallies: {time.perf_counter() - t:.1f} s")
    from zhiben.core.timeutils import beijing_today
    from zhiben.hazards import snapshots

    t = time.perf_counter()
    days = snapshots.build(dt.date(2022, 1, 1), beijing_today() - dt.timedelta(days=1))
    print(f"closing tallies of {len(days)} past days: {time.perf_counter() - t:.1f} s")
    # Hazard codes continue where the generated ones end (services number them with these counters).
    from zhiben.core.models import Counter

    for (region, year), last in serial.items():
        Counter.objects.update_or_create(key=f"hazard:{region}:{year}", defaults={"value": last})
    with connection.cursor() as cursor:
        t = time.perf_counter()
        cursor.execute("ANALYZE hazards_hazard; ANALYZE hazards_hazardevent; ANALYZE hazards_hazardspan;")
        print(f"analyze: {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
