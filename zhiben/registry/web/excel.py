"""Excel pages: the import page (choose a kind, download its template, upload), the job's progress and result
(polled by htmx), the error report, template downloads and exports of the filtered lists."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden, NotFound
from zhiben.core.excel.responses import XLSX, error_report_response, mapping_page, start_upload, xlsx_response
from zhiben.core.forms import StyledFormMixin
from zhiben.core.timeutils import beijing_today
from zhiben.registry.excel import jobs
from zhiben.registry.excel.kinds import KINDS, Kind, get_kind
from zhiben.registry.excel.reader import max_rows, max_upload_bytes
from zhiben.registry.excel.selectors import export_file
from zhiben.registry.excel.workbooks import template_workbook
from zhiben.registry.models import ImportJob

SHOWN_ERRORS = 200
LIST_PAGES = {"enterprises": "registry:enterprise_list", "projects": "registry:project_list",
              "persons": "registry:person_list", "certificates": "registry:certificate_list"}


class ImportForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Data to import"))
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.FileInput(attrs={"accept": ".xlsx," + XLSX}),
    )

    def __init__(self, *args, kinds: list[Kind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds]


def _kind_or_404(code: str) -> Kind:
    try:
        return get_kind(code)
    except NotFound:
        raise Http404 from None


def _require_import(user, kind: Kind | None = None) -> None:
    try:
        jobs.require_import(user, kind)
    except Forbidden:
        raise PermissionDenied from None


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_import(request.user)
    kinds = jobs.importable_kinds(request.user)
    status = 200
    if request.method == "POST":
        code = request.POST.get("kind", "")
        if code in KINDS and KINDS[code] not in kinds:
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        done, status = start_upload(form, lambda data: jobs.import_job_create(
            actor=request.user, kind=data["kind"], upload=data["file"], request=request),
            detail_url="registry:import_detail")
        if done:
            return done
    else:
        initial = request.GET.get("kind")
        form = ImportForm(kinds=kinds, initial={"kind": initial} if initial in KINDS else None)
    recent = ImportJob.objects.visible_to(request.user).select_related("created_by")[:10]
    return render(request, "registry/excel/import.html", {
        "form": form, "kinds": kinds, "recent": recent, "max_mb": max_upload_bytes() // (1024 * 1024),
        "max_rows": max_rows(),
    }, status=status)


def _job_context(job: ImportJob) -> dict:
    errors = job.errors or []
    list_url = None
    if job.status == ImportJob.Status.SUCCEEDED:
        from django.urls import NoReverseMatch

        try:
            list_url = reverse(LIST_PAGES[job.kind])
        except NoReverseMatch:
            list_url = None
    return {
        "job": job,
        "errors": errors[:SHOWN_ERRORS],
        "error_count": len(errors),
        "more_errors": max(0, len(errors) - SHOWN_ERRORS),
        "bad_rows": len({e.get("row") for e in errors if e.get("row")}),
        "report_available": job.status == ImportJob.Status.FAILED and bool(job.file)
        and any(e.get("row") for e in errors),
        "saving": job.status == ImportJob.Status.VALIDATING and job.total_rows
        and job.processed_rows >= job.total_rows,
        "list_url": list_url,
        "mapping_url": reverse("registry:import_mapping", args=[job.pk]),
    }


@login_required
@require_GET
def import_detail(request, pk: int):
    _require_import(request.user)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).select_related("created_by"), pk=pk)
    if job.status == ImportJob.Status.MAPPING and not request.headers.get("HX-Request"):
        return redirect("registry:import_mapping", pk=job.pk)
    context = _job_context(job)
    if request.headers.get("HX-Request"):
        return render(request, "registry/excel/_job_status.html", context)
    return render(request, "registry/excel/import_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk: int):
    """The column-mapping step of a file whose headers are not the template's (core/excel/mapping.py)."""
    _require_import(request.user)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    from zhiben.registry.tasks import start_import

    return mapping_page(request, job, kind=_kind_or_404(job.kind), app="registry", start=start_import,
                        detail_url="registry:import_detail", template="excel/mapping.html", context={
                            "title": _("Excel import"), "back_url": reverse("registry:import"),
                            "breadcrumbs": [(reverse("registry:import"), _("Excel import"))]})


@login_required
@require_GET
def import_report(request, pk: int):
    """The uploaded workbook with its wrong cells highlighted and an error column (错误说明)."""
    _require_import(request.user)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)
    if not _job_context(job)["report_available"]:
        raise Http404
    return error_report_response(request, job, back_to="registry:import_detail")


@login_required
@require_GET
def template_download(request, kind: str):
    spec = _kind_or_404(kind)
    _require_import(request.user, spec)
    return xlsx_response(template_workbook(spec), _("%(kind)s import template.xlsx") % {"kind": spec.label})


@login_required
@require_GET
def export(request, kind: str):
    """The kind's list as the user sees it, with the list's filters (its query string); identifiers masked
    unless the user may see them, and every export audited."""
    spec = _kind_or_404(kind)
    try:
        content, count, unmasked = export_file(user=request.user, kind=spec, params=request.GET)
    except ValidationError as exc:
        return render(request, "registry/excel/export_error.html", {"errors": exc.message_dict, "kind": spec},
                      status=400)
    audit("registry.exported", actor=request.user, request=request, kind=spec.code, rows=count,
          unmasked=unmasked, filters={k: v for k, v in request.GET.items() if k != "page"})
    return xlsx_response(content, f"{spec.label}-{beijing_today():%Y%m%d}.xlsx")
