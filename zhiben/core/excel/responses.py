"""HTTP responses shared by every Excel import page: workbook downloads and the annotated error report."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from zhiben.core.errors import Forbidden, TooLarge
from zhiben.core.excel.workbooks import error_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content, filename: str) -> FileResponse:
    """A workbook download from bytes or an open binary file; never cached (it may hold personal data)."""
    handle = BytesIO(content) if isinstance(content, bytes | bytearray) else content
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


def start_upload(form, start, *, detail_url: str):
    """Validate an upload form and start its import job with `start(cleaned_data)`.

    Answers (redirect to the job page, 302) or (None, status) for the form page to show again with the error on
    its file field: 400 for an invalid form or workbook, 413 for a file over the size limit. A caller the service
    refuses gets 403.
    """
    if not form.is_valid():
        return None, 400
    try:
        job = start(form.cleaned_data)
    except TooLarge as exc:
        form.add_error("file", exc.message)
        return None, 413
    except ValidationError as exc:
        form.add_error("file", exc.messages)
        return None, 400
    except Forbidden:
        raise PermissionDenied from None
    return redirect(detail_url, pk=job.pk), 302


def error_report_response(request, job, *, back_to: str):
    """The uploaded workbook with its wrong cells highlighted and an error column (错误说明); if openpyxl
    cannot rewrite the file, back to the job page where the errors are listed."""
    try:
        with job.file.open("rb") as fh:
            content = error_report(fh, sheet_name=job.summary.get("sheet", ""),
                                   header_row=job.summary.get("header_row", 1), errors=job.errors)
    except Exception:  # any failure to rewrite the user's file: the page still lists every error
        messages.error(request, _("The error report could not be made from this file; the errors are listed "
                                  "below."))
        return redirect(back_to, pk=job.pk)
    stem = PurePath(job.original_name or "import").stem
    return xlsx_response(content, _("%(name)s - errors.xlsx") % {"name": stem})


def mapping_page(request, job, *, kind, app: str, start, detail_url: str, template: str, context: dict):
    """The column-mapping step of a job waiting for it (core/excel/mapping.py): GET shows one choice per column
    of the file, proposed from the user's last mapping and the known headers; a valid POST records the mapping,
    remembers it and queues the job again, then back to the job's page. `context` adds the page's own values
    (breadcrumbs, titles) to the template's."""
    from django.shortcuts import render

    from zhiben.core.excel import mapping

    if job.status != type(job).Status.MAPPING:
        return redirect(detail_url, pk=job.pk)
    headers = {int(i): h for i, h in (job.summary.get("headers") or {}).items()}
    proposal = {int(i): f for i, f in (job.summary.get("guess") or {}).items()}
    form = mapping.MappingForm(request.POST or None, kind=kind, headers=headers, initial_mapping=proposal)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            mapping.mapping_choose(actor=request.user, job=job, kind=kind, app=app,
                                   mapping=form.cleaned_data["mapping"], start=start, request=request)
            return redirect(detail_url, pk=job.pk)
        status = 400
    return render(request, template, {
        **context, "job": job, "form": form, "kind": kind, "help": mapping.MAPPING_HELP,
        "required": [c.header_text() for c in kind.importable_columns if c.required],
        "header_row": job.summary.get("header_row"), "sheet": job.summary.get("sheet"),
    }, status=status)
