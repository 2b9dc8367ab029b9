"""Every registry list runs the same number of SQL queries for a page of 5 and a page of 50 (no N+1).

Requests authenticate with a real token, as clients do, so the count includes authentication:
1 token+user lookup, then per endpoint as commented.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from zhiben.core.timeutils import beijing_today
from zhiben.registry.factories import (
    CertificateFactory,
    EmploymentFactory,
    EnterpriseFactory,
    PersonFactory,
    ProjectFactory,
)
from zhiben.registry.models import DangerousWork, ProjectParticipant, Qualification

pytestmark = pytest.mark.django_db

ROWS = 55


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def assert_same_queries(client, url, expected, django_assert_num_queries):
    for page_size in (5, 50):
        with django_assert_num_queries(expected):
            response = client.get(url, {"page_size": page_size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == page_size


def test_regions(platform_admin, django_assert_num_queries):
    # token, count, page
    assert_same_queries(token_client(platform_admin), "/api/v1/regions/", 3, django_assert_num_queries)


def test_enterprises(regulator, jiaocheng, django_assert_num_queries):
    for enterprise in EnterpriseFactory.create_batch(ROWS, region=jiaocheng):
        Qualification.objects.create(enterprise=enterprise, category="general", name="施工总承包", grade="三级",
                                     certificate_no=f"D{enterprise.pk:09d}",
                                     expires=beijing_today() + dt.timedelta(days=365))
    # token, count, page (with principal, actual controller), qualifications
    assert_same_queries(token_client(regulator), "/api/v1/enterprises/", 4, django_assert_num_queries)


def test_projects(regulator, enterprise, other_enterprise, django_assert_num_queries):
    for project in ProjectFactory.create_batch(ROWS, contractor=enterprise):
        ProjectParticipant.objects.create(project=project, enterprise=other_enterprise, role="supervisor")
        DangerousWork.objects.create(project=project, category="scaffold", description="悬挑脚手架")
    # token, count, page (with contractor and manager), participants (with enterprise), dangerous works
    assert_same_queries(token_client(regulator), "/api/v1/projects/", 5, django_assert_num_queries)


def test_persons(regulator, enterprise, django_assert_num_queries):
    for person in PersonFactory.create_batch(ROWS):
        EmploymentFactory(person=person, enterprise=enterprise)
        CertificateFactory(person=person)
    # token, count, page (with certificate counts), the caller's permissions (user, group) for masking
    assert_same_queries(token_client(regulator), "/api/v1/persons/", 5, django_assert_num_queries)


def test_persons_unmasked_for_an_administrator(platform_admin, django_assert_num_queries):
    CertificateFactory.create_batch(ROWS)
    # token, count, page, one audit row for the reveal
    assert_same_queries(token_client(platform_admin), "/api/v1/persons/", 4, django_assert_num_queries)


def test_certificates(regulator, django_assert_num_queries):
    CertificateFactory.create_batch(ROWS)
    # token, count, page (with person)
    assert_same_queries(token_client(regulator), "/api/v1/certificates/", 3, django_assert_num_queries)
