"""Registry import jobs: accepting an upload, and running it (validate everything, then write everything or
nothing) with the shared runner of core/excel/jobs.py.

`import_job_create` is what the page calls; `import_job_run` is what `registry.tasks.run_import` calls in the
background. Progress is saved outside any transaction so the page can poll it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden
from zhiben.core.excel.jobs import ImportRunner, check_upload
from zhiben.core.scoping import scope_of
from zhiben.registry.excel import importer
from zhiben.registry.excel.kinds import KINDS, Kind, get_kind
from zhiben.registry.models import ImportJob
from zhiben.registry.services import can_write_registry

__all__ = ["can_import", "check_upload", "import_job_create", "import_job_run", "importable_kinds",
           "require_import"]


def can_import(user) -> bool:
    """Registry writers may import: regulator admins, inspectors, enterprise and project users (not leaders
    or experts)."""
    return bool(user and user.is_authenticated and user.is_active and can_write_registry(user)
                and scope_of(user).kind != "none")


def importable_kinds(user) -> list[Kind]:
    if not can_import(user):
        return []
    scope = scope_of(user)
    return [kind for kind in KINDS.values() if kind.can_import(scope)]


def require_import(user, kind: Kind | None = None) -> None:
    if not can_import(user) or (kind is not None and not kind.can_import(scope_of(user))):
        raise Forbidden(_("Your role may not import this data."))


@transaction.atomic
def import_job_create(*, actor, kind: str, upload, request=None) -> ImportJob:
    """Store the upload under a generated name and queue its import; the job belongs to the actor's scope."""
    spec = get_kind(kind)
    require_import(actor, spec)
    check_upload(upload)
    scope = scope_of(actor)
    job = ImportJob(
        kind=spec.code, created_by=actor, original_name=(upload.name or "")[-200:],
        region_id=scope.region if scope.kind == "region" else None,
        enterprise_id=scope.enterprise if scope.kind == "enterprise" else None,
        project_id=scope.project if scope.kind == "project" else None,
    )
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    audit("registry.import_queued", actor=actor, obj=job, request=request, kind=spec.code,
          file=job.original_name, size=upload.size)
    from zhiben.registry.tasks import start_import

    transaction.on_commit(lambda: start_import(job.pk))
    return job


def _may_import(actor, kind: Kind) -> bool:
    return can_import(actor) and kind.can_import(scope_of(actor))


# validate and write_all are looked up in registry.excel.importer when called (tests replace them there).
_runner = ImportRunner(
    model=ImportJob, app="registry", get_kind=get_kind, may_import=_may_import,
    validate=lambda *args, **kwargs: importer.validate(*args, **kwargs),
    write_all=lambda *args, **kwargs: importer.write_all(*args, **kwargs), maps_columns=True,
)


def import_job_run(job_id: int) -> ImportJob | None:
    """Claim a pending job and run it to `succeeded` or `failed` (core/excel/jobs.py). A job already claimed is
    left alone, so running it twice (a retry, a second worker) does no harm."""
    return _runner.run(job_id)
