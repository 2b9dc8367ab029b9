"""Import jobs: accepting an upload, and running it (validate everything, then write everything or nothing).

`import_job_create` is what the page calls; `import_job_run` is what `registry.tasks.run_import` calls in the
background. Progress is saved outside any transaction so the page can poll it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden, TooLarge
from zhiben.core.scoping import scope_of
from zhiben.registry.excel import importer
from zhiben.registry.excel.kinds import KINDS, Kind, get_kind
from zhiben.registry.excel.reader import FileError, check_xlsx, max_upload_bytes, read_sheet
from zhiben.registry.models import ImportJob
from zhiben.registry.services import can_write_registry

log = logging.getLogger("zhiben.registry.import")


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


def check_upload(upload) -> None:
    """Size first (413), then the content (an .xlsx by its bytes, not by its name)."""
    if upload.size > max_upload_bytes():
        raise TooLarge(_("The file is larger than %(mb)s MB; split it into smaller files.") % {
            "mb": max_upload_bytes() // (1024 * 1024)})
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    try:
        check_xlsx(upload)
    except FileError as exc:
        raise ValidationError(exc.message) from None


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


def _progress(job_id: int):
    def save(processed: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=processed, updated_at=timezone.now())

    return save


def _finish(job: ImportJob, *, status: str, errors=None, summary=None) -> None:
    job.status = status
    job.errors = importer.cap(errors or [])
    job.summary = {**job.summary, **(summary or {})}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "finished_at", "processed_rows", "total_rows",
                            "updated_at"])
    audit("registry.import_" + ("succeeded" if status == ImportJob.Status.SUCCEEDED else "failed"),
          actor=job.created_by, obj=job, kind=job.kind, rows=job.total_rows, errors=len(job.errors),
          **(summary or {}))


def import_job_run(job_id: int) -> ImportJob | None:
    """Claim a pending job and run it to `succeeded` or `failed`. A job already claimed is left alone, so
    running it twice (a retry, a second worker) does no harm."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.VALIDATING, started_at=timezone.now(), updated_at=timezone.now())
    if not claimed:
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _run(job)
        except Exception:  # the job must end in a final state whatever happens; the cause goes to the log
            log.exception("import job %s crashed", job_id)
            _finish(job, status=ImportJob.Status.FAILED, errors=[{
                "row": None, "col": None, "column": "",
                "message": _("The import stopped because of an internal error; nothing was saved. Please try "
                             "again or contact the administrator."),
            }])
    return job


def _run(job: ImportJob) -> None:
    kind = get_kind(job.kind)
    actor = job.created_by
    if actor is None or not can_import(actor) or not kind.can_import(scope_of(actor)):
        _finish(job, status=ImportJob.Status.FAILED, errors=[{
            "row": None, "col": None, "column": "", "message": _("Your role may not import this data.")}])
        return
    try:
        with job.file.open("rb") as fh:
            sheet = read_sheet(fh, kind.columns)
    except (FileError, OSError) as exc:
        message = exc.message if isinstance(exc, FileError) else _("The uploaded file could not be read.")
        _finish(job, status=ImportJob.Status.FAILED,
                errors=[{"row": None, "col": None, "column": "", "message": message}])
        return
    job.summary = {"sheet": sheet.title, "header_row": sheet.header_row}
    job.total_rows = len(sheet.rows)
    job.save(update_fields=["summary", "total_rows", "updated_at"])
    if sheet.missing:
        _finish(job, status=ImportJob.Status.FAILED, errors=importer.missing_columns_errors(sheet, kind))
        return
    if not sheet.rows:
        _finish(job, status=ImportJob.Status.FAILED, errors=[{
            "row": None, "col": None, "column": "", "message": _("The file has no data rows.")}])
        return

    result = importer.validate(kind, actor, sheet, progress=_progress(job.pk))
    job.processed_rows = job.total_rows
    if result.errors:
        _finish(job, status=ImportJob.Status.FAILED, errors=result.errors,
                summary={"bad_rows": len({e["row"] for e in result.errors})})
        return
    try:
        counts = importer.write_all(kind, actor, sheet, result.rows)
    except importer.ImportFailed as exc:
        _finish(job, status=ImportJob.Status.FAILED, errors=exc.errors, summary={"bad_rows": 1})
        return
    _finish(job, status=ImportJob.Status.SUCCEEDED, summary=counts)
