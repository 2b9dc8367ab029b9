"""Lists run a fixed number of queries whatever the number of rows on the page (STYLE.md: pinned counts).

A request by a logged-in regulator costs 6 statements besides the page's own: reading the session and the user,
the user's region (the scope label in the header), and saving the session (SESSION_SAVE_EVERY_REQUEST), which
inside a test's transaction is an UPDATE between a SAVEPOINT and its RELEASE.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import CertificateFactory, EmploymentFactory, EnterpriseFactory, ProjectFactory
from zhiben.registry.models import Qualification
from zhiben.registry.web.views import PAGE_SIZE

pytestmark = pytest.mark.django_db


def populate(rows: int, region) -> None:
    """`rows` enterprises, each with a project, a worker on it, an expiring certificate and qualification."""
    soon = beijing_today() + dt.timedelta(days=5)
    for _ in range(rows):
        enterprise = EnterpriseFactory(region=region, safety_licence_expires=soon)
        project = ProjectFactory(contractor=enterprise)
        employment = EmploymentFactory(enterprise=enterprise, project=project)
        CertificateFactory(person=employment.person, expires=soon)
        Qualification.objects.create(enterprise=enterprise, category="general", name="施工总承包", grade="三级",
                                     certificate_no=f"Q{enterprise.pk}", expires=soon)


# page → queries of the page itself: count + rows (+ one prefetch of employments on the person list;
# the warnings page: an aggregate and a page for each of its three tables)
PAGES = {
    "enterprise_list": 2,
    "project_list": 2,
    "person_list": 3,
    "certificate_list": 2,
    "warnings": 6,
}
REQUEST_OVERHEAD = 6


@pytest.mark.parametrize("rows", [5, PAGE_SIZE])
@pytest.mark.parametrize("page", list(PAGES))
def test_lists_run_a_fixed_number_of_queries(client, regulator, jiaocheng, django_assert_num_queries, page, rows):
    populate(rows, jiaocheng)
    client.force_login(regulator)
    with django_assert_num_queries(REQUEST_OVERHEAD + PAGES[page]):
        response = client.get(reverse(f"registry:{page}"))
    assert response.status_code == 200
    shown = response.context["licences"]["page"] if page == "warnings" else response.context["page"]
    assert len(shown) == rows


# detail page → (queries of the page itself, how to add one more related row to it)
def _add_employee(side):
    EmploymentFactory(enterprise=side.enterprise, project=side.project)


def _add_participant(side):
    from zhiben.registry.models import ProjectParticipant

    ProjectParticipant.objects.create(project=side.project, enterprise=EnterpriseFactory(), role="supervisor")
    side.project.dangerous_works.create(category="scaffold", description="悬挑脚手架", over_threshold=True)


def _add_certificate(side):
    CertificateFactory(person=side.person)
    EmploymentFactory(person=side.person, enterprise=side.enterprise)


DETAILS = {
    # enterprise, qualifications, projects, project count, participations, employee count
    "enterprise_detail": (6, "enterprise", _add_employee),
    # project (with manager), participants, dangerous works, worker count, visible enterprises
    "project_detail": (5, "project", _add_participant),
    # person, employments, certificates, the viewer's permissions (own and groups'), lifetime ban
    "person_detail": (6, "person", _add_certificate),
}


@pytest.mark.parametrize("extra", [1, 10])
@pytest.mark.parametrize("page", list(DETAILS))
def test_detail_pages_run_a_fixed_number_of_queries(client, regulator, world, django_assert_num_queries, page,
                                                    extra):
    queries, attr, add = DETAILS[page]
    for _ in range(extra):
        add(world.home)
    client.force_login(regulator)
    with django_assert_num_queries(REQUEST_OVERHEAD + queries):
        response = client.get(reverse(f"registry:{page}", args=[getattr(world.home, attr).pk]))
    assert response.status_code == 200
