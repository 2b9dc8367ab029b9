"""Every registry page against the fixed cast: in scope 200, out of scope 404 (in both directions), a role
that only reads 403 on the writing pages, and the public sent to the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhiben.registry.tests.web.conftest import CAST, READERS, REGULATOR_WRITERS, SEES

LISTS = ["enterprise_list", "project_list", "person_list", "certificate_list", "warnings"]

# page name → (attribute of a world side that holds its object, whether the page writes)
OBJECT_PAGES = {
    "enterprise_detail": ("enterprise", False),
    "project_detail": ("project", False),
    "person_detail": ("person", False),
    "enterprise_edit": ("enterprise", True),
    "qualification_create": ("enterprise", True),
    "qualification_edit": ("qualification", True),
    "project_edit": ("project", True),
    "participant_create": ("project", True),
    "dangerous_work_create": ("project", True),
    "dangerous_work_edit": ("dangerous_work", True),
    "person_edit": ("person", True),
    "employment_create": ("person", True),
    "employment_edit": ("employment", True),
    "certificate_create": ("person", True),
    "certificate_edit": ("certificate", True),
}
ENTERPRISE_PAGES = {"enterprise_edit", "qualification_create", "qualification_edit"}
PROJECT_PAGES = {"project_edit", "participant_create", "dangerous_work_create", "dangerous_work_edit"}


def expected_status(user: str, page: str, side: str) -> int:
    _attr, writes = OBJECT_PAGES[page]
    if side not in SEES[user]:
        return 404
    if not writes:
        return 200
    if user in READERS:
        return 403
    if user == "project_user" and page == "qualification_edit":
        return 404  # qualifications are outside a project team's scope (Qualification.scope_project)
    if user == "project_user" and page in ENTERPRISE_PAGES:
        return 403  # a project team reads its contractor's record but does not change it
    return 200


@pytest.mark.django_db
@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("page", LISTS)
def test_every_list_opens_for_every_member_of_the_cast(client, cast, world, user, page):
    client.force_login(cast(user))
    assert client.get(reverse(f"registry:{page}")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("side", ["home", "sibling", "other"])
@pytest.mark.parametrize("page", list(OBJECT_PAGES))
def test_object_pages_answer_by_scope_and_role(client, cast, world, user, side, page):
    client.force_login(cast(user))
    obj = getattr(getattr(world, side), OBJECT_PAGES[page][0])
    response = client.get(reverse(f"registry:{page}", args=[obj.pk]))
    assert response.status_code == expected_status(user, page, side)


@pytest.mark.django_db
@pytest.mark.parametrize("user", CAST)
@pytest.mark.parametrize("page", ["enterprise_create", "project_create", "person_create"])
def test_create_pages_open_only_to_roles_that_may_create(client, cast, world, user, page):
    client.force_login(cast(user))
    allowed = {
        "enterprise_create": REGULATOR_WRITERS,
        "project_create": REGULATOR_WRITERS | {"enterprise_user", "other_enterprise_user"},
        "person_create": set(CAST) - READERS,
    }[page]
    assert client.get(reverse(f"registry:{page}")).status_code == (200 if user in allowed else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("page", [*LISTS, "enterprise_create", "project_create", "person_create"])
def test_the_public_is_sent_to_login_from_lists(client, world, page):
    url = reverse(f"registry:{page}")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(OBJECT_PAGES))
def test_the_public_is_sent_to_login_from_object_pages(client, world, page):
    obj = getattr(world.home, OBJECT_PAGES[page][0])
    url = reverse(f"registry:{page}", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_a_missing_object_is_404_like_one_out_of_scope(client, regulator):
    client.force_login(regulator)
    for page in ["enterprise_detail", "project_detail", "person_detail", "certificate_edit"]:
        assert client.get(reverse(f"registry:{page}", args=[987654])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["leader", "expert"])
def test_readers_who_post_are_refused_and_nothing_changes(client, cast, world, user):
    client.force_login(cast(user))
    enterprise = world.home.enterprise
    posts = [
        (reverse("registry:enterprise_create"), {"name": "偷偷注册的公司"}),
        (reverse("registry:enterprise_edit", args=[enterprise.pk]), {"name": "改名"}),
        (reverse("registry:person_create"), {"name": "某人"}),
        (reverse("registry:certificate_create", args=[world.home.person.pk]), {"kind": "A"}),
        (reverse("registry:dangerous_work_create", args=[world.home.project.pk]), {"category": "pit"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    enterprise.refresh_from_db()
    assert enterprise.name == "交城县建筑工程有限公司"


@pytest.mark.django_db
def test_buttons_show_only_to_those_who_may_write(client, world, regulator, leader, project_user):
    detail = reverse("registry:enterprise_detail", args=[world.home.enterprise.pk])
    client.force_login(regulator)
    assert b'data-testid="edit"' in client.get(detail).content
    assert b'data-testid="create"' in client.get(reverse("registry:enterprise_list")).content
    client.force_login(leader)
    assert b'data-testid="edit"' not in client.get(detail).content
    assert b'data-testid="create"' not in client.get(reverse("registry:enterprise_list")).content
    client.force_login(project_user)
    assert b'data-testid="edit"' not in client.get(detail).content  # reads its contractor, edits its project
    project_page = client.get(reverse("registry:project_detail", args=[world.home.project.pk])).content
    assert b'data-testid="edit"' in project_page


@pytest.mark.django_db
def test_a_participating_unit_reads_the_project_but_does_not_change_it(client, world, other_enterprise_user):
    from zhiben.registry.models import ProjectParticipant

    ProjectParticipant.objects.create(project=world.home.project, enterprise=world.other.enterprise,
                                      role="specialty_sub")
    client.force_login(other_enterprise_user)
    project = world.home.project
    page = client.get(reverse("registry:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert b'data-testid="edit"' not in page.content
    assert client.get(reverse("registry:project_edit", args=[project.pk])).status_code == 403
    response = client.post(reverse("registry:dangerous_work_create", args=[project.pk]),
                           {"category": "pit", "description": "x", "status": "planned"})
    assert response.status_code == 403
