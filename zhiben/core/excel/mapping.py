"""The column-mapping step: when a file's headers do not name every required column (a ledger kept in the
user's own spreadsheet), the job waits (status `mapping`) and the import page asks which of the file's columns
holds which field; the answer is remembered per user and kind (`ColumnMapping`) and offered again next time —
and applied without asking when the next file has exactly the headers the user mapped before.

A mapping is {column number: field code}; the job keeps it in `summary["mapping"]` (JSON: keys are strings)
with the sheet and header row it applies to, and the runner reads the file with it (core/excel/reader.py).
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiben.core.audit import audit
from zhiben.core.excel.columns import normal_header
from zhiben.core.excel.kinds import Kind
from zhiben.core.excel.models import ColumnMapping
from zhiben.core.forms import StyledFormMixin, style_fields

IGNORE = ""


def mapping_key(app: str, kind: Kind) -> str:
    return f"{app}.{kind.code}"


def remembered(user, key: str) -> dict[str, str]:
    """{normalised header: field or ""} as the user last mapped it for this kind ({} if never)."""
    found = ColumnMapping.objects.filter(user=user, kind=key).values_list("mapping", flat=True).first()
    return dict(found or {})


def guess(kind: Kind, headers: dict[int, str], memory: dict[str, str]) -> dict[int, str]:
    """A proposal for every column of the file: what the user chose before for the same header, else the field
    whose header (or synonym) it is, else "ignore"; a field is proposed for one column at most."""
    fields = {c.field for c in kind.importable_columns}
    lookup = {h: c.field for c in kind.importable_columns for h in c.accepted_headers()}
    proposal: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in headers.items():
        key = normal_header(header)
        field = memory[key] if key in memory else lookup.get(key, IGNORE)
        if field not in fields or field in taken:
            field = IGNORE
        proposal[index] = field
        taken.add(field)
    return proposal


def complete(kind: Kind, mapping: dict[int, str]) -> bool:
    chosen = set(mapping.values())
    return all(c.field in chosen for c in kind.importable_columns if c.required)


def applicable_memory(kind: Kind, headers: dict[int, str], memory: dict[str, str]) -> dict[int, str] | None:
    """The remembered mapping as {column: field} when it covers every header of this file and every required
    field (the same spreadsheet as last time): the import then goes on without asking."""
    if not memory or not headers or any(normal_header(h) not in memory for h in headers.values()):
        return None
    mapping = {i: f for i, f in guess(kind, headers, memory).items() if f}
    return mapping if complete(kind, mapping) else None


class MappingForm(StyledFormMixin, forms.Form):
    """One choice per column of the file: the field it holds, or "ignore". Each field at most once; every
    required field must be chosen."""

    def __init__(self, *args, kind: Kind, headers: dict[int, str], samples: dict[int, str] | None = None,
                 initial_mapping: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.headers = headers
        choices = [(IGNORE, _("— Ignore this column —"))] + [
            (c.field, c.header_text() + (" *" if c.required else "")) for c in kind.importable_columns]
        initial_mapping = initial_mapping or {}
        for index, header in headers.items():
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=initial_mapping.get(index, IGNORE),
                help_text=(samples or {}).get(index, ""))
        style_fields(self.fields)  # added after the mixin styled the (then empty) form

    def clean(self):
        data = super().clean()
        mapping = {index: data.get(f"col_{index}") or IGNORE for index in self.headers}
        seen: dict[str, int] = {}
        for index, field in mapping.items():
            if not field:
                continue
            if field in seen:
                self.add_error(f"col_{index}", _("“%(field)s” is already chosen for the column “%(other)s”.") % {
                    "field": self.kind.column(field).header_text(), "other": self.headers[seen[field]]})
            seen[field] = index
        for column in self.kind.importable_columns:
            if column.required and column.field not in seen:
                self.add_error(None, _("Choose the column that holds “%(field)s” (required).") % {
                    "field": column.header_text()})
        data["mapping"] = {i: f for i, f in mapping.items() if f}
        return data


@transaction.atomic
def mapping_choose(*, actor, job, kind: Kind, app: str, mapping: dict[int, str], start, request=None):
    """Record the user's mapping on the waiting job, remember it for their next import of this kind, and queue
    the job again (`start(job_id)` once committed). A job not waiting for a mapping is left alone."""
    model = type(job)
    updated = model.objects.filter(pk=job.pk, status=model.Status.MAPPING).update(status=model.Status.PENDING)
    if not updated:
        return job
    headers = {int(i): h for i, h in (job.summary.get("headers") or {}).items()}
    memory = {normal_header(header): mapping.get(index, IGNORE) for index, header in headers.items()}
    ColumnMapping.objects.update_or_create(user=actor, kind=mapping_key(app, kind), defaults={"mapping": memory})
    job.summary = {**job.summary, "mapping": {str(i): f for i, f in mapping.items()}}
    job.status = model.Status.PENDING
    job.save(update_fields=["summary", "status", "updated_at"])
    audit(f"{app}.import_mapped", actor=actor, obj=job, request=request, kind=job.kind,
          mapping={headers.get(i, str(i)): f for i, f in mapping.items()})
    transaction.on_commit(lambda: start(job.pk))
    return job


MAPPING_HELP = gettext_lazy("The file's headers do not match the template. Tell us which column holds what; "
                            "your choice is remembered for your next import of this kind.")
