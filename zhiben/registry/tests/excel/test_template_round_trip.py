"""Download a template, fill it in, upload it: the rows are imported (one test per kind)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.factories import make_id_number, make_uscc
from zhiben.registry.models import Certificate, Employment, Enterprise, ImportJob, Person, Project

pytestmark = pytest.mark.django_db


def fill_template(client, kind: str, rows: list[dict]) -> bytes:
    """Download the template of `kind` and write `rows` (by field) under its header."""
    response = client.get(f"/registry/template/{kind}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    ws = wb.worksheets[0]
    fields = [c.field for c in KINDS[kind].importable_columns]
    for offset, values in enumerate(rows, start=2):
        for index, name in enumerate(fields, start=1):
            if name in values:
                ws.cell(row=offset, column=index, value=values[name])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_the_template_has_the_translated_headers_required_marks_and_instructions(client, regulator):
    client.force_login(regulator)
    response = client.get("/registry/template/certificates/")
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in wb.worksheets[0][1]]
    spec = KINDS["certificates"]
    assert header == [c.header_text() + (" *" if c.required else "") for c in spec.importable_columns]
    assert wb.worksheets[0].column_dimensions["A"].number_format == "@"  # resident IDs keep all their digits
    assert len(wb.worksheets) == 3  # data, hidden choice lists, instructions
    assert wb["lists"].sheet_state == "hidden"
    assert wb.worksheets[2].max_row > len(spec.importable_columns)


def test_enterprises_round_trip(client, regulator, do_import, employee):
    client.force_login(regulator)
    content = fill_template(client, "enterprises", [
        {"name": "交城县宏达建筑有限公司", "uscc": make_uscc(9001), "region": 141122,
         "safety_licence_no": "(晋)JZ安许证字[2024]000123", "safety_licence_issued": dt.date(2024, 1, 5),
         "safety_licence_expires": "2027/1/4", "standardization_level": "Up to standard",
         "principal_id_number": employee.id_number, "phone": "13912345678"},
        {"name": "交城县第二建筑公司", "uscc": make_uscc(9002), "region": "交城县"},
    ])
    response = do_import(regulator, "enterprises", content)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/registry/import/{job.pk}/"
    assert job.status == "succeeded", job.errors
    assert job.summary["created"] == 2 and job.total_rows == 2
    made = Enterprise.objects.get(uscc=make_uscc(9001))
    assert made.principal == employee and made.safety_licence_expires == dt.date(2027, 1, 4)
    assert made.standardization_level == "qualified" and made.region_id == 141122
    page = client.get(f"/registry/import/{job.pk}/")
    assert 'data-status="succeeded"' in page.content.decode()


def test_projects_round_trip(client, regulator, do_import, enterprise, employee):
    client.force_login(regulator)
    content = fill_template(client, "projects", [
        {"name": "交城县第一中学教学楼", "region": "141122", "address": "交城县天宁镇",
         "contractor_uscc": enterprise.uscc,
         "manager_id_number": employee.id_number, "status": "under_construction", "stage": "Main structure",
         "contract_amount": 1234.5, "start_date": "2024年3月1日", "planned_completion": "2025-06-30"},
    ])
    do_import(regulator, "projects", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    project = Project.objects.get(name="交城县第一中学教学楼")
    assert project.contractor == enterprise and project.manager == employee and project.stage == "structure"
    assert str(project.contract_amount) == "1234.50"


def test_persons_round_trip_registers_people_and_their_employment(client, enterprise_user, do_import, enterprise):
    client.force_login(enterprise_user)
    content = fill_template(client, "persons", [
        {"name": "李安全", "id_number": make_id_number(11, birth=dt.date(1990, 2, 3)), "phone": "13800001111",
         "employment_kind": "Dispatched", "position": "专职安全员", "started": "2024-03-01"},
        {"name": "赵电工", "id_number": make_id_number(12, birth=dt.date(1991, 2, 3)), "position": "电工"},
    ])
    do_import(enterprise_user, "persons", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    person = Person.objects.get(name="李安全")
    employment = Employment.objects.get(person=person)
    assert employment.enterprise == enterprise and employment.kind == "dispatched"
    assert employment.started == dt.date(2024, 3, 1) and employment.position == "专职安全员"
    assert Employment.objects.filter(enterprise=enterprise).count() == 2


def test_certificates_round_trip(client, project_user, do_import, employee):
    client.force_login(project_user)
    content = fill_template(client, "certificates", [
        {"person_id_number": employee.id_number, "person_name": "张建国", "kind": "C2",
         "number": "晋建安C2(2024)0000001", "issued": "2024-01-01", "expires": "2027-01-01", "issuer": "山西省住建厅"},
        {"person_id_number": employee.id_number, "kind": "Construction electrician", "number": "T140000001",
         "issued": dt.date(2023, 5, 1), "expires": dt.date(2029, 5, 1)},
    ])
    do_import(project_user, "certificates", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    assert set(Certificate.objects.filter(person=employee).values_list("kind", flat=True)) == {"C2", "electrician"}


def test_an_exported_list_imports_again_as_updates(client, platform_admin, do_import, enterprise, employee):
    client.force_login(platform_admin)  # sees unmasked identifiers, so the export re-imports
    content = b"".join(client.get("/registry/export/enterprises/").streaming_content)
    do_import(platform_admin, "enterprises", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    assert job.summary == {**job.summary, "created": 0, "updated": Enterprise.objects.count()}
