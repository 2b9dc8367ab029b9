"""The abstract import job: one uploaded Excel file being imported, all rows or none. Each app that imports
keeps its own concrete job model (its table and its scope columns) on top of this one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiben.core.models import TimeStampedModel


class BaseImportJob(TimeStampedModel):
    """Status, progress and outcome of one import (core/excel/jobs.py runs it).

    A concrete job adds `kind` choices, its `file`'s upload path and the columns that scope it; `runner_path`
    names the function that runs one job by id, for the periodic housekeeping (core/tasks.py) — None when the
    app does its own housekeeping.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        MAPPING = "mapping", _("Waiting for the column mapping")
        VALIDATING = "validating", _("Validating")
        FAILED = "failed", _("Failed")
        SUCCEEDED = "succeeded", _("Imported")

    kind = models.CharField(_("data kind"), max_length=16)
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    runner_path: str | None = None

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.FAILED, self.Status.SUCCEEDED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.processed_rows * 100 / self.total_rows))


class ColumnMapping(models.Model):
    """The columns of a user's own spreadsheet mapped to the fields of an import kind, as they last chose them
    (core/excel/mapping.py): offered again at their next import of that kind, and applied without asking when
    the next file has the same headers. Keys are normalised headers; an empty field means "ignore"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(_("data kind"), max_length=40)  # "<app>.<kind code>", e.g. "hazards.hazards"
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "core"
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="core_columnmapping_user_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}"
