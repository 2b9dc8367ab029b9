"""The hazard ledger's import jobs (loaded with hazards/models.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiben.core.excel.models import BaseImportJob
from zhiben.core.scoping import Scoped


def ledger_file_path(instance, filename: str) -> str:
    """A generated name under MEDIA_ROOT (outside the web root): the uploader's file name is never used."""
    import uuid

    from django.utils import timezone

    return f"imports/hazards/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class HazardImportJob(Scoped, BaseImportJob):
    """One uploaded hazard ledger being imported, all rows or none (hazards/excel/).

    Only regulators import, so a job is scoped by the uploader's region (none for a platform administrator,
    whose jobs only platform administrators see).
    """

    class Kind(models.TextChoices):
        LEDGER = "hazards", _("Hazard ledger")

    kind = models.CharField(_("data kind"), max_length=16, choices=Kind.choices, default=Kind.LEDGER)
    file = models.FileField(_("file"), upload_to=ledger_file_path, max_length=200)
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    scope_region = "region_id"
    runner_path = "zhiben.hazards.excel.jobs.import_job_run"

    class Meta:
        verbose_name = _("hazard import job")
        verbose_name_plural = _("hazard import jobs")
        ordering = ["-created_at", "-id"]
