"""The early-warning page: licences, qualifications and certificates expired or expiring within 30 days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from zhiben.registry.factories import CertificateFactory, EnterpriseFactory, PersonFactory
from zhiben.registry.models import Qualification

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 15)


@pytest.fixture
def dated(world, jiaocheng):
    """Around 2025-06-15 (Beijing): what has expired, what expires within 30 days, and what is still valid."""
    home, other = world.home, world.other
    for side, expires in [(home, TODAY - dt.timedelta(days=1)), (world.sibling, TODAY + dt.timedelta(days=30)),
                          (other, TODAY)]:
        side.enterprise.safety_licence_expires = expires
        side.enterprise.save()
        side.qualification.expires = expires
        side.qualification.save()
        side.certificate.issued = TODAY - dt.timedelta(days=3 * 365)
        side.certificate.expires = expires
        side.certificate.save()
    EnterpriseFactory(region=jiaocheng, safety_licence_expires=TODAY + dt.timedelta(days=31))  # not yet
    Qualification.objects.create(enterprise=home.enterprise, category="other", name="无期限资质",
                                 certificate_no="NOEXPIRY", expires=None)
    CertificateFactory(person=home.person, kind="A", issued=TODAY - dt.timedelta(days=1200),
                       expires=TODAY - dt.timedelta(days=400), revoked=True)
    # a person nobody employs in scope… registered here
    CertificateFactory(person=PersonFactory(), issued=TODAY - dt.timedelta(days=365), expires=TODAY)
    return world


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC))
def test_a_regulator_sees_the_county_in_three_tables_with_counts(client, regulator, dated):
    client.force_login(regulator)
    response = client.get(reverse("registry:warnings"))
    licences, qualifications, certificates = (response.context[k] for k in
                                              ("licences", "qualifications", "certificates"))
    assert [e.pk for e in licences["page"]] == [dated.home.enterprise.pk, dated.sibling.enterprise.pk]
    assert (licences["total"], licences["expired"], licences["expiring"]) == (2, 1, 1)
    assert [q.pk for q in qualifications["page"]] == [dated.home.qualification.pk, dated.sibling.qualification.pk]
    assert (qualifications["expired"], qualifications["expiring"]) == (1, 1)
    # the person registered in the county without employment is the county's too; the revoked one is not listed
    assert certificates["total"] == 3 and certificates["expired"] == 1
    content = response.content.decode()
    assert 'data-status="expired"' in content and 'data-status="expiring"' in content
    assert dated.other.enterprise.name not in content


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC))
def test_an_enterprise_user_sees_only_its_own(client, enterprise_user, dated):
    client.force_login(enterprise_user)
    response = client.get(reverse("registry:warnings"))
    assert [e.pk for e in response.context["licences"]["page"]] == [dated.home.enterprise.pk]
    assert [c.pk for c in response.context["certificates"]["page"]] == [dated.home.certificate.pk]


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC))
def test_the_other_county_sees_its_own(client, other_regulator, dated):
    client.force_login(other_regulator)
    response = client.get(reverse("registry:warnings"))
    assert [e.pk for e in response.context["licences"]["page"]] == [dated.other.enterprise.pk]
    assert response.context["licences"]["expiring"] == 1  # expires today: not yet expired


@time_machine.travel(dt.datetime(2025, 6, 15, 9, 0, tzinfo=dt.UTC))
def test_each_table_pages_on_its_own(client, regulator, jiaocheng, dated, settings):
    from zhiben.registry.web import views

    for _ in range(views.PAGE_SIZE):
        EnterpriseFactory(region=jiaocheng, safety_licence_expires=TODAY)
    client.force_login(regulator)
    url = reverse("registry:warnings")
    first = client.get(url).context["licences"]
    assert first["total"] == views.PAGE_SIZE + 2 and first["next"] == "?lpage=2"
    second = client.get(url, {"lpage": 2, "cpage": 1}).context
    assert len(second["licences"]["page"]) == 2 and second["certificates"]["page"].number == 1
    assert client.get(url, {"lpage": "x", "qpage": "-3"}).status_code == 200
