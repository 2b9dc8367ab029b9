"""Background entry points of the registry: load by id, call the service.

Imports run off the request. In the embedded mode `start_import` runs the job in a thread of the web process
once the upload's transaction has committed; `REGISTRY_IMPORT_RUNNER = "inline"` runs it synchronously (tests,
management commands). Whatever the runner, the periodic housekeeping below picks up a job that was queued but
never started, and fails a job whose process died half-way (nothing was written: the write is all-or-nothing).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger("zhiben.registry.import")

STARTUP_GRACE = dt.timedelta(minutes=2)
STALLED_AFTER = dt.timedelta(minutes=30)
FILES_KEPT = dt.timedelta(days=90)

PERIODIC_JOBS = [("registry.import_housekeeping", "zhiben.registry.tasks.import_housekeeping", 300)]


def run_import(job_id: int) -> None:
    """Run one import job to its end (see registry/excel/jobs.py)."""
    from zhiben.registry.excel.jobs import import_job_run

    import_job_run(job_id)


def _run_in_thread(job_id: int) -> None:
    try:
        run_import(job_id)
    finally:
        close_old_connections()
        from django.db import connection

        connection.close()


def start_import(job_id: int) -> None:
    """Start a committed job: synchronously or in a daemon thread (the embedded mode)."""
    runner = getattr(settings, "REGISTRY_IMPORT_RUNNER", "thread")
    if runner == "inline":
        run_import(job_id)
        return
    thread = threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-{job_id}", daemon=True)
    thread.start()


def import_housekeeping() -> None:
    """Start jobs left pending, fail jobs stalled mid-run, and delete uploaded files past their keeping time
    (they hold resident ID numbers)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from zhiben.registry.models import ImportJob

    now = timezone.now()
    for job_id in ImportJob.objects.filter(status=ImportJob.Status.PENDING,
                                           created_at__lt=now - STARTUP_GRACE).values_list("pk", flat=True):
        run_import(job_id)
    with override(settings.LANGUAGE_CODE):
        message = _("The import was interrupted; nothing was saved. Upload the file again.")
    ImportJob.objects.filter(status=ImportJob.Status.VALIDATING, updated_at__lt=now - STALLED_AFTER).update(
        status=ImportJob.Status.FAILED, finished_at=now, updated_at=now,
        errors=[{"row": None, "col": None, "column": "", "message": message}],
    )
    for job in ImportJob.objects.filter(created_at__lt=now - FILES_KEPT).exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
