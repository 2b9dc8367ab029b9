"""At scale the periodic jobs run on Celery workers with Redis as broker: the overdue job sent as `run_job`
through a real Redis reaches a worker, runs, and its result comes back through the Redis result backend."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from django.utils import timezone

from config.celery import app, run_job
from conftest import REDIS_TEST_URL
from zhiben.hazards.models import Hazard

# serialized_rollback: the flush after a transactional test must not take the regions and standards loaded by
# migrations away from the tests that follow.
pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def redis_app():
    """The project's Celery app pointed at the test Redis database (restored afterwards)."""
    keys = ("broker_url", "result_backend", "task_always_eager")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(broker_url=REDIS_TEST_URL, result_backend=REDIS_TEST_URL, task_always_eager=False)
    app.control.purge()  # a message left by an interrupted run would otherwise reach this test's worker
    try:
        yield app
    finally:
        app.conf.update(saved)


def _close_worker_connections(**kwargs):
    # The task ran in the worker's thread with its own database connection: close it there, so nothing holds
    # the test database open when it is flushed or dropped.
    connections.close_all()


def test_the_overdue_job_runs_on_a_celery_worker_through_redis(register, redis_app):
    # Dates relative to today: the worker thread runs on the real clock (a frozen clock would stall the broker).
    today = timezone.localdate()
    hazard = register(found_at=timezone.now() - dt.timedelta(days=3), deadline=today - dt.timedelta(days=1))
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            result = run_job.delay("zhiben.hazards.tasks.mark_overdue")
            assert result.get(timeout=60) == {"overdue": 1, "escalated": 1}
    finally:
        task_postrun.disconnect(_close_worker_connections)
    hazard.refresh_from_db()
    assert hazard.escalation_level == 1
    assert hazard.overdue_marked_on is not None
    assert list(Hazard.objects.get(pk=hazard.pk).events.values_list("action", flat=True))[-2:] == [
        "overdue", "escalate"]
