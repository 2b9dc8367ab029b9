"""Benchmark the home page's work queue (待办, hazards.selectors.work_queue) on a generated ledger.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiben_bench
    .venv/bin/python bench/generate_ledger.py [--hazards N]
    .venv/bin/python bench/bench_work_queue.py [--requests 50]

Times the selector (one aggregate and one short query per item) for a county inspector (141122), a city one
(141100) and a province one (140000), and for an enterprise user of the county's busiest enterprise; prints
p50/p95, the number of queries and each item's count.
"""

from __future__ import annotations

import argparse
import time

from _setup import percentile, setup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup()

    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from zhiben.accounts.models import User
    from zhiben.hazards import selectors
    from zhiben.hazards.models import Hazard
    from zhiben.registry.models import Region

    def user(username, role, **scope):
        account, _ = User.objects.get_or_create(username=username, defaults={"role": role})
        account.role = role
        for name, value in scope.items():
            setattr(account, name, value)
        account.save()
        return account

    busiest = (Hazard.objects.filter(region_id=141122).values("enterprise_id").annotate(n=Count("pk"))
               .order_by("-n").first())
    cases = [
        ("county inspector 141122", user("bench_county", "inspector", region=Region.objects.get(pk=141122)),
         selectors.REGULATOR_TODO),
        ("city inspector 141100", user("bench_city", "inspector", region=Region.objects.get(pk=141100)),
         selectors.REGULATOR_TODO),
        ("province inspector 140000", user("bench_province", "inspector", region=Region.objects.get(pk=140000)),
         selectors.REGULATOR_TODO),
        (f"enterprise {busiest['enterprise_id']} ({busiest['n']:,} hazards)",
         user("bench_enterprise", "enterprise", enterprise_id=busiest["enterprise_id"]), selectors.OWNER_TODO),
    ]
    print(f"ledger: {Hazard.objects.count():,} hazards; county 141122 has "
          f"{Hazard.objects.filter(region_id=141122).count():,}")
    for name, account, keys in cases:
        samples = []
        for _ in range(args.requests):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                queue = selectors.work_queue(account, keys)
            samples.append((time.perf_counter() - start) * 1000)
        counts = ", ".join(f"{key} {entry['count']:,}" for key, entry in queue.items())
        print(f"{name:<40} p50 {percentile(samples, 50):7.1f} ms   p95 {percentile(samples, 95):7.1f} ms   "
              f"queries {len(queries)}   [{counts}]")


if __name__ == "__main__":
    main()
