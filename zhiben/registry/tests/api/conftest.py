"""A small registry world around the cast: what each role must see, and a client logged in as any role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from zhiben.registry.factories import CertificateFactory, EmploymentFactory, PersonFactory, make_id_number
from zhiben.registry.models import Certificate, Enterprise, Person, Project

ROLES = [
    "regulator", "inspector", "leader", "expert", "other_regulator", "city_regulator", "enterprise_user",
    "other_enterprise_user", "project_user", "platform_admin", "anonymous",
]
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
READ_ONLY_ROLES = ["leader", "expert"]

# What each role sees, by the names of the World's attributes.
_COUNTY = {"enterprises": {"enterprise"}, "projects": {"project"}, "persons": {"worker", "staff", "resident"}}
_OTHER = {"enterprises": {"other_enterprise"}, "projects": {"other_project"}, "persons": {"outsider"}}
_ALL = {key: _COUNTY[key] | _OTHER[key] for key in _COUNTY}
VISIBLE = {
    "regulator": _COUNTY,
    "inspector": _COUNTY,
    "leader": _COUNTY,
    "expert": _COUNTY,
    "other_regulator": _OTHER,
    "city_regulator": _ALL,  # 吕梁市 covers 交城县 and 离石区
    "enterprise_user": {"enterprises": {"enterprise"}, "projects": {"project"}, "persons": {"worker", "staff"}},
    "other_enterprise_user": _OTHER,
    "project_user": {"enterprises": {"enterprise"}, "projects": {"project"}, "persons": {"worker"}},
    "platform_admin": _ALL,
}
for _role in VISIBLE:
    VISIBLE[_role] = {**VISIBLE[_role], "certificates": VISIBLE[_role]["persons"]}


@dataclass
class World:
    enterprise: Enterprise
    other_enterprise: Enterprise
    project: Project
    other_project: Project
    worker: Person  # employed by the enterprise on the project
    staff: Person  # employed by the enterprise, on no project
    resident: Person  # registered in 交城县, employed nowhere
    outsider: Person  # registered in 离石区, employed by the other enterprise on its project
    certificates: dict[str, Certificate]

    def get(self, name: str):
        return getattr(self, name)


@pytest.fixture
def world(enterprise, other_enterprise, project, other_project, other_county) -> World:
    worker = PersonFactory(name="张工人", phone="13912345678")
    EmploymentFactory(person=worker, enterprise=enterprise, project=project)
    staff = PersonFactory(name="李职员")
    EmploymentFactory(person=staff, enterprise=enterprise)
    resident = PersonFactory(name="王居民")
    outsider = PersonFactory(name="赵外县", region=other_county,
                             id_number=make_id_number(7, region=141102, birth=dt.date(1990, 3, 3)))
    EmploymentFactory(person=outsider, enterprise=other_enterprise, project=other_project)
    certificates = {
        name: CertificateFactory(person=person)
        for name, person in {"worker": worker, "staff": staff, "resident": resident, "outsider": outsider}.items()
    }
    return World(enterprise, other_enterprise, project, other_project, worker, staff, resident, outsider,
                 certificates)


@pytest.fixture
def client_as(request):
    """`client_as("leader")` → an APIClient authenticated as that cast member (or anonymous)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(request.getfixturevalue(role))
        return client

    return make


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
