"""Excel pages of the hazard ledger: importing an older ledger (regulators only: upload, the job's progress and
result polled by htmx, the annotated error report, the template) and exporting the filtered list."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from zhiben.core.audit import audit
from zhiben.core.excel.reader import max_rows, max_upload_bytes
from zhiben.core.excel.responses import XLSX, error_report_response, mapping_page, start_upload, xlsx_response
from zhiben.core.excel.workbooks import template_workbook
from zhiben.core.forms import StyledFormMixin
from zhiben.core.timeutils import beijing_today
from zhiben.hazards.excel import jobs
from zhiben.hazards.excel.export import export_file
from zhiben.hazards.excel.ledger import LEDGER, can_import
from zhiben.hazards.excel.models import HazardImportJob

SHOWN_ERRORS = 200


class LedgerUploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx," + XLSX}),
    )


def _require_import(user) -> None:
    if not can_import(user):
        raise PermissionDenied


def _job_or_404(user, pk: int) -> HazardImportJob:
    return get_object_or_404(jobs.jobs_visible_to(user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_import(request.user)
    status = 200
    if request.method == "POST":
        form = LedgerUploadForm(request.POST, request.FILES)
        done, status = start_upload(form, lambda data: jobs.import_job_create(
            actor=request.user, upload=data["file"], request=request), detail_url="hazards:import_detail")
        if done:
            return done
    else:
        form = LedgerUploadForm()
    return render(request, "hazards/excel/import.html", {
        "form": form, "recent": jobs.jobs_visible_to(request.user)[:10],
        "max_mb": max_upload_bytes() // (1024 * 1024), "max_rows": max_rows(),
    }, status=status)


def _job_context(job: HazardImportJob) -> dict:
    errors = job.errors or []
    succeeded = job.status == HazardImportJob.Status.SUCCEEDED
    created = int((job.summary or {}).get("created") or 0)
    return {
        "job": job,
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "more_errors": max(0, len(errors) - SHOWN_ERRORS),
        "bad_rows": len({e.get("row") for e in errors if e.get("row")}),
        "report_available": job.status == HazardImportJob.Status.FAILED and bool(job.file)
        and any(e.get("row") for e in errors),
        "saving": job.status == HazardImportJob.Status.VALIDATING and job.total_rows
        and job.processed_rows >= job.total_rows,
        "poll_url": reverse("hazards:import_detail", args=[job.pk]),
        "mapping_url": reverse("hazards:import_mapping", args=[job.pk]),
        "report_url": reverse("hazards:import_report", args=[job.pk]),
        "list_url": reverse("hazards:list") if succeeded else None,
        "success_detail": ngettext("%(n)d hazard was added to the ledger with its history.",
                                   "%(n)d hazards were added to the ledger with their history.", created)
        % {"n": created} if succeeded else "",
    }


@login_required
@require_GET
def import_detail(request, pk: int):
    _require_import(request.user)
    job = _job_or_404(request.user, pk)
    if job.status == HazardImportJob.Status.MAPPING and not request.headers.get("HX-Request"):
        return redirect("hazards:import_mapping", pk=job.pk)
    context = _job_context(job)
    if request.headers.get("HX-Request"):
        return render(request, "excel/_job_status.html", context)
    return render(request, "hazards/excel/import_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk: int):
    """The column-mapping step of a ledger whose headers are not the template's (core/excel/mapping.py)."""
    _require_import(request.user)
    job = _job_or_404(request.user, pk)
    return mapping_page(request, job, kind=LEDGER, app="hazards", start=jobs.start_job,
                        detail_url="hazards:import_detail", template="excel/mapping.html", context={
                            "title": _("Import a hazard ledger"), "back_url": reverse("hazards:import"),
                            "breadcrumbs": [(reverse("hazards:list"), _("Hazard ledger")),
                                            (reverse("hazards:import"), _("Import a hazard ledger"))]})


@login_required
@require_GET
def import_report(request, pk: int):
    """The uploaded workbook with its wrong cells highlighted and an error column (错误说明)."""
    _require_import(request.user)
    job = _job_or_404(request.user, pk)
    if not _job_context(job)["report_available"]:
        raise Http404
    return error_report_response(request, job, back_to="hazards:import_detail")


@login_required
@require_GET
def import_template(request):
    _require_import(request.user)
    return xlsx_response(template_workbook(LEDGER), _("%(kind)s import template.xlsx") % {"kind": LEDGER.label})


@login_required
@require_GET
def export(request):
    """The hazard list as the user sees it, with the list's filters and order (its query string); audited."""
    fh = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response once sent)
    try:
        count = export_file(fh, user=request.user, params=request.GET)
    except ValidationError as exc:
        fh.close()
        return render(request, "hazards/excel/export_error.html", {"errors": exc.message_dict}, status=400)
    fh.seek(0)
    audit("hazards.exported", actor=request.user, request=request, rows=count,
          filters={k: v for k, v in request.GET.items() if k != "page"})
    return xlsx_response(fh, f"{LEDGER.label}-{beijing_today():%Y%m%d}.xlsx")
