"""The job lifecycle: progress, polling, and the background entry points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhiben.registry.excel.jobs import import_job_create
from zhiben.registry.factories import make_uscc
from zhiben.registry.models import Enterprise, ImportJob
from zhiben.registry.tasks import import_housekeeping, run_import, start_import

from .conftest import upload, xlsx

pytestmark = pytest.mark.django_db


def queued(user, rows=None) -> ImportJob:
    content = xlsx(rows if rows is not None else [["甲", make_uscc(1), 141122]], kind="enterprises")
    return import_job_create(actor=user, kind="enterprises", upload=upload(content))


def test_a_pending_job_page_polls_every_second(client, regulator):
    job = queued(regulator)
    client.force_login(regulator)
    page = client.get(f"/registry/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-status="pending"' in page
    partial = client.get(f"/registry/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<div id=\"import-job\"") and "<html" not in partial


def test_progress_is_shown_while_validating_and_polling_stops_at_the_end(client, regulator):
    job = queued(regulator)
    ImportJob.objects.filter(pk=job.pk).update(status="validating", total_rows=400, processed_rows=100)
    client.force_login(regulator)
    partial = client.get(f"/registry/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="25"' in partial and "every 1s" in partial
    ImportJob.objects.filter(pk=job.pk).update(status="pending", total_rows=0, processed_rows=0)
    run_import(job.pk)
    partial = client.get(f"/registry/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="succeeded"' in partial and "hx-trigger" not in partial


def test_validation_reports_progress_as_it_goes(regulator, monkeypatch):
    from zhiben.registry.excel import importer

    seen = []
    original = importer.validate

    def spy(*args, progress=None, **kwargs):
        def record(n):
            seen.append(n)
            progress(n)

        return original(*args, progress=record, every=2, **kwargs)

    monkeypatch.setattr(importer, "validate", spy)
    job = queued(regulator, [[f"公司{i}", make_uscc(i + 1), 141122] for i in range(5)])
    run_import(job.pk)
    assert seen == [2, 4, 5]
    job.refresh_from_db()
    assert job.status == "succeeded" and job.processed_rows == 5


def test_running_a_job_twice_does_nothing_the_second_time(regulator):
    job = queued(regulator)
    run_import(job.pk)
    run_import(job.pk)
    assert Enterprise.objects.filter(uscc=make_uscc(1)).count() == 1
    assert ImportJob.objects.get(pk=job.pk).status == "succeeded"


def test_an_unexpected_crash_ends_the_job_as_failed(regulator, monkeypatch):
    from zhiben.registry.excel import importer

    monkeypatch.setattr(importer, "validate", lambda *a, **k: 1 / 0)
    job = queued(regulator)
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["row"] is None and job.finished_at is not None


def test_the_thread_runner_starts_a_thread(regulator, settings, monkeypatch):
    started = []

    class FakeThread:
        def __init__(self, target, args, name, daemon):
            started.append((target.__name__, args, daemon))

        def start(self):
            started.append("started")

    settings.REGISTRY_IMPORT_RUNNER = "thread"
    monkeypatch.setattr("zhiben.registry.tasks.threading.Thread", FakeThread)
    start_import(42)
    assert started == [("_run_in_thread", (42,), True), "started"]


def test_housekeeping_starts_forgotten_jobs_and_fails_stalled_ones(regulator):
    forgotten = queued(regulator)
    stalled = queued(regulator, [["乙", make_uscc(2), 141122]])
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.filter(pk=forgotten.pk).update(created_at=long_ago)
    ImportJob.objects.filter(pk=stalled.pk).update(status="validating", updated_at=long_ago)
    import_housekeeping()
    assert ImportJob.objects.get(pk=forgotten.pk).status == "succeeded"
    stalled.refresh_from_db()
    assert stalled.status == "failed" and stalled.errors


def test_housekeeping_deletes_old_uploads(regulator):
    from pathlib import Path

    job = queued(regulator)
    run_import(job.pk)
    path = Path(job.file.path)
    assert path.exists()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=365))
    import_housekeeping()
    assert not path.exists() and ImportJob.objects.get(pk=job.pk).file.name == ""


def test_the_audit_log_records_the_import(regulator):
    from zhiben.core.models import AuditLog

    job = queued(regulator)
    run_import(job.pk)
    events = list(AuditLog.objects.filter(object_id=str(job.pk), object_type="registry.importjob")
                  .values_list("event", flat=True))
    assert sorted(events) == ["registry.import_queued", "registry.import_succeeded"]
    assert AuditLog.objects.filter(event="enterprise.saved").count() == 1
