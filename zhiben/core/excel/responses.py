"""HTTP responses shared by every Excel import page: workbook downloads and the annotated error report."""

from __future__ import annotations

from io import BytesIO
from pathlib import PurePath

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from zhiben.core.excel.workbooks import error_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content, filename: str) -> FileResponse:
    """A workbook download from bytes or an open binary file; never cached (it may hold personal data)."""
    handle = BytesIO(content) if isinstance(content, bytes | bytearray) else content
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


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
