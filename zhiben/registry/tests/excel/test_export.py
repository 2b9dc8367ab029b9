"""Exports are the filtered list the user sees: scoped, filtered by the list's query string, identifiers masked
unless the user holds the permission (and then audited)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from zhiben.core.masking import mask_id_number, mask_phone
from zhiben.core.models import AuditLog
from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.factories import CertificateFactory, EmploymentFactory, EnterpriseFactory, PersonFactory

from .conftest import read_xlsx

pytestmark = pytest.mark.django_db


def export(client, user, url: str) -> list[tuple]:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return read_xlsx(b"".join(response.streaming_content))


def column(rows: list[tuple], kind: str, field: str) -> list:
    index = [c.field for c in KINDS[kind].columns].index(field)
    return [row[index] for row in rows[1:]]


def grant_sensitive(user):
    user.user_permissions.add(Permission.objects.get(codename="view_sensitive_person"))


def test_the_header_is_the_kinds_columns(client, regulator):
    rows = export(client, regulator, "/registry/export/certificates/")
    assert list(rows[0]) == [c.header_text() for c in KINDS["certificates"].columns]


def test_an_export_holds_only_what_the_user_sees(client, regulator, enterprise, other_enterprise):
    names = column(export(client, regulator, "/registry/export/enterprises/"), "enterprises", "name")
    assert enterprise.name in names and other_enterprise.name not in names


def test_an_export_applies_the_lists_filters(client, city_regulator, enterprise, other_enterprise):
    EnterpriseFactory(name="交城县另一家建筑公司", region=enterprise.region)
    rows = export(client, city_regulator, "/registry/export/enterprises/")
    assert len(rows) == 4  # the city sees both counties
    rows = export(client, city_regulator, "/registry/export/enterprises/?region=141122&q=建筑工程")
    assert column(rows, "enterprises", "name") == [enterprise.name]
    rows = export(client, city_regulator, "/registry/export/enterprises/?region=141102")
    assert column(rows, "enterprises", "name") == [other_enterprise.name]


def test_persons_are_masked_for_users_without_the_permission(client, enterprise_user, employee, outsider):
    rows = export(client, enterprise_user, "/registry/export/persons/")
    assert column(rows, "persons", "id_number") == [mask_id_number(employee.id_number)]
    assert column(rows, "persons", "phone") == [mask_phone(employee.phone)]
    assert employee.id_number not in str(rows)
    log = AuditLog.objects.get(event="registry.exported")
    assert log.data["unmasked"] is False and log.data["rows"] == 1


def test_users_with_the_permission_get_identifiers_and_the_export_is_audited(client, regulator, employee):
    grant_sensitive(regulator)
    rows = export(client, regulator, "/registry/export/persons/?q=张建国")
    assert column(rows, "persons", "id_number") == [employee.id_number]
    assert column(rows, "persons", "phone") == [employee.phone]
    log = AuditLog.objects.get(event="registry.exported")
    assert log.actor == regulator and log.data == {"kind": "persons", "rows": 1, "unmasked": True,
                                                   "filters": {"q": "张建国"}}


def test_identifiers_of_referenced_people_are_masked_too(client, regulator, enterprise, employee):
    enterprise.principal = employee
    enterprise.save()
    rows = export(client, regulator, "/registry/export/enterprises/")
    assert column(rows, "enterprises", "principal_id_number") == [mask_id_number(employee.id_number)]
    assert column(rows, "enterprises", "principal_name") == [employee.name]


def test_a_person_with_two_visible_employments_gives_two_rows(client, regulator, employee, enterprise):
    EmploymentFactory(person=employee, enterprise=enterprise, project=None, kind="leased")
    rows = export(client, regulator, "/registry/export/persons/")
    assert column(rows, "persons", "name") == [employee.name, employee.name]
    assert sorted(str(k) for k in column(rows, "persons", "employment_kind")) == sorted(
        [str(dict(KINDS["persons"].column("employment_kind").choices)["leased"]),
         str(dict(KINDS["persons"].column("employment_kind").choices)["staff"])])


def test_a_project_user_exports_only_their_projects_people(client, project_user, employee, enterprise):
    EmploymentFactory(person=PersonFactory(name="总部职员"), enterprise=enterprise, project=None)
    rows = export(client, project_user, "/registry/export/persons/")
    assert column(rows, "persons", "name") == [employee.name]


def test_certificates_export_with_a_status_filter(client, enterprise_user, employee, outsider):
    CertificateFactory(person=employee, number="有效证", expires=dt.date(2099, 1, 1))
    CertificateFactory(person=employee, number="过期证", issued=dt.date(2015, 1, 1), expires=dt.date(2018, 1, 1))
    CertificateFactory(person=outsider, number="外县证")
    rows = export(client, enterprise_user, "/registry/export/certificates/?status=expired")
    assert column(rows, "certificates", "number") == ["过期证"]
    assert column(rows, "certificates", "issued") == [dt.datetime(2015, 1, 1)]
    rows = export(client, enterprise_user, "/registry/export/certificates/")
    assert sorted(column(rows, "certificates", "number")) == sorted(["有效证", "过期证"])


def test_invalid_filters_are_a_clear_400_not_a_bigger_export(client, regulator):
    client.force_login(regulator)
    for query in ["region=abc", "status=nonsense"]:
        response = client.get(f"/registry/export/projects/?{query}")
        assert response.status_code == 400
    assert not AuditLog.objects.filter(event="registry.exported").exists()


def test_leaders_may_export(client, leader, enterprise):
    names = column(export(client, leader, "/registry/export/enterprises/"), "enterprises", "name")
    assert names == [enterprise.name]
