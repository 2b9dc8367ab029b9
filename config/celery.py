"""Celery at scale (REDIS_URL set): workers run the same callables the embedded scheduler runs.

    celery -A config.celery worker -l info
    celery -A config.celery beat -l info

Beat's schedule is built from every app's PERIODIC_JOBS, so the two modes never drift apart.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zhiben")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="zhiben.run_job", acks_late=True)
def run_job(path: str):
    """Run one periodic job by its dotted path (jobs are idempotent, so a redelivery is harmless)."""
    from config.scheduler import call

    return call(path)


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    import django

    django.setup()
    from config.scheduler import periodic_jobs

    for name, path, every in periodic_jobs():
        sender.add_periodic_task(float(every), run_job.s(path), name=name)
