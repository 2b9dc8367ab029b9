"""/api/v1/projects/: scope of every role, participants and dangerous works, writes through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.models import AuditLog
from zhiben.registry.models import DangerousWork, LifetimeBan, Project, ProjectParticipant
from zhiben.registry.tests.api.conftest import READ_ONLY_ROLES, ROLES, SIGNED_IN, VISIBLE, ids

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects/"
EVERY_PROJECT = ["project", "other_project"]


def new_project(world, **extra) -> dict:
    return {"name": "交城县第二中学教学楼", "region": "141122", "address": "交城县天宁镇",
            "contractor": world.enterprise.pk, "status": "preparing", **extra}


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_list_holds_exactly_the_projects_in_the_callers_scope(role, world, client_as):
    expected = {world.get(name).pk for name in VISIBLE[role]["projects"]}
    assert ids(client_as(role).get(URL)) == expected


def test_anonymous_callers_get_401(world, client_as):
    client = client_as("anonymous")
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}{world.project.pk}/").status_code == 401
    assert client.post(URL, new_project(world), format="json").status_code == 401
    assert client.patch(f"{URL}{world.project.pk}/", {"name": "x"}, format="json").status_code == 401


@pytest.mark.parametrize("role", SIGNED_IN)
@pytest.mark.parametrize("name", EVERY_PROJECT)
def test_detail_is_200_inside_the_scope_and_404_outside(role, name, world, client_as):
    response = client_as(role).get(f"{URL}{world.get(name).pk}/")
    assert response.status_code == (200 if name in VISIBLE[role]["projects"] else 404)


def test_a_participating_enterprise_sees_the_project_it_takes_part_in(world, client_as):
    ProjectParticipant.objects.create(project=world.other_project, enterprise=world.enterprise, role="supervisor")
    assert ids(client_as("enterprise_user").get(URL)) == {world.project.pk, world.other_project.pk}
    assert client_as("enterprise_user").get(f"{URL}{world.other_project.pk}/").status_code == 200


def test_it_returns_the_fields_of_the_contract_and_the_related_lists(world, client_as):
    world.project.manager = world.worker
    world.project.save()
    ProjectParticipant.objects.create(project=world.project, enterprise=world.other_enterprise, role="supervisor")
    DangerousWork.objects.create(project=world.project, category="pit", description="基坑开挖深度 6 米",
                                 over_threshold=True)
    for body in (client_as("regulator").get(f"{URL}{world.project.pk}/").json(),
                 client_as("regulator").get(URL).json()["results"][0]):
        assert body["id"] == world.project.pk
        assert body["name"] == "交城县人民医院门诊楼"
        assert body["region"] == "141122"
        assert body["address"] == "交城县天宁镇"
        assert body["contractor"] == world.enterprise.pk
        assert body["manager"] == world.worker.pk
        assert body["status"] == "under_construction"
        assert body["participants"] == [{"enterprise": world.other_enterprise.pk,
                                         "enterprise_name": "离石区建设集团有限公司", "role": "supervisor"}]
        assert body["dangerous_works"][0]["over_threshold"] is True


def test_filters_of_the_shared_filterset_apply(world, client_as):
    client = client_as("platform_admin")
    assert ids(client.get(URL, {"region": "141102"})) == {world.other_project.pk}
    assert ids(client.get(URL, {"contractor": world.enterprise.pk})) == {world.project.pk}
    assert ids(client.get(URL, {"q": "滨河"})) == {world.other_project.pk}
    assert ids(client.get(URL, {"status": "completed"})) == set()


# --- writes ------------------------------------------------------------------------------------------------

CREATE_STATUS = {
    "regulator": 201, "inspector": 201, "leader": 403, "expert": 403,
    "other_regulator": 400,  # neither the contractor nor 141122 is theirs
    "city_regulator": 201, "enterprise_user": 201,
    "other_enterprise_user": 400,  # may register projects of its own enterprise only
    "project_user": 403, "platform_admin": 201, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_registering_a_project_follows_role_and_scope(role, world, client_as):
    response = client_as(role).post(URL, new_project(world), format="json")
    assert response.status_code == CREATE_STATUS[role], response.content
    if response.status_code == 201:
        body = response.json()
        project = Project.objects.get(pk=body["id"])
        assert (project.contractor, project.region_id, body["region"]) == (world.enterprise, 141122, "141122")
        assert AuditLog.objects.filter(event="project.saved", object_id=str(project.pk)).exists()
    elif response.status_code == 400:
        assert "contractor" in response.json()["errors"]
    if response.status_code != 201:
        assert not Project.objects.filter(name="交城县第二中学教学楼").exists()


def test_an_enterprise_user_may_leave_out_the_contractor(world, client_as):
    payload = new_project(world)
    del payload["contractor"]
    response = client_as("enterprise_user").post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["contractor"] == world.enterprise.pk


def test_a_regulator_must_name_the_contractor(world, client_as):
    payload = new_project(world)
    del payload["contractor"]
    response = client_as("regulator").post(URL, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["contractor"]


PATCH_STATUS = {
    "regulator": 200, "inspector": 200, "leader": 403, "expert": 403, "other_regulator": 404,
    "city_regulator": 200, "enterprise_user": 200, "other_enterprise_user": 404, "project_user": 200,
    "platform_admin": 200, "anonymous": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_project_follows_role_and_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.project.pk}/", {"stage": "structure"}, format="json")
    assert response.status_code == PATCH_STATUS[role], response.content
    world.project.refresh_from_db()
    assert (world.project.stage == "structure") is (response.status_code == 200)


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_get_403_even_for_projects_outside_their_scope(role, world, client_as):
    response = client_as(role).patch(f"{URL}{world.other_project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_a_manager_under_a_lifetime_ban_is_refused_on_the_field(world, client_as):
    LifetimeBan.objects.create(person=world.worker, reason="重大事故责任人", decided_on=dt.date(2024, 3, 1))
    response = client_as("regulator").patch(f"{URL}{world.project.pk}/", {"manager": world.worker.pk},
                                            format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["manager"]


def test_an_unknown_status_is_refused_on_the_field(world, client_as):
    response = client_as("regulator").patch(f"{URL}{world.project.pk}/", {"status": "flying"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
