"""A small registry world on top of the fixed cast: for each of three sides — the cast's own enterprise in
交城县 ("home"), a sibling enterprise in the same county, and the other county's enterprise — a project, a
worker employed on it with a certificate, a qualification and a dangerous work."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission

from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import (
    CertificateFactory,
    EmploymentFactory,
    EnterpriseFactory,
    PersonFactory,
    ProjectFactory,
)
from zhiben.registry.models import DangerousWork, Qualification

# Who sees which side (BRIEF.md, "Who uses it"); the city regulator and the platform see every county.
SEES = {
    "regulator": {"home", "sibling"},
    "inspector": {"home", "sibling"},
    "leader": {"home", "sibling"},
    "expert": {"home", "sibling"},
    "other_regulator": {"other"},
    "city_regulator": {"home", "sibling", "other"},
    "platform_admin": {"home", "sibling", "other"},
    "enterprise_user": {"home"},
    "other_enterprise_user": {"other"},
    "project_user": {"home"},
}
CAST = list(SEES)
READERS = {"leader", "expert"}
WRITERS = set(CAST) - READERS
REGULATOR_WRITERS = {"regulator", "inspector", "other_regulator", "city_regulator", "platform_admin"}


def _side(enterprise, project, name: str, region):
    worker = PersonFactory(name=name, region=region)
    EmploymentFactory(person=worker, enterprise=enterprise, project=project, position="钢筋工",
                      started=dt.date(2024, 3, 1))
    certificate = CertificateFactory(person=worker, kind="electrician")
    qualification = Qualification.objects.create(
        enterprise=enterprise, category="general", name="建筑工程施工总承包", grade="二级",
        certificate_no=f"D2141{enterprise.pk:05d}", expires=beijing_today() + dt.timedelta(days=2 * 365),
    )
    work = DangerousWork.objects.create(project=project, category="pit", description=f"{project.name}基坑开挖",
                                        over_threshold=True)
    return SimpleNamespace(enterprise=enterprise, project=project, person=worker, certificate=certificate,
                           qualification=qualification, dangerous_work=work, employment=worker.employments.get())


@pytest.fixture
def world(enterprise, project, other_enterprise, other_project, jiaocheng, other_county):
    sibling = EnterpriseFactory(region=jiaocheng, name="交城县第二建筑安装有限公司")
    sibling_project = ProjectFactory(contractor=sibling, name="交城县第二中学教学楼")
    return SimpleNamespace(
        home=_side(enterprise, project, "王建国", jiaocheng),
        sibling=_side(sibling, sibling_project, "赵同县", jiaocheng),
        other=_side(other_enterprise, other_project, "李离石", other_county),
    )


@pytest.fixture
def cast(request):
    """Fetch a cast member by fixture name (parametrised tests)."""
    return lambda name: request.getfixturevalue(name)


def grant_reveal(user):
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive_person"))
    return user


def bad_check_character(uscc: str) -> str:
    """The same USCC with a wrong check character."""
    return uscc[:17] + ("0" if uscc[17] != "0" else "1")


def bad_check_digit(number: str) -> str:
    """The same resident ID number with a wrong check digit."""
    return number[:17] + ("0" if number[17] != "0" else "1")
