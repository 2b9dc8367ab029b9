"""A file of 2,000 rows is validated and written as one unit."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.registry.factories import make_id_number
from zhiben.registry.models import Employment, ImportJob, Person

from .conftest import row_for, xlsx

pytestmark = pytest.mark.django_db

ROWS = 2000


def rows(n: int) -> list[list]:
    return [
        row_for("persons", name=f"工人{i}", id_number=make_id_number(i, birth=dt.date(1970, 1, 1) + dt.timedelta(
            days=i // 1000)), phone=f"139{i:08d}", employment_kind="Flexible", position="普工")
        for i in range(n)
    ]


def test_a_2000_row_file_imports(client, project_user, project, do_import):
    response = do_import(project_user, "persons", xlsx(rows(ROWS), kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "succeeded", job.errors[:5]
    assert job.total_rows == job.processed_rows == ROWS and job.summary["created"] == ROWS
    assert Person.objects.count() == ROWS
    assert Employment.objects.filter(project=project, kind="flexible").count() == ROWS
    assert 'data-status="succeeded"' in client.get(response.url).content.decode()


def test_a_2000_row_file_with_one_bad_row_writes_nothing(project_user, do_import):
    data = rows(ROWS)
    data[1500][0] = ""  # a name missing on Excel row 1502
    do_import(project_user, "persons", xlsx(data, kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and Person.objects.count() == 0
    assert [(e["row"], e["col"]) for e in job.errors] == [(1502, 1)]
