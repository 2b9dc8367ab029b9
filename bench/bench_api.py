"""Benchmark the hazard list/detail/actions and the campaign API on a generated ledger (bench/generate_ledger.py).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiben_bench
    .venv/bin/python bench/bench_api.py [--requests 200]

Requests go through the whole Django stack in-process (django.test.Client: middleware, authentication, DRF,
serialisation, PostgreSQL) with a county regulator (141122) and a province regulator (140000). Prints p50/p95
per case, SQL queries per list request at page sizes 20 and 200, and write throughput. Writes are rolled back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

from _setup import percentile, setup


def timed(client, url: str, n: int, **params) -> list[float]:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {params} answered {response.status_code}: {response.content[:300]!r}")
    return samples


def report(name: str, samples: list[float]) -> None:
    print(f"{name:<58} p50 {percentile(samples, 50):7.1f} ms   p95 {percentile(samples, 95):7.1f} ms   "
          f"(n={len(samples)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--only", choices=["campaign"], help="only the campaign cases (and back-dated writes)")
    parser.add_argument("--search-only", action="store_true", help="only the text search cases (q=)")
    args = parser.parse_args()
    setup()

    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhiben.accounts.models import User
    from zhiben.hazards import services
    from zhiben.hazards.models import Hazard, HazardEvent, HazardSnapshotDay, HazardSpan
    from zhiben.registry.models import Project, Region

    def user(username, region):
        account, _ = User.objects.get_or_create(username=username, defaults={"role": "inspector"})
        account.role, account.region = "inspector", Region.objects.get(pk=region)
        account.save()
        return account

    county, province = user("bench_county", 141122), user("bench_province", 140000)
    print(f"ledger: {Hazard.objects.count():,} hazards, {HazardEvent.objects.count():,} events, "
          f"{HazardSpan.objects.count():,} state intervals; county 141122 has "
          f"{Hazard.objects.filter(region_id=141122).count():,} hazards")
    print(f"closing tallies stored for {HazardSnapshotDay.objects.count():,} past days")
    client = Client()
    client.force_login(county)
    n = args.requests
    url = "/api/v1/hazards/"
    timed(client, url, 5)  # warm up
    if args.only == "campaign":
        campaign_cases(client, county, province, n)
        back_dated_writes(county, args.writes)
        return
    province_client = Client()
    province_client.force_login(province)
    searches = ("塔吊", "脚手架", "临时用电", "深基坑支护", "基准项目123", "QTZ80")
    if args.search_only:
        for q in searches:
            report(f"list, county, q={q}", timed(client, url, n // 4, q=q))
        for q in searches:
            report(f"list, province, q={q}", timed(province_client, url, n // 4, q=q))
        return
    report("list, county, first page", timed(client, url, n))
    report("list, county, page 200 (page_size 20)", timed(client, url, n, page=200))
    report("list, county, filters level=major&status=open&is_overdue=true",
           timed(client, url, n, level="major", status="open", is_overdue="true"))
    report("list, county, filters is_stock=false&found_from=2025-01-01, page 20",
           timed(client, url, n, is_stock="false", found_from="2025-01-01", page=20))
    # Text search (decision 0011): 2, 3, 4, 5-6 characters, Latin, a project's name
    for q in searches:
        report(f"list, county, q={q}", timed(client, url, n // 4, q=q))
    ids = list(Hazard.objects.filter(region_id=141122).order_by("?").values_list("pk", flat=True)[:n])
    samples = []
    for pk in ids:
        start = time.perf_counter()
        client.get(f"{url}{pk}/")
        samples.append((time.perf_counter() - start) * 1000)
    report("detail, county", samples)
    for size in (20, 200):
        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"page_size": size, "page": 3})
        print(f"SQL queries per list request at page_size {size}: {len(queries)}")

    province_client = campaign_cases(client, county, province, n)
    report("list, province, first page", timed(province_client, url, n // 2))
    for q in searches:
        report(f"list, province, q={q}", timed(province_client, url, n // 4, q=q))

    project = Project.objects.filter(region_id=141122).first()
    with transaction.atomic():
        start = time.perf_counter()
        created = [
            services.hazard_register(actor=county, project_id=project.pk, channel="inspection", level="general",
                                     description=f"基准写入 {i}", found_at=None, deadline=None,
                                     notify_principal=False)
            for i in range(args.writes)
        ]
        took = time.perf_counter() - start
        print(f"creation: {args.writes / took:,.0f} hazards/s ({took / args.writes * 1000:.1f} ms each)")
        start = time.perf_counter()
        for hazard in created:
            services.hazard_void(actor=county, hazard_id=hazard.pk, reason="基准")
        took = time.perf_counter() - start
        print(f"transition (void): {args.writes / took:,.0f} transitions/s ({took / args.writes * 1000:.1f} ms each)")
        transaction.set_rollback(True)
    back_dated_writes(county, args.writes // 4)
    print(f"measured on {dt.datetime.now():%Y-%m-%d %H:%M}")


def campaign_cases(client, county, province, n):
    """The campaign endpoint for today and past days; past days with stored closing tallies read those."""
    from django.test import Client

    from zhiben.core.timeutils import beijing_today

    campaign = "/api/v1/dashboard/campaign/"
    yesterday = (beijing_today() - dt.timedelta(days=1)).isoformat()
    days = ["2024-12-31", "2025-06-30", yesterday]
    report("campaign, county, today", timed(client, campaign, n))
    for day in days:
        report(f"campaign, county, as_of {day}", timed(client, campaign, n // 2, as_of=day))
    province_client = Client()
    province_client.force_login(province)
    report("campaign, province (10 counties), today", timed(province_client, campaign, n // 2))
    for day in days:
        report(f"campaign, province, as_of {day}", timed(province_client, campaign, n // 2, as_of=day))
    compare_paths(province, days, max(5, n // 10))
    return province_client


def compare_paths(province, days: list[str], n: int) -> None:
    """The selector alone, for a past day: from the closing tallies, and from the state intervals (the path of a
    day without them), at the same moment on the same machine."""
    from zhiben.dashboard import selectors
    from zhiben.registry.models import Region

    region = Region.objects.get(pk=140000)
    for day in days:
        q = selectors.Query(user=province, region=region, as_of=dt.date.fromisoformat(day))
        for name, use in (("closing tallies", True), ("intervals", False)):
            samples = []
            for _ in range(n):
                start = time.perf_counter()
                selectors.campaign(q, use_tallies=use)
                samples.append((time.perf_counter() - start) * 1000)
            report(f"selector, province, as_of {day}, {name}", samples)


def back_dated_writes(county, writes: int) -> None:
    """Registrations found a year ago: each adjusts the closing tallies of every stored day since (rolled back)."""
    from django.db import transaction
    from django.utils import timezone

    from zhiben.hazards import services
    from zhiben.registry.models import Project

    project = Project.objects.filter(region_id=141122).first()
    with transaction.atomic():
        start = time.perf_counter()
        for i in range(writes):
            services.hazard_register(actor=county, project_id=project.pk, channel="inspection", level="major",
                                     description=f"基准补录 {i}", found_at=timezone.now() - dt.timedelta(days=365),
                                     deadline=None, notify_principal=False)
        took = time.perf_counter() - start
        print(f"back-dated creation (found 365 days ago): {writes / took:,.0f} hazards/s "
              f"({took / writes * 1000:.1f} ms each)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
