"""Registry (主体库): regions, enterprises, projects, persons, employment, certificates, lifetime bans."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiben.core.excel.models import BaseImportJob
from zhiben.core.models import TimeStampedModel
from zhiben.core.scoping import Scoped, ScopedQuerySet
from zhiben.core.timeutils import beijing_today
from zhiben.registry import validators

EXPIRY_WARNING_DAYS = 30


class Region(models.Model):
    """An administrative division (GB/T 2260); the integer code is the key, so sub-regions are a code range."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    code = models.PositiveIntegerField(_("division code"), primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        parts, node = [], self
        while node is not None:
            if node.name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                parts.append(node.name)
            node = node.parent
        return "".join(reversed(parts))


class Person(Scoped, TimeStampedModel):
    """A natural person identified by resident ID number (实名制). One row per person across the county.

    Visible to regulators of the region it was registered in or where it is employed, and to the enterprises
    and projects that employ it.
    """

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    name = models.CharField(_("name"), max_length=64)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, unique=True, validators=[validators.validate_id_number]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validators.validate_phone])
    region = models.ForeignKey(Region, verbose_name=_("registered in"), on_delete=models.PROTECT, related_name="+")

    scope_region = staticmethod(
        lambda bounds: Q(region_id__gte=bounds[0], region_id__lte=bounds[1])
        | Q(pk__in=Employment.objects.filter(enterprise__region_id__gte=bounds[0],
                                             enterprise__region_id__lte=bounds[1]).values("person_id"))
        | Q(pk__in=Employment.objects.filter(project__region_id__gte=bounds[0],
                                             project__region_id__lte=bounds[1]).values("person_id"))
    )
    scope_enterprise = staticmethod(
        lambda eid: Q(pk__in=Employment.objects.filter(enterprise_id=eid).values("person_id"))
    )
    scope_project = staticmethod(lambda pid: Q(pk__in=Employment.objects.filter(project_id=pid).values("person_id")))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]
        permissions = [("view_sensitive_person", _("Can see unmasked resident ID numbers and phones"))]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
            birth = validators.id_birth_date(self.id_number)
            if birth:
                self.birth_date = birth
            if len(self.id_number) == 18 and self.id_number[16].isdigit():
                self.gender = self.Gender.MALE if int(self.id_number[16]) % 2 else self.Gender.FEMALE


class StandardizationLevel(models.TextChoices):
    """安全生产标准化 evaluation of a construction enterprise (fewer random checks when qualified, 二(2))."""

    NONE = "none", _("Not evaluated")
    FAILED = "failed", _("Not up to standard")
    QUALIFIED = "qualified", _("Up to standard")
    EXEMPLARY = "exemplary", _("Exemplary")


class Enterprise(Scoped, TimeStampedModel):
    """A construction enterprise (or other unit taking part in projects), identified by its USCC."""

    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validators.validate_uscc]
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    principal = models.ForeignKey(
        Person, verbose_name=_("principal"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actual_controller = models.ForeignKey(
        Person, verbose_name=_("actual controller"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    safety_director = models.ForeignKey(
        Person, verbose_name=_("safety director"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    safety_licence_no = models.CharField(_("safety licence number"), max_length=64, blank=True)
    safety_licence_issued = models.DateField(_("safety licence issued"), null=True, blank=True)
    safety_licence_expires = models.DateField(_("safety licence expires"), null=True, blank=True, db_index=True)
    standardization_level = models.CharField(
        _("standardization level"), max_length=16, choices=StandardizationLevel.choices,
        default=StandardizationLevel.NONE,
    )
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validators.validate_phone])

    scope_region = "region_id"
    scope_enterprise = "id"
    scope_project = staticmethod(
        lambda pid: Q(pk__in=Project.objects.filter(pk=pid).values("contractor_id"))
        | Q(pk__in=ProjectParticipant.objects.filter(project_id=pid).values("enterprise_id"))
    )

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["region", "name"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.uscc:
            self.uscc = self.uscc.strip().upper()

    @property
    def licence_status(self) -> str:
        return expiry_status(self.safety_licence_expires)


def expiry_status(expires: dt.date | None, *, revoked: bool = False, today: dt.date | None = None) -> str:
    """`valid`, `expiring` (within 30 days), `expired`, `revoked` or `unknown` (no date)."""
    if revoked:
        return "revoked"
    if expires is None:
        return "unknown"
    today = today or beijing_today()
    if expires < today:
        return "expired"
    if expires <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


class Qualification(Scoped, TimeStampedModel):
    """A qualification certificate (资质) of an enterprise: category, name, grade, number and expiry."""

    class Category(models.TextChoices):
        GENERAL = "general", _("General contracting")
        SPECIALTY = "specialty", _("Specialty contracting")
        LABOUR = "labour", _("Construction labour")
        OTHER = "other", _("Other")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="qualifications"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("qualification"), max_length=64)
    grade = models.CharField(_("grade"), max_length=16, blank=True)
    certificate_no = models.CharField(_("certificate number"), max_length=64)
    expires = models.DateField(_("expires"), null=True, blank=True)

    scope_region = "enterprise__region_id"
    scope_enterprise = "enterprise_id"
    scope_project = None

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["enterprise_id", "category", "name"]

    def __str__(self) -> str:
        return f"{self.name}{self.grade}"


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")


class ProjectStage(models.TextChoices):
    EARTHWORK = "earthwork", _("Foundation pit and earthwork")
    FOUNDATION = "foundation", _("Foundation")
    STRUCTURE = "structure", _("Main structure")
    ENCLOSURE = "enclosure", _("Masonry and enclosure")
    FINISHING = "finishing", _("Decoration and finishing")
    INSTALLATION = "installation", _("Installation")
    ACCEPTANCE = "acceptance", _("Completion acceptance")


class Project(Scoped, TimeStampedModel):
    """A construction project (工程项目) in a region, built by a contractor enterprise."""

    class Kind(models.TextChoices):
        BUILDING = "building", _("Building construction")
        MUNICIPAL = "municipal", _("Municipal infrastructure")

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.BUILDING)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200)
    contractor = models.ForeignKey(
        Enterprise, verbose_name=_("contractor"), on_delete=models.PROTECT, related_name="projects"
    )
    manager = models.ForeignKey(
        Person, verbose_name=_("project manager"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    permit_no = models.CharField(_("construction permit number"), max_length=64, blank=True)
    permit_date = models.DateField(_("construction permit date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.UNDER_CONSTRUCTION,
        db_index=True,
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ProjectStage.choices, blank=True)
    contract_amount = models.DecimalField(
        _("contract amount (10k yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)

    scope_region = "region_id"
    scope_enterprise = staticmethod(
        lambda eid: Q(contractor_id=eid)
        | Q(pk__in=ProjectParticipant.objects.filter(enterprise_id=eid).values("project_id"))
    )
    scope_project = "id"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-id"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["contractor", "status"])]

    def __str__(self) -> str:
        return self.name


class ProjectParticipant(Scoped, models.Model):
    """A unit other than the contractor that takes part in a project (owner, supervisor, subcontractor …)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner (construction unit)")
        SUPERVISOR = "supervisor", _("Supervision unit")
        SURVEY = "survey", _("Survey unit")
        DESIGN = "design", _("Design unit")
        SPECIALTY_SUB = "specialty_sub", _("Specialty subcontractor")
        LABOUR_SUB = "labour_sub", _("Labour subcontractor")
        LEASING = "leasing", _("Equipment leasing unit")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="participants")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="participations")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    scope_region = "project__region_id"
    scope_enterprise = "enterprise_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("project participant")
        verbose_name_plural = _("project participants")
        constraints = [
            models.UniqueConstraint(fields=["project", "enterprise", "role"], name="participant_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_role_display()} · {self.enterprise}"


class DangerousWork(Scoped, TimeStampedModel):
    """A dangerous sub-project (危大工程) of a project; over-threshold ones need expert review of the plan.

    Categories after 住建部令第37号 and 建办质〔2018〕31号 annexes 1 and 2.
    """

    class Category(models.TextChoices):
        PIT = "pit", _("Foundation pit")
        FORMWORK = "formwork", _("Formwork and support systems")
        LIFTING = "lifting", _("Lifting and hoisting, crane installation and removal")
        SCAFFOLD = "scaffold", _("Scaffolding")
        DEMOLITION = "demolition", _("Demolition")
        TUNNEL = "tunnel", _("Underground excavation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Completed")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="dangerous_works")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.CharField(_("description"), max_length=200)
    over_threshold = models.BooleanField(_("over threshold"), default=False)
    plan_approved = models.BooleanField(_("special plan approved"), default=False)
    expert_reviewed = models.BooleanField(_("expert review held"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)

    scope_region = "project__region_id"
    scope_enterprise = "project__contractor_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("dangerous works")
        verbose_name_plural = _("dangerous works")
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return self.description


class Employment(Scoped, TimeStampedModel):
    """A person's employment by an enterprise, optionally on a project, with its form (三(2))."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        DISPATCHED = "dispatched", _("Dispatched")
        OUTSOURCED = "outsourced", _("Outsourced")
        LEASED = "leased", _("Leased")
        FLEXIBLE = "flexible", _("Flexible")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="employments")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="employments")
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="employments")
    kind = models.CharField(_("employment type"), max_length=16, choices=Kind.choices, default=Kind.STAFF)
    position = models.CharField(_("position"), max_length=64, blank=True)
    started = models.DateField(_("from"), null=True, blank=True)
    ended = models.DateField(_("until"), null=True, blank=True)

    scope_region = "enterprise__region_id"
    scope_enterprise = "enterprise_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-started", "-id"]
        indexes = [models.Index(fields=["enterprise", "person"]), models.Index(fields=["project", "person"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.enterprise}"

    @property
    def is_active(self) -> bool:
        return self.ended is None or self.ended >= beijing_today()


class CertificateKind(models.TextChoices):
    """三类人员 (A/B/C1/C2/C3) and special-operations (特种作业) certificates: regulations.md §5."""

    A = "A", _("Key personnel A (principal)")
    B = "B", _("Key personnel B (project manager)")
    C1 = "C1", _("Key personnel C1 (mechanical safety officer)")
    C2 = "C2", _("Key personnel C2 (civil safety officer)")
    C3 = "C3", _("Key personnel C3 (comprehensive safety officer)")
    ELECTRICIAN = "electrician", _("Construction electrician")
    SCAFFOLDER = "scaffolder", _("Construction scaffolder")
    SIGNALLER = "signaller", _("Crane signaller and rigger")
    CRANE_DRIVER = "crane_driver", _("Crane driver")
    HOIST_DRIVER = "hoist_driver", _("Construction hoist driver")
    CRANE_INSTALLER = "crane_installer", _("Crane installer and dismantler")
    GONDOLA_INSTALLER = "gondola_installer", _("Suspended platform installer and dismantler")
    WELDER = "welder", _("Welder and cutter")
    OTHER_SPECIAL = "other_special", _("Other special operations")


KEY_PERSONNEL_KINDS = frozenset({"A", "B", "C1", "C2", "C3"})


class CertificateQuerySet(ScopedQuerySet):
    def with_status(self, status: str, *, today: dt.date | None = None):
        today = today or beijing_today()
        horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
        if status == "revoked":
            return self.filter(revoked=True)
        live = self.filter(revoked=False)
        if status == "expired":
            return live.filter(expires__lt=today)
        if status == "expiring":
            return live.filter(expires__gte=today, expires__lte=horizon)
        if status == "valid":
            return live.filter(expires__gt=horizon)
        return self.none()


class Certificate(Scoped, TimeStampedModel):
    """A personal certificate with number, issue and expiry dates; its status is derived from the dates."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="certificates")
    kind = models.CharField(_("kind"), max_length=24, choices=CertificateKind.choices)
    number = models.CharField(_("certificate number"), max_length=64)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    issued = models.DateField(_("issued"))
    expires = models.DateField(_("expires"), db_index=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    scope_region = staticmethod(
        lambda bounds: Q(person_id__in=Person.objects.filter(Person.scope_region(bounds)).values("pk"))
    )
    scope_enterprise = staticmethod(
        lambda eid: Q(person_id__in=Employment.objects.filter(enterprise_id=eid).values("person_id"))
    )
    scope_project = staticmethod(
        lambda pid: Q(person_id__in=Employment.objects.filter(project_id=pid).values("person_id"))
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["expires", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_unique_number"),
            models.CheckConstraint(condition=Q(expires__gte=models.F("issued")), name="certificate_dates_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def status(self) -> str:
        return expiry_status(self.expires, revoked=self.revoked)


class LifetimeBan(Scoped, TimeStampedModel):
    """终身禁入: a person barred from being named principal or project manager (八(2))."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="bans")
    reason = models.CharField(_("reason"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    document_no = models.CharField(_("decision document number"), max_length=64, blank=True)
    lifted = models.BooleanField(_("lifted"), default=False)

    scope_region = staticmethod(
        lambda bounds: Q(person_id__in=Person.objects.filter(Person.scope_region(bounds)).values("pk"))
    )
    scope_enterprise = None
    scope_project = None

    class Meta:
        verbose_name = _("lifetime ban")
        verbose_name_plural = _("lifetime bans")
        ordering = ["-decided_on"]

    def __str__(self) -> str:
        return f"{self.person} · {self.reason}"


def import_file_path(instance, filename: str) -> str:
    """A generated name under MEDIA_ROOT (outside the web root): the uploader's file name is never used."""
    import uuid

    from django.utils import timezone

    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportJob(Scoped, BaseImportJob):
    """One uploaded Excel file being imported into the registry, all rows or none (registry/excel/).

    Visible within the scope of the user who uploaded it: the scope columns are copied from the creator.
    """

    class Kind(models.TextChoices):
        ENTERPRISES = "enterprises", _("Enterprises")
        PROJECTS = "projects", _("Projects")
        PERSONS = "persons", _("Persons and employment")
        CERTIFICATES = "certificates", _("Certificates")

    kind = models.CharField(_("data kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    project = models.ForeignKey(Project, verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")

    scope_region = "region_id"
    scope_enterprise = "enterprise_id"
    scope_project = "project_id"

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
