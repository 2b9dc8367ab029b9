"""The life of a ledger import job: polling, running twice, a crash, and the periodic housekeeping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhiben.core.tasks import PERIODIC_JOBS, import_housekeeping
from zhiben.hazards.excel.jobs import import_job_create, import_job_run
from zhiben.hazards.excel.models import HazardImportJob
from zhiben.hazards.models import Hazard

from .conftest import ledger_row, upload, xlsx

pytestmark = pytest.mark.django_db


def queued(user, project, rows=None) -> HazardImportJob:
    """A job accepted but not started (its on_commit start is never run here)."""
    return import_job_create(actor=user, upload=upload(xlsx(rows or [ledger_row(project)])))


def test_a_pending_job_page_polls_and_its_partial_is_the_status_alone(client, regulator, project):
    job = queued(regulator, project)
    client.force_login(regulator)
    page = client.get(f"/hazards/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page and 'data-status="pending"' in page
    partial = client.get(f"/hazards/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-job"') and "<html" not in partial
    HazardImportJob.objects.filter(pk=job.pk).update(status="validating", total_rows=400, processed_rows=100)
    partial = client.get(f"/hazards/import/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'aria-valuenow="25"' in partial


def test_running_a_job_twice_imports_once(regulator, project):
    job = queued(regulator, project)
    import_job_run(job.pk)
    import_job_run(job.pk)
    assert Hazard.objects.count() == 1
    assert HazardImportJob.objects.get(pk=job.pk).status == "succeeded"


def test_a_crash_ends_the_job_as_failed_with_nothing_written(regulator, project, monkeypatch):
    from zhiben.hazards.excel.ledger import LedgerKind

    def broken(self, row, ctx):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(LedgerKind, "write", broken)
    job = queued(regulator, project)
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors[0]["row"] is None and job.finished_at is not None
    assert Hazard.objects.count() == 0


def test_a_failure_while_writing_undoes_the_rows_already_written(regulator, project, monkeypatch):
    from zhiben.core.errors import Conflict
    from zhiben.hazards.excel.ledger import LedgerKind

    original = LedgerKind.write

    def write(self, row, ctx):
        if row.number == 3:
            raise Conflict("写入时冲突")
        return original(self, row, ctx)

    monkeypatch.setattr(LedgerKind, "write", write)
    job = queued(regulator, project, [ledger_row(project), ledger_row(project, description="第二条")])
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.errors == [{"row": 3, "col": None, "column": "", "message": "写入时冲突"}]
    assert Hazard.objects.count() == 0


def test_a_role_changed_after_the_upload_is_refused_when_the_job_runs(regulator, project):
    job = queued(regulator, project)
    regulator.role = "leader"
    regulator.save()
    import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and Hazard.objects.count() == 0


def test_housekeeping_starts_forgotten_jobs_and_fails_stalled_ones(regulator, project):
    assert ("core.import_housekeeping", "zhiben.core.tasks.import_housekeeping", 300) in PERIODIC_JOBS
    forgotten = queued(regulator, project)
    stalled = queued(regulator, project, [ledger_row(project, description="另一条")])
    long_ago = timezone.now() - dt.timedelta(hours=2)
    HazardImportJob.objects.filter(pk=forgotten.pk).update(created_at=long_ago)
    HazardImportJob.objects.filter(pk=stalled.pk).update(status="validating", updated_at=long_ago)
    import_housekeeping()
    assert HazardImportJob.objects.get(pk=forgotten.pk).status == "succeeded"
    stalled.refresh_from_db()
    assert stalled.status == "failed" and stalled.errors


def test_housekeeping_deletes_old_uploads(regulator, project):
    from pathlib import Path

    job = queued(regulator, project)
    import_job_run(job.pk)
    path = Path(job.file.path)
    assert path.exists()
    HazardImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=365))
    import_housekeeping()
    assert not path.exists() and HazardImportJob.objects.get(pk=job.pk).file.name == ""


def test_the_thread_runner_starts_a_thread(settings, monkeypatch):
    from zhiben.core.excel import jobs

    started = []

    class FakeThread:
        def __init__(self, target, args, name, daemon):
            started.append((target.__name__, args, daemon))

        def start(self):
            started.append("started")

    settings.EXCEL_IMPORT_RUNNER = "thread"
    monkeypatch.setattr(jobs.threading, "Thread", FakeThread)
    jobs.start("zhiben.hazards.excel.jobs.import_job_run", 42)
    assert started == [("_run_in_thread", ("zhiben.hazards.excel.jobs.import_job_run", 42), True), "started"]
