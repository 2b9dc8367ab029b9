"""Accounts and ids for the HTTP load run (bench/load/run_load.py calls it; it can run alone).

    .venv/bin/python bench/load/prepare.py --users 50 --out var/load/fixture.json

Creates (or reuses) `--users` county inspectors of 141122 (`load_inspector_NN`, each with an API token) in the
database the settings point at (DATABASE_URL, or the embedded SQLite default), and writes their tokens plus a
sample of the county's project and hazard ids to a JSON file the locustfile reads. Works on the 10^6 benchmark
ledger (bench/generate_ledger.py) and on the demo county (manage.py load_demo).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

REGION = 141122


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sample", type=int, default=2000, help="hazard ids to read at random")
    args = parser.parse_args()

    import django

    django.setup()
    from rest_framework.authtoken.models import Token

    from zhiben.accounts.models import User
    from zhiben.hazards.models import Hazard
    from zhiben.registry.models import Project

    tokens = []
    for i in range(1, args.users + 1):
        user, _ = User.objects.get_or_create(username=f"load_inspector_{i:02d}", defaults={"role": "inspector"})
        user.role, user.region_id, user.is_active = "inspector", REGION, True
        user.set_unusable_password()
        user.save()
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    someone = User.objects.get(username="load_inspector_01")
    projects = list(Project.objects.visible_to(someone).order_by("pk").values_list("pk", flat=True)[:500])
    hazards = list(Hazard.objects.visible_to(someone).order_by("-pk").values_list("pk", flat=True)[:args.sample])
    if not projects or not hazards:
        raise SystemExit(f"county {REGION}: {len(projects)} projects, {len(hazards)} hazards; load a ledger first")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"region": f"{REGION:06d}", "tokens": tokens,
                                          "projects": projects, "hazards": hazards}))
    print(f"{len(tokens)} inspectors of {REGION}, {len(projects)} projects, {len(hazards)} hazards → {args.out}")


if __name__ == "__main__":
    main()
