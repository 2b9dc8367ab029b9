"""Resident ID numbers and phones on pages: masked, unless the viewer holds registry.view_sensitive_person, in
which case each unmasked display is written to the audit log (event ``person.revealed``)."""

from __future__ import annotations

from dataclasses import dataclass

from zhiben.core.audit import audit
from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.registry.models import Person

SENSITIVE_PERMISSION = "registry.view_sensitive_person"


def can_reveal(user) -> bool:
    return user.has_perm(SENSITIVE_PERMISSION)


@dataclass(frozen=True)
class Identity:
    """What a page may print of a person's identifiers."""

    person: Person
    id_number: str
    phone: str
    revealed: bool


def identity(request, person: Person | None, *, where: str) -> Identity | None:
    """The person's identifiers for display on page `where`; audits the display when they are unmasked."""
    if person is None:
        return None
    if can_reveal(request.user):
        audit("person.revealed", actor=request.user, obj=person, request=request, page=where,
              fields=["id_number", "phone"])
        return Identity(person, person.id_number, person.phone, True)
    return Identity(person, mask_id_number(person.id_number), mask_phone(person.phone), False)
