"""Public and internal reports (举报, 八(1)): the report, its photos, its hash-chained history and its reward.

The reporter's name and phone are vault-sealed columns (zhiben/core/vault.py): nothing here decrypts them, and
only `services.report_identity_reveal` opens them, for a permission holder, with the reveal audited.

Scope: regulators of the report's region only. Enterprise and project users see no report at all (an internal
report names their enterprise, and the enterprise must never learn who reported or that a report exists before
a hazard is registered from it), so the enterprise and project lookups are None.
"""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core.models import ChainedEvent
from zhiben.core.scoping import Scoped, ScopedQuerySet
from zhiben.core.vault import SealedField
from zhiben.reports.states import Outcome, RewardStatus, Status

DESCRIPTION_MAX = 2000
TEXT_MAX = 200


class ReportQuerySet(ScopedQuerySet):
    def awaiting(self):
        return self.filter(status__in=[Status.RECEIVED, Status.ASSIGNED])


class Report(Scoped, models.Model):
    """One report from the public portal or an enterprise's internal whistleblower.

    `receipt_code` and the access key (kept only as `key_hash`) let the reporter follow it without an account.
    `region` is the project's, the named enterprise's, or the county the reporter chose.
    """

    receipt_code = models.CharField(_("receipt code"), max_length=14, unique=True)
    key_hash = models.CharField(_("access key hash"), max_length=64, editable=False)
    internal = models.BooleanField(_("internal whistleblower"), default=False)
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("registry.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    project_name = models.CharField(_("project as named by the reporter"), max_length=TEXT_MAX, blank=True)
    location = models.CharField(_("location"), max_length=TEXT_MAX, blank=True)
    description = models.TextField(_("what was seen"), max_length=DESCRIPTION_MAX)
    anonymous = models.BooleanField(_("anonymous"), default=True)
    reporter_name = SealedField(_("reporter's name (sealed)"))
    reporter_phone = SealedField(_("reporter's phone (sealed)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("verify by"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    note = models.TextField(_("verification note"), blank=True)
    public_text = models.TextField(_("public outcome"), blank=True)
    hazard = models.ForeignKey("hazards.Hazard", verbose_name=_("hazard"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    history_head = models.CharField(_("hash of the latest event"), max_length=64, blank=True, editable=False)

    scope_region = "region_id"
    scope_enterprise = None
    scope_project = None

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-submitted_at", "-id"], name="report_region_submitted"),
            models.Index(fields=["due_at"], name="report_open_due",
                         condition=Q(status__in=["received", "assigned"])),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(internal=False) | Q(enterprise__isnull=False),
                                   name="report_internal_names_enterprise"),
            models.CheckConstraint(condition=~Q(outcome="duplicate") | Q(duplicate_of__isnull=False),
                                   name="report_duplicate_names_original"),
        ]
        permissions = [("reveal_reporter", _("Can reveal a reporter's identity (each reveal is audited)"))]

    def __str__(self) -> str:
        return self.receipt_code


def _photo_path(instance, filename: str) -> str:
    # The stored name is random: the reporter's file name (often a phone's timestamp) is dropped.
    return f"reports/{uuid4().hex}{Path(filename).suffix.lower()[:8]}"


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded on upload (type checked by content, EXIF and GPS removed)."""

    class Stage(models.TextChoices):
        REPORT = "report", _("From the reporter")
        VERIFICATION = "verification", _("From the on-site verification")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("taken at"), max_length=12, choices=Stage.choices, default=Stage.REPORT)
    file = models.FileField(_("file"), upload_to=_photo_path)
    content_type = models.CharField(_("content type"), max_length=32)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return self.file.name


class Reward(Scoped, models.Model):
    """The reward for a substantiated report, computed by the published rule (rules.py), never typed."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="rewards")
    basis = models.CharField(_("basis"), max_length=16)
    fine_amount = models.DecimalField(_("fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    accident_level = models.CharField(_("accident level"), max_length=20, blank=True)
    persons = models.PositiveIntegerField(_("persons concealed"), null=True, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=0)
    rule_source = models.CharField(_("rule"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=RewardStatus.choices,
                              default=RewardStatus.PROPOSED)
    # Users are rarely deleted (deactivated instead); if one is, the history keeps their name (actor_name).
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The reporter's claim (with receipt code and key): whom to pay, sealed in the vault like the identity.
    claimant_name = SealedField(_("claimant's name (sealed)"))
    claimant_phone = SealedField(_("claimant's phone (sealed)"))
    claimant_account = SealedField(_("claimant's bank account (sealed)"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)

    scope_region = "report__region_id"
    scope_enterprise = None
    scope_project = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One live reward per report: a rejected one may be followed by a new proposal.
            models.UniqueConstraint(fields=["report"], condition=~Q(status="rejected"),
                                    name="reward_one_live_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report} ¥{self.amount}"


class ReportEvent(ChainedEvent):
    """One entry of a report's append-only, hash-chained history (the same chain as the hazard ledger's).

    Entries never hold the reporter's identity: a reveal is recorded with who, when and why, not what was seen.
    """

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["report", "seq"], name="report_event_unique_seq")]

    def __str__(self) -> str:
        return f"{self.report_id}#{self.seq} {self.action}"
