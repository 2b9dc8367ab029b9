"""Fixtures of the Excel tests: imports run inline (no thread), workbooks are built with openpyxl."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiben.registry.excel.kinds import KINDS
from zhiben.registry.factories import EmploymentFactory, PersonFactory, make_id_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _inline_imports(settings):
    settings.REGISTRY_IMPORT_RUNNER = "inline"


def headers_of(kind: str) -> list[str]:
    """The (translated) headers the template carries, without the required marks."""
    return [c.header_text() for c in KINDS[kind].importable_columns]


def xlsx(rows: list[list], headers: list[str] | None = None, *, kind: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers if headers is not None else headers_of(kind))
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "data.xlsx", content_type: str = XLSX) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def read_xlsx(content: bytes, sheet: int = 0) -> list[tuple]:
    ws = load_workbook(BytesIO(content)).worksheets[sheet]
    return list(ws.iter_rows(values_only=True))


def row_for(kind_code: str, /, **values) -> list:
    """A row for `kind` from field values, in the template's column order."""
    return [values.get(c.field) for c in KINDS[kind_code].importable_columns]


@pytest.fixture
def do_import(client, django_capture_on_commit_callbacks):
    """Log in as `user`, upload `content` as `kind` and return the job page response (import run inline)."""

    def run(user, kind: str, content: bytes, *, name: str = "data.xlsx"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/registry/import/", {"kind": kind, "file": upload(content, name)})
        return response

    return run


@pytest.fixture
def employee(enterprise, project):
    """A person employed by the cast's enterprise on its project."""
    person = PersonFactory(name="张建国", id_number=make_id_number(501, birth=dt.date(1980, 3, 4)))
    EmploymentFactory(person=person, enterprise=enterprise, project=project)
    return person


@pytest.fixture
def outsider(other_enterprise):
    """A person employed only by the other county's enterprise."""
    person = PersonFactory(name="王外县", id_number=make_id_number(777, region=141102, birth=dt.date(1979, 5, 6)))
    EmploymentFactory(person=person, enterprise=other_enterprise)
    return person
