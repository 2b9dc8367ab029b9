"""Fixtures of the hazard ledger's Excel tests: imports run inline (no thread), a fixed "now" in late 2026,
workbooks built with openpyxl from field values in the template's column order."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiben.hazards.excel.ledger import LEDGER

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


@pytest.fixture(autouse=True)
def _inline_imports(settings):
    settings.EXCEL_IMPORT_RUNNER = "inline"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


FIELDS = [c.field for c in LEDGER.importable_columns]


def headers() -> list[str]:
    return [c.header_text() for c in LEDGER.importable_columns]


def row_for(**values) -> list:
    """A data row from field values, in the template's column order."""
    return [values.get(f) for f in FIELDS]


def ledger_row(project_, /, **values) -> list:
    """A valid open row for the project `project_` unless `values` say otherwise (`project=` names another)."""
    base = {"project": project_.name, "channel": "督导检查", "level": "重大", "description": "临边防护栏杆缺失",
            "found_at": dt.date(2023, 8, 1)}
    return row_for(**{**base, **values})


def xlsx(rows: list[list], header: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header if header is not None else headers())
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "2023年隐患台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def workbook(content: bytes):
    return load_workbook(BytesIO(content))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def do_import(client, django_capture_on_commit_callbacks):
    """Log in as `user` and upload `content` to the import page; the job runs inline. Returns the response."""

    def run(user, content: bytes, *, name: str = "2023年隐患台账.xlsx"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/hazards/import/", {"file": upload(content, name)})

    return run


@pytest.fixture
def last_job():
    from zhiben.hazards.excel.models import HazardImportJob

    return lambda: HazardImportJob.objects.latest("id")
