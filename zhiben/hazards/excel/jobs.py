"""Hazard ledger import jobs: accepting an upload (regulators only) and running it with the shared runner of
core/excel/jobs.py — every row validated (a dry run of the service each), then all rows written in one
transaction or none."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden, NotFound
from zhiben.core.excel import jobs as excel_jobs
from zhiben.core.excel.jobs import ImportRunner, check_upload
from zhiben.core.excel.kinds import Kind
from zhiben.core.scoping import scope_of
from zhiben.hazards.excel.ledger import LEDGER, can_import
from zhiben.hazards.excel.models import HazardImportJob

RUNNER_PATH = HazardImportJob.runner_path


def get_kind(code: str) -> Kind:
    if code != LEDGER.code:
        raise NotFound()
    return LEDGER


def require_import(user) -> None:
    if not can_import(user):
        raise Forbidden(_("Only regulators import hazard ledgers."))


def jobs_visible_to(user):
    """The import jobs of the caller's region (only regulators import, so only they see any)."""
    if not can_import(user):
        return HazardImportJob.objects.none()
    return HazardImportJob.objects.visible_to(user).select_related("created_by")


@transaction.atomic
def import_job_create(*, actor, upload, request=None) -> HazardImportJob:
    """Store the upload under a generated name and queue its import; the job belongs to the actor's region."""
    require_import(actor)
    check_upload(upload)
    scope = scope_of(actor)
    job = HazardImportJob(kind=LEDGER.code, created_by=actor, original_name=(upload.name or "")[-200:],
                          region_id=scope.region if scope.kind == "region" else None)
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    audit("hazards.import_queued", actor=actor, obj=job, request=request, kind=job.kind, file=job.original_name,
          size=upload.size)
    transaction.on_commit(lambda: start_job(job.pk))
    return job


def start_job(job_id: int) -> None:
    """Run the job off the request (core/excel/jobs.py start): after the upload, or after the column mapping."""
    excel_jobs.start(RUNNER_PATH, job_id)


_runner = ImportRunner(model=HazardImportJob, app="hazards", get_kind=get_kind,
                       may_import=lambda actor, kind: can_import(actor), maps_columns=True)


def import_job_run(job_id: int) -> HazardImportJob | None:
    """Claim a pending job and run it to `succeeded` or `failed`; running it twice does nothing the second time."""
    return _runner.run(job_id)
