"""Background entry points of the framework itself (read by config/scheduler.py and Celery beat).

`import_housekeeping` looks after the import jobs of every app whose job model names its runner
(core/excel/models.py `runner_path`): it starts jobs that were queued but never started (a web process that
stopped before its thread ran), fails jobs whose process died half-way (nothing was written: the write is
all-or-nothing), and deletes uploaded files past their keeping time.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.apps import apps
from django.conf import settings
from django.utils import timezone

log = logging.getLogger("zhiben.excel.import")

STARTUP_GRACE = dt.timedelta(minutes=2)
STALLED_AFTER = dt.timedelta(minutes=30)
FILES_KEPT = dt.timedelta(days=90)

PERIODIC_JOBS = [("core.import_housekeeping", "zhiben.core.tasks.import_housekeeping", 300)]


def job_models() -> list:
    from zhiben.core.excel.models import BaseImportJob

    return [m for m in apps.get_models() if issubclass(m, BaseImportJob) and m.runner_path]


def import_housekeeping() -> None:
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from zhiben.core.excel.jobs import call

    now = timezone.now()
    with override(settings.LANGUAGE_CODE):
        message = _("The import was interrupted; nothing was saved. Upload the file again.")
    for model in job_models():
        pending = model.objects.filter(status=model.Status.PENDING, created_at__lt=now - STARTUP_GRACE)
        for job_id in pending.values_list("pk", flat=True):
            call(model.runner_path, job_id)
        model.objects.filter(status=model.Status.VALIDATING, updated_at__lt=now - STALLED_AFTER).update(
            status=model.Status.FAILED, finished_at=now, updated_at=now,
            errors=[{"row": None, "col": None, "column": "", "message": message}],
        )
        for job in model.objects.filter(created_at__lt=now - FILES_KEPT).exclude(file=""):
            job.file.delete(save=False)
            model.objects.filter(pk=job.pk).update(file="")
