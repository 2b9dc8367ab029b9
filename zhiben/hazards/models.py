"""Hazard ledger (重大事故隐患数据库, 五(2)): hazards, their append-only hash-chained history, rectification
submissions, extension requests, evidence and rectification notices.

Status changes happen only in services.py; this module holds fields, constraints and row invariants.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core.models import ChainedEvent
from zhiben.core.scoping import Scoped, ScopedQuerySet
from zhiben.core.search import BigramVectorField
from zhiben.core.timeutils import beijing_today
from zhiben.hazards.states import LIVE, Channel, Level, Status

# 存量: found on or before 2023-12-31 in Beijing time (seed 三(1)).
STOCK_CUTOFF = dt.date(2023, 12, 31)


class HazardQuerySet(ScopedQuerySet):
    def live(self):
        return self.filter(status__in=LIVE)

    def overdue(self, today: dt.date | None = None):
        return self.live().filter(deadline__lt=today or beijing_today())

    def not_overdue(self, today: dt.date | None = None):
        return self.exclude(status__in=LIVE, deadline__lt=today or beijing_today())

    def major(self):
        return self.filter(level=Level.MAJOR)


class Hazard(Scoped, models.Model):
    """One hazard found on a project through any channel, driven to close-out.

    `region` and `enterprise` are copied from the project at registration (the project's contractor then), so
    the ledger keeps its place even if the project changes hands; `found_on` and `is_stock` are the Beijing
    date of `found_at` and whether it is 存量.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    project = models.ForeignKey("registry.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="hazards")
    enterprise = models.ForeignKey("registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="hazards")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    standard_item = models.ForeignKey("standards.StandardItem", verbose_name=_("standard item"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="hazards")
    description = models.TextField(_("description"))
    location = models.CharField(_("location on site"), max_length=200, blank=True)
    found_at = models.DateTimeField(_("found at"))
    found_on = models.DateField(_("found on"), editable=False)
    is_stock = models.BooleanField(_("stock"), editable=False)
    deadline = models.DateField(_("deadline"))
    original_deadline = models.DateField(_("original deadline"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    overdue_marked_on = models.DateField(_("overdue recorded on"), null=True, blank=True)
    notified_at = models.DateTimeField(_("principal notified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")
    duplicate_of = models.ForeignKey("self", verbose_name=_("duplicate of"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="merged_duplicates")
    possible_duplicate_of = models.ForeignKey("self", verbose_name=_("possible duplicate of"), null=True,
                                              blank=True, on_delete=models.SET_NULL, related_name="+")
    first_channel = models.CharField(_("channel that found it first"), max_length=12, choices=Channel.choices)
    first_found_at = models.DateTimeField(_("first found at"))
    source_ref = models.CharField(_("source reference"), max_length=64, blank=True,
                                  help_text=_("The public report or smart-site alarm this hazard came from."))
    # The hash of the newest event: a deleted tail of the history no longer matches it (history.verify_chain).
    history_head = models.CharField(_("hash of the latest event"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    # The search document (description, location, project and enterprise name) and, on PostgreSQL, its bigram
    # vector behind a GIN index: `q=` reads them (hazards/search.py, decision 0011). Kept by the services.
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    search_vector = BigramVectorField(_("search vector"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_region = "region_id"
    scope_enterprise = "enterprise_id"
    scope_project = "project_id"

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-found_at", "-id"], name="hazard_region_found"),
            models.Index(fields=["region", "status", "level"], name="hazard_region_status"),
            models.Index(fields=["enterprise", "-found_at", "-id"], name="hazard_enterprise_found"),
            models.Index(fields=["project", "-found_at", "-id"], name="hazard_project_found"),
            models.Index(fields=["-found_at", "-id"], name="hazard_found"),
            models.Index(fields=["deadline"], name="hazard_live_deadline",
                         condition=Q(status__in=["open", "submitted"])),
            models.Index(fields=["region", "found_on"], name="hazard_region_found_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("found_on")), name="hazard_deadline_after_found"),
            models.CheckConstraint(condition=Q(escalation_level__gte=0, escalation_level__lte=3),
                                   name="hazard_escalation_range"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="hazard_status_valid"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_overdue(self) -> bool:
        return self.status in LIVE and beijing_today() > self.deadline

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class HazardEvent(ChainedEvent):
    """One entry of a hazard's append-only history. `hash` covers the entry and the previous entry's hash, so a
    changed or deleted entry breaks the chain (`manage.py verify_hazard_history` finds it).

    `at` is when the entry was recorded; `effective_at` is when it took effect (earlier for backfilled history).
    """

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="events")

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["hazard_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["hazard", "seq"], name="hazard_event_unique_seq")]
        indexes = [models.Index(fields=["effective_at"], name="hazard_event_effective")]

    def __str__(self) -> str:
        return f"{self.hazard_id}#{self.seq} {self.action}"


class Rectification(models.Model):
    """A rectification submission with the five fixes (措施、责任、资金、时限、预案) and its review outcome."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting re-inspection")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.PROTECT,
                               related_name="rectifications")
    measures = models.TextField(_("measures taken"))
    responsible_person = models.CharField(_("responsible person"), max_length=64)
    funds = models.DecimalField(_("funds (yuan)"), max_digits=12, decimal_places=2)
    completed_on = models.DateField(_("completed on"))
    contingency_plan = models.TextField(_("contingency plan"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["hazard_id", "submitted_at"]

    def __str__(self) -> str:
        return f"{self.hazard} · {self.get_outcome_display()}"


class ExtensionRequest(models.Model):
    """A request to move a hazard's deadline; decided by a regulator, never by the requester."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="extensions")
    old_deadline = models.DateField(_("current deadline"))
    new_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["hazard_id", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["hazard"], condition=Q(state="pending"), name="one_pending_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard} → {self.new_deadline}"


def _attachment_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:8]
    today = beijing_today()
    return f"hazards/{today:%Y/%m}/{uuid4().hex}{suffix}"


class Attachment(Scoped, models.Model):
    """Evidence (photo or document) on a hazard or on a rectification submission.

    Stored under MEDIA_ROOT (outside the web root) with a generated name; served only through a permission check.
    """

    hazard = models.ForeignKey(Hazard, verbose_name=_("hazard"), on_delete=models.PROTECT,
                               related_name="attachments")
    rectification = models.ForeignKey(Rectification, verbose_name=_("rectification"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    scope_region = staticmethod(lambda b: Q(hazard__region_id__gte=b[0], hazard__region_id__lte=b[1]))
    scope_enterprise = "hazard__enterprise_id"
    scope_project = "hazard__project_id"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class RectificationNotice(Scoped, models.Model):
    """隐患整改通知书: an official notice to a site for one or several hazards, with a unique document number."""

    number = models.CharField(_("document number"), max_length=64, unique=True)
    project = models.ForeignKey("registry.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="notices")
    region = models.ForeignKey("registry.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    hazards = models.ManyToManyField(Hazard, verbose_name=_("hazards"), related_name="notices")
    deadline = models.DateField(_("rectify by"))
    requirements = models.TextField(_("requirements"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issuer_name = models.CharField(_("issuing authority"), max_length=100)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    scope_region = "region_id"
    scope_enterprise = "project__contractor_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.number


class HazardSpan(Scoped, models.Model):
    """A maintained aggregate: one interval of a hazard's history during which its status, level, deadline and
    escalation level stayed the same. Rebuilt from the events in the same transaction as every new event
    (spans.py), so "what was true at the end of day D" is a range query; `manage.py rebuild_hazard_spans --check`
    proves it equal to the history and repairs it.

    The interval is [valid_from, valid_to); valid_to is null for the current state.
    """

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="spans")
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("registry.Enterprise", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey("registry.Project", on_delete=models.PROTECT, related_name="+")
    is_stock = models.BooleanField()
    found_on = models.DateField()
    level = models.CharField(max_length=8, choices=Level.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    deadline = models.DateField()
    escalation_level = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    scope_region = "region_id"
    scope_enterprise = "enterprise_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("hazard state interval")
        verbose_name_plural = _("hazard state intervals")
        indexes = [
            # Covering indexes (PostgreSQL INCLUDE): the dashboard's counts are index-only scans.
            models.Index(fields=["region", "level", "valid_from"], name="span_region_level_from",
                         include=["valid_to", "is_stock", "status", "deadline", "escalation_level", "found_on"]),
            models.Index(fields=["region", "level"], condition=Q(valid_to__isnull=True), name="span_current",
                         include=["is_stock", "status", "deadline", "escalation_level", "found_on"]),
            models.Index(fields=["hazard"], name="span_hazard"),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.status} [{self.valid_from}, {self.valid_to})"


from zhiben.hazards.excel.models import HazardImportJob  # noqa: E402, F401  (kept in hazards/excel/; registered here)


class HazardTally(models.Model):
    """A maintained aggregate of the current state: how many hazards of a region are in each (level, stock,
    found year, status, deadline, escalated) combination. Kept in the same transaction as the state intervals
    (tallies.py), so the campaign figures of a whole province today are a sum over a few thousand rows instead of
    a scan of every hazard; `manage.py rebuild_hazard_spans` checks and repairs it.

    `deadline` only matters while a hazard is being rectified; closed and void hazards file under NO_DEADLINE.
    """

    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8, choices=Level.choices)
    is_stock = models.BooleanField()
    found_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)
    deadline = models.DateField()
    escalated = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("hazard tally")
        verbose_name_plural = _("hazard tallies")
        constraints = [
            models.UniqueConstraint(fields=["region", "level", "is_stock", "found_year", "status", "deadline",
                                            "escalated"], name="hazard_tally_key"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.level} {self.status} {self.n}"


class HazardSnapshotDay(models.Model):
    """A completed Beijing day whose closing tallies (HazardSnapshot) are stored. A day without this row has no
    snapshot and is answered from the state intervals (snapshots.py)."""

    day = models.DateField(primary_key=True)
    built_at = models.DateTimeField()

    class Meta:
        verbose_name = _("closing tally day")
        verbose_name_plural = _("closing tally days")

    def __str__(self) -> str:
        return str(self.day)


class HazardSnapshot(models.Model):
    """A maintained aggregate of a past day: how many hazards of a region stood in each (level, stock, found
    year, status, overdue, escalated) combination at the end of `day` (Beijing). The tally key with the deadline
    folded into `overdue` (deadline before `day` while being rectified), so a day holds a few rows per region.

    Written for each completed day by the periodic job or `manage.py build_hazard_snapshots`, and adjusted in the
    same transaction as any change to the state intervals that reaches back into a stored day (snapshots.py);
    `manage.py rebuild_hazard_spans` proves them equal to the intervals.
    """

    day = models.DateField()
    region = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=8, choices=Level.choices)
    is_stock = models.BooleanField()
    found_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices)
    overdue = models.BooleanField()
    escalated = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("closing tally")
        verbose_name_plural = _("closing tallies")
        constraints = [
            models.UniqueConstraint(fields=["day", "region", "level", "is_stock", "found_year", "status", "overdue",
                                            "escalated"], name="hazard_snapshot_key"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.region_id} {self.level} {self.status} {self.n}"
