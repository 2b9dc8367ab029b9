"""The competence answer: each reason alone and together, at the date edges, and the endpoint scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.core.timeutils import beijing_today
from zhiben.people.competence import competence, competence_many
from zhiben.registry.factories import CertificateFactory, EmploymentFactory, PersonFactory
from zhiben.registry.models import LifetimeBan

pytestmark = pytest.mark.django_db


def _ban(person, *, on=None, lifted=False):
    return LifetimeBan.objects.create(person=person, reason="重大事故责任", decided_on=on or beijing_today(),
                                      lifted=lifted)


def test_no_role_no_record_may_work():
    person = PersonFactory()
    assert competence(person).may_work is True
    assert competence(person).reasons == ()


def test_certificate_missing_and_valid_for_the_role():
    person = PersonFactory()
    answer = competence(person, role="electrician")
    assert answer.may_work is False and answer.reasons == ("certificate_missing",)
    CertificateFactory(person=person, kind="electrician", number="E1")
    assert competence(person, role="electrician").may_work is True
    assert competence(person, role="welder").reasons == ("certificate_missing",)
    assert competence(person, role="worker").may_work is True


def test_any_c_certificate_makes_a_safety_officer():
    person = PersonFactory()
    CertificateFactory(person=person, kind="C3", number="C3-1")
    assert competence(person, role="safety_officer").may_work is True


def test_certificate_expiry_edges():
    today = beijing_today()
    person = PersonFactory()
    CertificateFactory(person=person, kind="B", number="B1", issued=today - dt.timedelta(days=1000), expires=today)
    assert competence(person, role="project_manager").may_work is True  # valid through its expiry day
    answer = competence(person, role="project_manager", on=today + dt.timedelta(days=1))
    assert answer.reasons == ("certificate_expired",)
    # Not yet valid before its issue day.
    late = PersonFactory()
    CertificateFactory(person=late, kind="B", number="B2", issued=today + dt.timedelta(days=1),
                       expires=today + dt.timedelta(days=900))
    assert competence(late, role="project_manager").reasons == ("certificate_expired",)
    assert competence(late, role="project_manager", on=today + dt.timedelta(days=1)).may_work is True


def test_revoked_certificate_does_not_count_but_another_valid_one_does():
    person = PersonFactory()
    CertificateFactory(person=person, kind="welder", number="W1", revoked=True)
    assert competence(person, role="welder").reasons == ("certificate_expired",)
    CertificateFactory(person=person, kind="welder", number="W2")
    assert competence(person, role="welder").may_work is True


def test_ban_alone_and_with_a_missing_certificate():
    person = PersonFactory()
    _ban(person)
    assert competence(person).reasons == ("banned",)
    assert competence(person, role="crane_driver").reasons == ("banned", "certificate_missing")
    assert competence(person, on=beijing_today() - dt.timedelta(days=1)).may_work is True  # not yet decided


def test_lifted_ban_no_longer_counts():
    person = PersonFactory()
    _ban(person, lifted=True)
    assert competence(person).may_work is True


def test_many_answers_each_person_in_few_queries(django_assert_max_num_queries):
    persons = PersonFactory.create_batch(30)
    for person in persons[:10]:
        CertificateFactory(person=person, kind="scaffolder")
    _ban(persons[0])
    with django_assert_max_num_queries(3):
        answers = competence_many(persons, role="scaffolder")
    assert answers[persons[0].pk].reasons == ("banned",)
    assert sum(a.may_work for a in answers.values()) == 9
    assert answers[persons[20].pk].reasons == ("certificate_missing",)


# --- the endpoint ---------------------------------------------------------------------------------------------

def _url(person, query=""):
    return f"/api/v1/persons/{person.pk}/competence/{query}"


def test_endpoint_answers_the_contract(api, regulator, enterprise):
    person = PersonFactory()
    EmploymentFactory(person=person, enterprise=enterprise)
    api.force_authenticate(regulator)
    body = api.get(_url(person, "?role=electrician")).json()
    assert body["may_work"] is False and body["reasons"] == ["certificate_missing"]
    assert body["messages"] == ["无本岗位所需证书"]


def test_endpoint_checks_its_parameters(api, regulator, enterprise, other_project):
    person = PersonFactory()
    EmploymentFactory(person=person, enterprise=enterprise)
    api.force_authenticate(regulator)
    response = api.get(_url(person, f"?role=astronaut&project={other_project.pk}&on=2026-13-01"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"role", "project", "on"}


def test_endpoint_is_scoped(api, enterprise, other_enterprise_user, enterprise_user, other_regulator):
    person = PersonFactory()
    EmploymentFactory(person=person, enterprise=enterprise)
    for outsider in (other_enterprise_user, other_regulator):
        api.force_authenticate(outsider)
        assert api.get(_url(person)).status_code == 404
    api.force_authenticate(enterprise_user)
    assert api.get(_url(person)).status_code == 200
    assert api.get("/api/v1/persons/abc/competence/").status_code == 404
    api.force_authenticate(None)
    assert api.get(_url(person)).status_code in (401, 403)
