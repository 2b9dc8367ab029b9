"""Periodic jobs without any extra service (the embedded default).

Each domain app may declare `PERIODIC_JOBS = [(name, callable path, interval seconds), ...]` in its
`tasks.py`. In the embedded mode `manage.py serve` runs them in its own process beside gunicorn; at scale
Celery beat schedules the same callables on workers (config/celery.py). Jobs are idempotent and take row
locks, so a job that runs twice or on two workers at once does no harm.
"""

from __future__ import annotations

import logging
import threading
import time
from importlib import import_module

from django.apps import apps

log = logging.getLogger("zhiben.scheduler")


def periodic_jobs() -> list[tuple[str, str, int]]:
    jobs: list[tuple[str, str, int]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhiben."):
            continue
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError:
            continue
        jobs.extend(getattr(module, "PERIODIC_JOBS", []))
    return jobs


def call(path: str):
    module, func = path.rsplit(".", 1)
    return getattr(import_module(module), func)()


def run_forever(stop: threading.Event, *, tick: float = 30.0) -> None:
    from django.db import close_old_connections

    jobs = periodic_jobs()
    last: dict[str, float] = {}
    while not stop.is_set():
        now = time.monotonic()
        for name, path, every in jobs:
            if name in last and now - last[name] < every:
                continue
            last[name] = now
            try:
                call(path)
            except Exception:  # one failing job must not stop the others; it is logged and retried next tick
                log.exception("periodic job %s failed", name)
            finally:
                close_old_connections()
        stop.wait(tick)
