"""Scoped reads of the registry shared by the API, pages, imports and other apps."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from zhiben.core.scoping import scope_of
from zhiben.core.timeutils import beijing_today
from zhiben.registry.models import (
    EXPIRY_WARNING_DAYS,
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    LifetimeBan,
    Person,
    Project,
    ProjectParticipant,
    Qualification,
    Region,
)


def regions_visible_to(user) -> QuerySet[Region]:
    """Regions are public reference data; a scoped user is offered only regions under their own."""
    scope = scope_of(user)
    qs = Region.objects.all()
    if scope.kind == "region":
        lo, hi = scope.region_bounds
        return qs.filter(code__gte=lo, code__lte=hi)
    return qs


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    return Enterprise.objects.visible_to(user)


def enterprise_list(user) -> QuerySet[Enterprise]:
    return enterprises_visible_to(user).select_related("region", "principal", "actual_controller")


def enterprise_detail(user, pk: int) -> Enterprise:
    return (
        enterprise_list(user)
        .prefetch_related("qualifications")
        .get(pk=pk)
    )


def projects_visible_to(user) -> QuerySet[Project]:
    return Project.objects.visible_to(user)


def project_list(user) -> QuerySet[Project]:
    return projects_visible_to(user).select_related("region", "contractor", "manager")


def project_detail(user, pk: int) -> Project:
    return project_list(user).prefetch_related(
        Prefetch("participants", queryset=ProjectParticipant.objects.select_related("enterprise")),
        Prefetch("dangerous_works", queryset=DangerousWork.objects.order_by("id")),
    ).get(pk=pk)


def persons_visible_to(user) -> QuerySet[Person]:
    return Person.objects.visible_to(user)


def person_list(user) -> QuerySet[Person]:
    # Explicit order: Meta.ordering is not applied to a GROUP BY query, and pages need a stable order.
    return (
        persons_visible_to(user).select_related("region").annotate(certificate_count=Count("certificates"))
        .order_by("name", "id")
    )


def person_detail(user, pk: int) -> Person:
    return persons_visible_to(user).select_related("region").prefetch_related(
        Prefetch("employments", queryset=Employment.objects.visible_to(user).select_related("enterprise",
                                                                                         "project")),
        Prefetch("certificates", queryset=Certificate.objects.order_by("kind", "expires")),
    ).get(pk=pk)


def certificates_visible_to(user) -> QuerySet[Certificate]:
    return Certificate.objects.visible_to(user)


def certificate_list(user) -> QuerySet[Certificate]:
    return certificates_visible_to(user).select_related("person")


def employments_visible_to(user) -> QuerySet[Employment]:
    return Employment.objects.visible_to(user)


def qualifications_visible_to(user) -> QuerySet[Qualification]:
    return Qualification.objects.visible_to(user)


def dangerous_works_visible_to(user) -> QuerySet[DangerousWork]:
    return DangerousWork.objects.visible_to(user)


def active_ban(person: Person) -> LifetimeBan | None:
    """The lifetime ban in force on a person, if any (checked when a principal is named, 八(2))."""
    return LifetimeBan.objects.filter(person=person, lifted=False).first()


def expiring_licences(user, *, today: dt.date | None = None) -> QuerySet[Enterprise]:
    """Enterprises whose safety licence expires within 30 days or has expired."""
    today = today or beijing_today()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return enterprise_list(user).filter(safety_licence_expires__lte=horizon).order_by("safety_licence_expires")


def expiring_qualifications(user, *, today: dt.date | None = None) -> QuerySet[Qualification]:
    today = today or beijing_today()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return (
        qualifications_visible_to(user).filter(expires__lte=horizon).select_related("enterprise")
        .order_by("expires")
    )


def expiring_certificates(user, *, today: dt.date | None = None) -> QuerySet[Certificate]:
    today = today or beijing_today()
    horizon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return certificate_list(user).filter(Q(expires__lte=horizon), revoked=False).order_by("expires")


def enterprise_employees(user, enterprise: Enterprise) -> QuerySet[Person]:
    """Persons the user sees who are or were employed by the enterprise: the candidates for its principal,
    actual controller, safety director and its projects' managers."""
    return persons_visible_to(user).filter(
        pk__in=Employment.objects.filter(enterprise=enterprise).values("person_id")
    )


def enterprise_by_uscc(uscc: str) -> Enterprise | None:
    """The enterprise registered under a full USCC, for linking it to a project as a participant.

    Deliberately not scoped: the USCC and name of a legal entity are public (国家企业信用信息公示系统), the
    caller must already know the whole code, and all they learn is the name. Reading the enterprise's
    record still goes through `visible_to`.
    """
    code = (uscc or "").strip().upper()
    return Enterprise.objects.filter(uscc=code).first() if code else None
