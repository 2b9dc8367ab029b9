"""Running an import job: validate everything, then write everything or nothing, with progress the page polls.

An app builds one `ImportRunner` over its concrete job model (core/excel/models.py) and calls `run(job_id)`
in the background (`start` below). Progress is saved outside any transaction so the page can poll it; whatever
happens, the job ends `succeeded` or `failed`, and is audited as `<app>.import_succeeded|failed`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhiben.core.audit import audit
from zhiben.core.errors import TooLarge
from zhiben.core.excel import importer, mapping
from zhiben.core.excel.kinds import Kind
from zhiben.core.excel.reader import FileError, check_xlsx, max_upload_bytes, read_sheet

log = logging.getLogger("zhiben.excel.import")


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


def file_error(message: str) -> list[dict]:
    return [{"row": None, "col": None, "column": "", "message": str(message)}]


@dataclass
class ImportRunner:
    """The life of one job of `model`: claim it, read the sheet, validate every row, write all rows or none.

    `get_kind` maps the job's kind code to its Kind; `may_import(actor, kind)` is asked again when the job runs
    (the uploader's role may have changed); `validate` and `write_all` default to core/excel/importer.py.
    """

    model: Any
    app: str  # the audit events' prefix
    get_kind: Callable[[str], Kind]
    may_import: Callable[[Any, Kind], bool]
    validate: Callable[..., importer.Validation] | None = None
    write_all: Callable[..., dict[str, int]] | None = None
    # True: a file whose headers lack required columns waits for the column-mapping step (core/excel/mapping.py)
    # instead of failing; the app's pages must then offer that step.
    maps_columns: bool = False

    def progress(self, job_id: int) -> importer.Progress:
        def save(processed: int) -> None:
            self.model.objects.filter(pk=job_id).update(processed_rows=processed, updated_at=timezone.now())

        return save

    def finish(self, job, *, status: str, errors=None, summary=None) -> None:
        job.status = status
        job.errors = importer.cap(errors or [])
        job.summary = {**job.summary, **(summary or {})}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "errors", "summary", "finished_at", "processed_rows", "total_rows",
                                "updated_at"])
        outcome = "succeeded" if status == self.model.Status.SUCCEEDED else "failed"
        audit(f"{self.app}.import_{outcome}", actor=job.created_by, obj=job, kind=job.kind, rows=job.total_rows,
              errors=len(job.errors), **(summary or {}))

    def wait_for_mapping(self, job, sheet, kind: Kind) -> None:
        """Stop before any row is read: the job waits for the user to map the file's columns."""
        memory = mapping.remembered(job.created_by, mapping.mapping_key(self.app, kind))
        job.status = self.model.Status.MAPPING
        job.summary = {"sheet": sheet.title, "header_row": sheet.header_row,
                       "headers": {str(i): h for i, h in sheet.headers.items()},
                       "guess": {str(i): f for i, f in mapping.guess(kind, sheet.headers, memory).items()}}
        job.save(update_fields=["status", "summary", "updated_at"])

    def run(self, job_id: int):
        """Claim a pending job and run it to `succeeded` or `failed`. A job already claimed is left alone, so
        running it twice (a retry, a second worker) does no harm."""
        Status = self.model.Status
        claimed = self.model.objects.filter(pk=job_id, status=Status.PENDING).update(
            status=Status.VALIDATING, started_at=timezone.now(), updated_at=timezone.now())
        if not claimed:
            return None
        job = self.model.objects.select_related("created_by").get(pk=job_id)
        with translation.override(settings.LANGUAGE_CODE):
            try:
                self._run(job)
            except Exception:  # the job must end in a final state whatever happens; the cause goes to the log
                log.exception("%s import job %s crashed", self.app, job_id)
                self.finish(job, status=Status.FAILED, errors=file_error(
                    _("The import stopped because of an internal error; nothing was saved. Please try again or "
                      "contact the administrator.")))
        return job

    def _run(self, job) -> None:
        Status = self.model.Status
        kind = self.get_kind(job.kind)
        actor = job.created_by
        if actor is None or not self.may_import(actor, kind):
            self.finish(job, status=Status.FAILED, errors=file_error(_("Your role may not import this data.")))
            return
        chosen = {int(i): f for i, f in (job.summary.get("mapping") or {}).items()}
        try:
            with job.file.open("rb") as fh:
                sheet = read_sheet(fh, kind.columns, mapping=chosen, sheet_name=job.summary.get("sheet", ""),
                                   header_row=job.summary.get("header_row", 0))
                # Mapping can only help when some column of the file was not recognised.
                if sheet.missing and self.maps_columns and not chosen and set(sheet.headers) - set(sheet.columns):
                    chosen = mapping.applicable_memory(
                        kind, sheet.headers, mapping.remembered(actor, mapping.mapping_key(self.app, kind))) or {}
                    if not chosen:
                        self.wait_for_mapping(job, sheet, kind)
                        return
                    job.summary = {**job.summary, "mapping": {str(i): f for i, f in chosen.items()},
                                   "mapping_remembered": True}
                    sheet = read_sheet(fh, kind.columns, mapping=chosen, sheet_name=sheet.title,
                                       header_row=sheet.header_row)
        except (FileError, OSError) as exc:
            message = exc.message if isinstance(exc, FileError) else _("The uploaded file could not be read.")
            self.finish(job, status=Status.FAILED, errors=file_error(message))
            return
        examples = [number for number, raw in sheet.rows if kind.is_example(raw)]
        sheet.rows = [(number, raw) for number, raw in sheet.rows if number not in examples]
        job.summary = {**job.summary, "sheet": sheet.title, "header_row": sheet.header_row}
        if examples:
            job.summary["example_rows"] = examples
        job.total_rows = len(sheet.rows)
        job.save(update_fields=["summary", "total_rows", "updated_at"])
        if sheet.missing:
            self.finish(job, status=Status.FAILED, errors=importer.missing_columns_errors(sheet, kind))
            return
        if not sheet.rows:
            self.finish(job, status=Status.FAILED, errors=file_error(_("The file has no data rows.")))
            return

        validate = self.validate or importer.validate
        result = validate(kind, actor, sheet, progress=self.progress(job.pk))
        job.processed_rows = job.total_rows
        if result.errors:
            self.finish(job, status=Status.FAILED, errors=result.errors,
                        summary={"bad_rows": len({e["row"] for e in result.errors})})
            return
        write_all = self.write_all or importer.write_all
        try:
            counts = write_all(kind, actor, sheet, result.rows)
        except importer.ImportFailed as exc:
            self.finish(job, status=Status.FAILED, errors=exc.errors, summary={"bad_rows": 1})
            return
        self.finish(job, status=Status.SUCCEEDED, summary=counts)


# --- Starting a job off the request -----------------------------------------------------------------------


def runner_mode() -> str:
    """`inline` (tests, management commands) or `thread` (the embedded default): EXCEL_IMPORT_RUNNER, else the
    registry's older REGISTRY_IMPORT_RUNNER."""
    return getattr(settings, "EXCEL_IMPORT_RUNNER", None) or getattr(settings, "REGISTRY_IMPORT_RUNNER", "thread")


def call(path: str, *args):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)(*args)


def _run_in_thread(path: str, job_id: int) -> None:
    try:
        call(path, job_id)
    finally:
        close_old_connections()
        from django.db import connection

        connection.close()


def start(path: str, job_id: int) -> None:
    """Run `path(job_id)` once the upload is committed: synchronously, or in a daemon thread of the web process
    (the embedded mode); the periodic housekeeping (core/tasks.py) picks up a job that never started."""
    if runner_mode() == "inline":
        call(path, job_id)
        return
    thread = threading.Thread(target=_run_in_thread, args=(path, job_id), name=f"import-{job_id}", daemon=True)
    thread.start()
