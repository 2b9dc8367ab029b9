"""Project pages: registration by regulators and contractors, editing by the project team, participants by
USCC, dangerous works with their over-threshold flags."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from zhiben.registry.factories import EmploymentFactory, EnterpriseFactory, PersonFactory, make_uscc
from zhiben.registry.models import DangerousWork, Project, ProjectParticipant
from zhiben.registry.tests.web.conftest import bad_check_character

pytestmark = pytest.mark.django_db


def project_data(**extra):
    return {"name": "交城县文体中心", "kind": "building", "address": "交城县城南新区", "status": "preparing",
            **extra}


def test_a_regulator_registers_a_project_for_a_contractor_of_the_county(client, regulator, enterprise, jiaocheng):
    client.force_login(regulator)
    response = client.post(reverse("registry:project_create"),
                           project_data(region=jiaocheng.pk, contractor=enterprise.pk, permit_no="141122202405010101"))
    project = Project.objects.get(name="交城县文体中心")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:project_detail", args=[project.pk])
    assert project.contractor == enterprise and project.permit_no == "141122202405010101"


def test_a_regulator_cannot_choose_a_contractor_it_does_not_see(client, regulator, other_enterprise, jiaocheng):
    client.force_login(regulator)
    response = client.post(reverse("registry:project_create"),
                           project_data(region=jiaocheng.pk, contractor=other_enterprise.pk))
    assert response.status_code == 200
    assert "contractor" in response.context["form"].errors
    assert 'value="交城县文体中心"' in response.content.decode()


def test_an_enterprise_user_registers_its_own_project_and_names_the_manager(client, enterprise_user, enterprise,
                                                                            jiaocheng):
    manager = PersonFactory(name="刘项目")
    EmploymentFactory(person=manager, enterprise=enterprise)
    client.force_login(enterprise_user)
    form = client.get(reverse("registry:project_create")).content.decode()
    assert 'name="contractor"' not in form and "刘项目" in form
    response = client.post(reverse("registry:project_create"),
                           project_data(region=jiaocheng.pk, manager=manager.pk, contractor=999999))
    assert response.status_code == 302
    project = Project.objects.get(name="交城县文体中心")
    assert project.contractor == enterprise and project.manager == manager


def test_completion_before_start_is_refused(client, regulator, enterprise, jiaocheng):
    client.force_login(regulator)
    response = client.post(reverse("registry:project_create"), project_data(
        region=jiaocheng.pk, contractor=enterprise.pk, start_date="2025-05-01", planned_completion="2025-01-01"))
    assert response.status_code == 200
    assert gettext("The planned completion cannot be before the start date.") in response.content.decode()


def test_the_project_team_edits_its_project_but_not_contractor_or_region(client, project_user, project):
    client.force_login(project_user)
    url = reverse("registry:project_edit", args=[project.pk])
    form = client.get(url).content.decode()
    assert 'name="contractor"' not in form and 'name="region"' not in form
    response = client.post(url, {"name": project.name, "kind": "building", "address": project.address,
                                 "status": "under_construction", "stage": "structure"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == "structure"


def test_a_participant_is_added_by_its_uscc(client, enterprise_user, project, other_enterprise):
    client.force_login(enterprise_user)
    url = reverse("registry:participant_create", args=[project.pk])
    response = client.post(url, {"uscc": other_enterprise.uscc.lower(), "role": "supervisor"})
    assert response.status_code == 302
    assert ProjectParticipant.objects.filter(project=project, enterprise=other_enterprise, role="supervisor").exists()
    page = client.get(reverse("registry:project_detail", args=[project.pk])).content.decode()
    assert other_enterprise.name in page
    # the enterprise user may not open the supervisor's record, so its name is not a link
    assert reverse("registry:enterprise_detail", args=[other_enterprise.pk]) not in page


@pytest.mark.parametrize(("uscc", "message"), [
    (bad_check_character(make_uscc(31337)), "The check character of this unified social credit code is wrong."),
    (make_uscc(31337), "No enterprise with this code is registered; ask the bureau to register it."),
])
def test_a_participant_uscc_is_validated(client, regulator, project, uscc, message):
    client.force_login(regulator)
    response = client.post(reverse("registry:participant_create", args=[project.pk]),
                           {"uscc": uscc, "role": "owner"})
    assert response.status_code == 200
    assert gettext(message) in response.content.decode()


def test_the_contractor_is_not_its_own_participant(client, regulator, project):
    client.force_login(regulator)
    response = client.post(reverse("registry:participant_create", args=[project.pk]),
                           {"uscc": project.contractor.uscc, "role": "owner"})
    assert gettext("The contractor cannot also be a participating unit.") in response.content.decode()


def test_a_participant_twice_in_the_same_role_is_refused(client, regulator, project, jiaocheng):
    owner = EnterpriseFactory(region=jiaocheng)
    client.force_login(regulator)
    url = reverse("registry:participant_create", args=[project.pk])
    assert client.post(url, {"uscc": owner.uscc, "role": "owner"}).status_code == 302
    response = client.post(url, {"uscc": owner.uscc, "role": "owner"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert ProjectParticipant.objects.filter(project=project).count() == 1


def test_dangerous_works_show_over_threshold_and_a_missing_expert_review(client, project_user, project):
    client.force_login(project_user)
    response = client.post(reverse("registry:dangerous_work_create", args=[project.pk]), {
        "category": "formwork", "description": "高大模板支撑体系（搭设高度9m）", "over_threshold": "on",
        "status": "planned",
    })
    assert response.status_code == 302
    work = DangerousWork.objects.get(project=project)
    assert work.over_threshold and not work.expert_reviewed
    page = client.get(reverse("registry:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="over-threshold"' in page and 'data-testid="review-missing"' in page

    client.post(reverse("registry:dangerous_work_edit", args=[work.pk]), {
        "category": "formwork", "description": work.description, "over_threshold": "on", "plan_approved": "on",
        "expert_reviewed": "on", "status": "in_progress",
    })
    work.refresh_from_db()
    assert work.expert_reviewed and work.status == "in_progress"
    page = client.get(reverse("registry:project_detail", args=[project.pk])).content.decode()
    assert 'data-testid="review-missing"' not in page


def test_the_detail_masks_the_manager(client, regulator, project):
    manager = PersonFactory(name="项目经理甲")
    project.manager = manager
    project.save()
    client.force_login(regulator)
    page = client.get(reverse("registry:project_detail", args=[project.pk])).content.decode()
    assert "项目经理甲" in page and manager.id_number not in page and manager.phone not in page
    assert manager.id_number[:4] + "*" * 10 + manager.id_number[-4:] in page


def test_the_list_filters_by_status_and_contractor(client, regulator, world):
    client.force_login(regulator)
    world.sibling.project.status = "completed"
    world.sibling.project.save()
    url = reverse("registry:project_list")
    assert [p.pk for p in client.get(url, {"status": "completed"}).context["page"]] == [world.sibling.project.pk]
    response = client.get(url, {"contractor": world.home.enterprise.pk})
    assert [p.pk for p in response.context["page"]] == [world.home.project.pk]
    assert response.context["contractor"] == world.home.enterprise
    response = client.get(url, {"contractor": world.other.enterprise.pk})  # out of scope: nothing, no label
    assert list(response.context["page"]) == [] and response.context["contractor"] is None
    assert client.get(url, {"contractor": "9" * 40}).status_code == 200
