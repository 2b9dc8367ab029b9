"""Writes on the registry. Each checks the actor's role and scope, validates the row and audits the change.

Who may write:
- regulator admins and inspectors: everything inside their region;
- enterprise users: their own enterprise, its projects, the persons it employs and their certificates;
- project users: the persons on their project and their certificates;
- leaders and experts read only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from zhiben.core import search
from zhiben.core.audit import audit
from zhiben.core.errors import Forbidden
from zhiben.core.scoping import scope_of
from zhiben.registry.models import (
    Certificate,
    DangerousWork,
    Employment,
    Enterprise,
    Person,
    Project,
    ProjectParticipant,
    Qualification,
    Region,
)
from zhiben.registry.selectors import active_ban

WRITER_ROLES = {"regulator_admin", "inspector", "enterprise", "project"}


def can_write_registry(actor) -> bool:
    return actor.is_superuser or getattr(actor, "role", "") in WRITER_ROLES


def _require_writer(actor) -> None:
    if not can_write_registry(actor):
        raise Forbidden(_("Your role may not change the registry."))


# Predicates for interfaces (which buttons to show); the services below enforce the same rules. Each assumes the
# object was loaded through `visible_to(actor)`, so a regulator's region is already taken care of.


def can_create_enterprise(actor) -> bool:
    """Regulators (and the platform) register enterprises."""
    return can_write_registry(actor) and scope_of(actor).kind in {"all", "region"}


def can_edit_enterprise(actor, enterprise: Enterprise) -> bool:
    """Regulators change the enterprises they see, an enterprise user its own; qualifications follow."""
    if not can_write_registry(actor):
        return False
    scope = scope_of(actor)
    return scope.kind in {"all", "region"} or (scope.kind == "enterprise" and enterprise.pk == scope.enterprise)


def can_create_project(actor) -> bool:
    """Regulators, and enterprise users for projects their enterprise builds."""
    return can_write_registry(actor) and scope_of(actor).kind in {"all", "region", "enterprise"}


def can_edit_project(actor, project: Project) -> bool:
    """Regulators, the contractor's users and the project's own team; a participating unit only reads."""
    if not can_write_registry(actor):
        return False
    scope = scope_of(actor)
    return (
        scope.kind in {"all", "region"}
        or (scope.kind == "enterprise" and project.contractor_id == scope.enterprise)
        or (scope.kind == "project" and project.pk == scope.project)
    )


def _changed(obj: models.Model, data: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in data.items():
        try:
            old = getattr(obj, name)
        except ObjectDoesNotExist:  # a required relation not yet set on a new row
            old = None
        if old != value:
            changes[name] = [_jsonable(old), _jsonable(value)]
        setattr(obj, name, value)
    return changes


def _jsonable(value):
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _check_bans(**persons: Person | None) -> None:
    errors = {}
    for field, person in persons.items():
        if person is not None and active_ban(person) is not None:
            errors[field] = [_("%(name)s is under a lifetime ban and cannot be named here.") % {"name": person}]
    if errors:
        raise ValidationError(errors)


def _save(actor, obj: models.Model, data: dict[str, Any], *, event: str, request=None):
    created = obj.pk is None
    changes = _changed(obj, data)
    obj.full_clean()
    obj.save()
    if not created and "name" in changes:
        search.renamed(obj)  # search documents that copy this name (the hazard ledger's) follow it, in this transaction
    if created or changes:
        audit(event, actor=actor, obj=obj, request=request, changes=changes if not created else {})
    return obj


def _check_region(actor, region_code: int | None, field: str = "region") -> None:
    if not scope_of(actor).covers_region(region_code) and scope_of(actor).kind != "all":
        raise ValidationError({field: [_("This region is outside your scope.")]})


# --- Enterprises -----------------------------------------------------------------------------------------


@transaction.atomic
def enterprise_save(*, actor, enterprise: Enterprise | None = None, request=None, **data) -> Enterprise:
    """Create (regulators) or change (regulators; an enterprise user its own) an enterprise."""
    _require_writer(actor)
    scope = scope_of(actor)
    if enterprise is None:
        if scope.kind not in {"all", "region"}:
            raise Forbidden(_("Only regulators can register enterprises."))
        enterprise = Enterprise()
    elif scope.kind == "project" or (scope.kind == "enterprise" and enterprise.pk != scope.enterprise):
        raise Forbidden(_("You may not change this enterprise."))
    if scope.kind == "enterprise":
        data.pop("region", None)
    if "region" in data:
        _check_region(actor, getattr(data["region"], "pk", None))
    _check_bans(principal=data.get("principal"), actual_controller=data.get("actual_controller"))
    return _save(actor, enterprise, data, event="enterprise.saved", request=request)


@transaction.atomic
def qualification_save(*, actor, qualification: Qualification | None = None, request=None, **data):
    _require_writer(actor)
    enterprise = data.get("enterprise") or qualification.enterprise
    if scope_of(actor).kind == "project" or not Enterprise.objects.visible_to(actor).filter(pk=enterprise.pk).exists():
        raise Forbidden(_("You may not change this enterprise."))
    return _save(actor, qualification or Qualification(), data, event="qualification.saved", request=request)


# --- Projects --------------------------------------------------------------------------------------------


@transaction.atomic
def project_save(*, actor, project: Project | None = None, request=None, **data) -> Project:
    """Create or change a project: regulators in their region, enterprise users as its contractor."""
    _require_writer(actor)
    scope = scope_of(actor)
    if scope.kind == "project" and (project is None or project.pk != scope.project):
        raise Forbidden(_("You may not change this project."))
    if scope.kind == "enterprise":
        contractor = data.get("contractor") or (project.contractor if project else None)
        if contractor is None or contractor.pk != scope.enterprise:
            raise ValidationError({"contractor": [_("Enterprise users register projects of their own enterprise.")]})
    if scope.kind == "project":
        data.pop("contractor", None)
        data.pop("region", None)
    if "region" in data and scope.kind == "region":
        _check_region(actor, getattr(data["region"], "pk", None))
    _check_bans(manager=data.get("manager"))
    return _save(actor, project or Project(), data, event="project.saved", request=request)


@transaction.atomic
def participant_add(*, actor, project: Project, enterprise: Enterprise, role: str, request=None):
    _require_writer(actor)
    if not can_edit_project(actor, project) or not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise Forbidden(_("You may not change this project."))
    return _save(actor, ProjectParticipant(), {"project": project, "enterprise": enterprise, "role": role},
                 event="participant.added", request=request)


@transaction.atomic
def dangerous_work_save(*, actor, work: DangerousWork | None = None, request=None, **data) -> DangerousWork:
    _require_writer(actor)
    project = data.get("project") or work.project
    if not can_edit_project(actor, project) or not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
        raise Forbidden(_("You may not change this project."))
    return _save(actor, work or DangerousWork(), data, event="dangerous_work.saved", request=request)


# --- Persons, employment, certificates --------------------------------------------------------------------


def _default_employer(actor) -> tuple[Enterprise | None, Project | None]:
    scope = scope_of(actor)
    if scope.kind == "enterprise":
        return Enterprise.objects.get(pk=scope.enterprise), None
    if scope.kind == "project":
        project = Project.objects.select_related("contractor").get(pk=scope.project)
        return project.contractor, project
    return None, None


def _default_region(actor, *, enterprise: Enterprise | None, project: Project | None) -> Region:
    """Where a person is registered when the caller leaves it out (API.md, Registry: persons): a project user's
    project, an enterprise user's enterprise, the employer named on an import row, a county regulator's county.
    A wider scope (a city, a province, the platform) has no one answer, so the caller must give it."""
    if scope_of(actor).kind == "project" and project is not None:
        return project.region
    if enterprise is not None:
        return enterprise.region
    if scope_of(actor).kind == "region" and actor.region.level == Region.Level.COUNTY:
        return actor.region
    raise ValidationError({"region": [_("Give the region the person is registered in: your scope covers more "
                                        "than one county.")]})


@transaction.atomic
def person_register(
    *, actor, name: str, id_number: str, region=None, phone: str = "", employment_kind: str = "staff",
    position: str = "", enterprise: Enterprise | None = None, project: Project | None = None,
    started=None, ended=None, request=None,
) -> Person:
    """Register a person by resident ID (实名制). An enterprise or project user registering someone already on
    the platform attaches an employment instead of creating a duplicate (and learns nothing more about them).

    The employment goes to the caller's own enterprise/project unless `enterprise`/`project` name another one
    (employment_save still checks that the caller may record it)."""
    _require_writer(actor)
    id_number = (id_number or "").strip().upper()
    if enterprise is None or project is None:
        default_enterprise, default_project = _default_employer(actor)
        enterprise = enterprise or default_enterprise
        project = project or default_project
    if region is None:
        region = _default_region(actor, enterprise=enterprise, project=project)
    elif scope_of(actor).kind == "region":
        _check_region(actor, region.pk)
    person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        person = _save(actor, Person(), {"name": name, "id_number": id_number, "phone": phone, "region": region},
                       event="person.registered", request=request)
    elif enterprise is None:
        raise ValidationError({"id_number": [_("A person with this resident ID number is already registered.")]})
    if enterprise is not None:
        employment_save(actor=actor, person=person, enterprise=enterprise, project=project, kind=employment_kind,
                        position=position, started=started, ended=ended, request=request)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, request=None, **data) -> Person:
    _require_writer(actor)
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise Forbidden(_("You may not change this person."))
    if "region" in data and scope_of(actor).kind == "region":
        _check_region(actor, getattr(data["region"], "pk", None))
    return _save(actor, person, data, event="person.updated", request=request)


@transaction.atomic
def employment_save(*, actor, employment: Employment | None = None, request=None, **data) -> Employment:
    _require_writer(actor)
    scope = scope_of(actor)
    enterprise = data.get("enterprise") or employment.enterprise
    project = data.get("project", employment.project if employment else None)
    if scope.kind == "enterprise" and enterprise.pk != scope.enterprise:
        raise ValidationError({"enterprise": [_("You can only record employment by your own enterprise.")]})
    if scope.kind == "project" and (project is None or project.pk != scope.project):
        raise ValidationError({"project": [_("You can only record employment on your own project.")]})
    if scope.kind == "region":
        _check_region(actor, enterprise.region_id, "enterprise")
    return _save(actor, employment or Employment(), data, event="employment.saved", request=request)


@transaction.atomic
def certificate_save(*, actor, certificate: Certificate | None = None, request=None, **data) -> Certificate:
    _require_writer(actor)
    person = data.get("person") or certificate.person
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person": [_("Unknown person.")]})
    return _save(actor, certificate or Certificate(), data, event="certificate.saved", request=request)
