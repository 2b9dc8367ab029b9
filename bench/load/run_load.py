"""The HTTP load run, end to end: prepare accounts, start the server, run locust, stop, print the figures.

    # locust is a bench tool, not a runtime dependency: .venv/bin/pip install -e '.[bench]'
    # PostgreSQL + gunicorn (4 workers × 4 threads, as docs/deployment.md), 50 users of the realistic mix, 60 s:
    .venv/bin/python bench/load/run_load.py postgres --database-url postgres://postgres@127.0.0.1:5432/zhiben_bench
    # Embedded default (SQLite, `manage.py serve`) on a fresh demo county, 20 concurrent writers, 60 s:
    .venv/bin/python bench/load/run_load.py sqlite

Loopback only. Prints requests/s, p50/p95 per endpoint and the error count; exits 1 if any request failed or the
server logged "database is locked" or a traceback. The locust CSVs and the server log stay in --workdir.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PY = sys.executable


def run(argv: list[str], env: dict) -> None:
    print("$", " ".join(argv), flush=True)
    subprocess.run(argv, cwd=ROOT, env=env, check=True)  # noqa: S603  (fixed argv, no shell)


def wait_ready(port: int, token: str, timeout: float = 90) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/regions/141122/",
                                     headers={"Authorization": f"Token {token}"})
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  (loopback URL)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server on port {port} did not answer within {timeout:.0f} s")


def children_cpu() -> float:
    """CPU seconds of every finished, reaped descendant (gunicorn's workers are reaped by its master)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(prefix: Path, server_log: Path, server_cpu: float, locust_cpu: float) -> int:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8")))
    print(f"\n{'endpoint':<28} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{name:<28} {int(row['Request Count']):>9,} {int(row['Failure Count']):>7} "
              f"{float(row['Requests/s']):>8.1f} {row['50%']:>8} {row['95%']:>8} "
              f"{float(row['Max Response Time']):>8.0f}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures = int(total["Failure Count"])
    print(f"\nserver CPU {server_cpu:.0f} s ({int(total['Request Count']) / server_cpu:.0f} requests per server "
          f"CPU-second), locust CPU {locust_cpu:.0f} s, load average at the end {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    failures_csv = prefix.parent / f"{prefix.name}_failures.csv"
    if failures and failures_csv.exists():
        print("\nfailures:")
        for row in csv.DictReader(failures_csv.open(encoding="utf-8")):
            print(f"  {row['Occurrences']:>5} × {row['Method']} {row['Name']}: {row['Error'][:200]}")
    log = server_log.read_text(encoding="utf-8", errors="replace")
    locked, tracebacks = log.count("database is locked"), log.count("Traceback")
    print(f"\nerrors: {failures} failed requests; server log: {locked} 'database is locked', {tracebacks} tracebacks")
    return 1 if failures or locked or tracebacks else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["postgres", "sqlite"])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--users", type=int, help="simulated users (default 50 for postgres, 20 for sqlite)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (postgres mode)")
    parser.add_argument("--workdir", default=str(ROOT / "var" / "load"))
    args = parser.parse_args()

    workdir = Path(args.workdir) / args.mode
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"}
    env.pop("REDIS_URL", None)
    if args.mode == "postgres":
        if not args.database_url.startswith("postgres"):
            raise SystemExit("postgres mode needs --database-url postgres://… (a migrated ledger)")
        env["DATABASE_URL"] = args.database_url
        env["ZHIBEN_VAR_DIR"] = str(workdir / "var")
        users, user_class = args.users or 50, "Regulator"
    else:
        env.pop("DATABASE_URL", None)
        if workdir.exists():
            shutil.rmtree(workdir)
        env["ZHIBEN_VAR_DIR"] = str(workdir / "var")
        users, user_class = args.users or 20, "Writer"
    workdir.mkdir(parents=True, exist_ok=True)
    if args.mode == "sqlite":  # the embedded default as `make run` builds it
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PY, "manage.py", "load_demo", "-v0"], env)
    fixture = workdir / "fixture.json"
    run([PY, str(HERE / "prepare.py"), "--users", str(users), "--out", str(fixture)], env)

    if args.mode == "postgres":
        server_argv = [PY, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
                       "--workers", str(args.workers), "--threads", "4", "--timeout", "120"]
    else:
        server_argv = [PY, "manage.py", "serve", "--host", "127.0.0.1", "--port", str(args.port)]
    server_log = workdir / "server.log"
    print("$", " ".join(server_argv), f"> {server_log}", flush=True)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    cpu_start = children_cpu()
    with server_log.open("w") as log:
        server = subprocess.Popen(server_argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                                  start_new_session=True)
    try:
        wait_ready(args.port, json.loads(fixture.read_text())["tokens"][0])
        prefix = workdir / "locust"
        locust_start = children_cpu()
        run([str(Path(PY).with_name("locust")), "-f", str(HERE / "locustfile.py"), "--headless", "--only-summary",
             "-u", str(users), "-r", str(users), "-t", f"{args.seconds}s", "--stop-timeout", "10",
             "--host", f"http://127.0.0.1:{args.port}", "--csv", str(prefix), "--exit-code-on-error", "0",
             "--loglevel", "WARNING", user_class], {**env, "LOAD_FIXTURE": str(fixture)})
        locust_cpu = children_cpu() - locust_start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    print(f"\n{args.mode}: {users} users ({user_class}), {args.seconds} s, server: {' '.join(server_argv[1:])}")
    sys.exit(report(prefix, server_log, children_cpu() - cpu_start - locust_cpu, locust_cpu))


if __name__ == "__main__":
    main()
