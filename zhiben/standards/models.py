"""Standards library (一行业一清单, 五(1)): versioned checklists and their items.

A version is immutable once published: records made under it keep pointing at its items, and a new version is
a copy that is edited as a draft and then published. National versions ship as data files (data/*.json) and
are loaded by migration; a regulator may publish regional versions for their own region.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core.models import TimeStampedModel
from zhiben.core.scoping import Scoped


def _ancestor_codes(code: int) -> list[int]:
    """A region code and its city and province (GB/T 2260 structure)."""
    return sorted({code, code - code % 100, code - code % 10000})


def _visible_for_region(code: int) -> Q:
    lo_hi = (code, code + 9999) if code % 10000 == 0 else (code, code + 99) if code % 100 == 0 else (code, code)
    return (
        Q(region__isnull=True)
        | Q(region_id__in=_ancestor_codes(code))
        | Q(region_id__gte=lo_hi[0], region_id__lte=lo_hi[1])
    )


def _visible_for_enterprise(enterprise_id: int) -> Q:
    from zhiben.registry.models import Enterprise

    region = Enterprise.objects.filter(pk=enterprise_id).values_list("region_id", flat=True).first()
    return Q(region__isnull=True) | (Q(region_id__in=_ancestor_codes(region)) if region else Q(pk__in=[]))


def _visible_for_project(project_id: int) -> Q:
    from zhiben.registry.models import Project

    region = Project.objects.filter(pk=project_id).values_list("region_id", flat=True).first()
    return Q(region__isnull=True) | (Q(region_id__in=_ancestor_codes(region)) if region else Q(pk__in=[]))


class Standard(Scoped, TimeStampedModel):
    """One version of a checklist (a determination standard, a catalogue, a score table, a campaign list)."""

    class Kind(models.TextChoices):
        DETERMINATION = "determination", _("Major hazard determination standard")
        CATALOGUE = "catalogue", _("Eliminated processes, equipment and materials catalogue")
        SCORE_TABLE = "score_table", _("Inspection score table")
        CAMPAIGN = "campaign", _("Campaign checklist")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Trust(models.TextChoices):
        VERBATIM = "verbatim", _("Verbatim from the official text")
        PARTIAL = "partial", _("Partly verified")
        UNVERIFIED = "unverified", _("Unverified")
        COMPILED = "compiled", _("Compiled from cited sources")

    code = models.CharField(_("code"), max_length=64, help_text=_("Shared by all versions of one standard."))
    title = models.CharField(_("title"), max_length=200)
    version = models.CharField(_("version"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    document_no = models.CharField(_("document number"), max_length=64, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    trust = models.CharField(_("trust"), max_length=16, choices=Trust.choices, default=Trust.VERBATIM)
    notes = models.TextField(_("notes"), blank=True)
    rules = models.JSONField(_("rules"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text=_("Empty for national standards."),
    )
    based_on = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data_file = models.CharField(_("data file"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    scope_region = staticmethod(lambda bounds: _visible_for_region(bounds[0]))
    scope_enterprise = staticmethod(_visible_for_enterprise)
    scope_project = staticmethod(_visible_for_project)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["kind", "code", "-effective_from"]
        # A version label is unique per code within one region (national versions have no region), so one
        # county's labels never collide with another's or with the national ones. Two conditional constraints
        # because NULLs are distinct in a plain unique constraint.
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], condition=Q(region__isnull=True), name="standard_unique_national_version",
                violation_error_message=_("This version already exists."),
            ),
            models.UniqueConstraint(
                fields=["code", "version", "region"], condition=Q(region__isnull=False),
                name="standard_unique_regional_version", violation_error_message=_("This version already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"

    def in_force_on(self, day: dt.date) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.effective_from <= day
            and (self.effective_to is None or day <= self.effective_to)
        )


class StandardItem(Scoped, models.Model):
    """One criterion or check item of a standard version. Immutable once its version is published."""

    class Level(models.TextChoices):
        MAJOR = "major", _("Major hazard")
        GENERAL = "general", _("General hazard")

    standard = models.ForeignKey(Standard, verbose_name=_("standard"), on_delete=models.CASCADE,
                                 related_name="items")
    code = models.CharField(_("code"), max_length=32)
    category = models.CharField(_("category"), max_length=100, blank=True)
    text = models.TextField(_("text"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    legal_source = models.CharField(_("legal source"), max_length=300, blank=True)
    verified = models.BooleanField(_("verified"), default=True)
    extra = models.JSONField(_("details"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    scope_region = staticmethod(lambda bounds: Q(standard__in=Standard.objects.filter(_visible_for_region(bounds[0]))))
    scope_enterprise = staticmethod(lambda eid: Q(standard__in=Standard.objects.filter(_visible_for_enterprise(eid))))
    scope_project = staticmethod(lambda pid: Q(standard__in=Standard.objects.filter(_visible_for_project(pid))))

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["standard", "code"], name="standard_item_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:40]}"
