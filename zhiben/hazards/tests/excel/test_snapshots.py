"""An old ledger imported from Excel reaches back into stored past days: their closing tallies stay equal to the
state intervals (decision 0012)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiben.hazards import snapshots
from zhiben.hazards.excel.jobs import import_job_create, import_job_run
from zhiben.hazards.excel.models import HazardImportJob
from zhiben.hazards.models import HazardSnapshot

from .conftest import ledger_row, upload, xlsx

pytestmark = pytest.mark.django_db


def test_an_import_of_old_rows_adjusts_the_stored_days_once(regulator, project):
    snapshots.build(dt.date(2023, 1, 1), dt.date(2026, 11, 27))
    assert not HazardSnapshot.objects.exists()
    rows = [ledger_row(project, description=f"旧台账第{i}条", found_at=dt.date(2023, 8, 1 + i),
                       deadline=dt.date(2023, 9, 1)) for i in range(3)]
    rows.append(ledger_row(project, description="已销号", found_at=dt.date(2024, 3, 5), status="已销号",
                           status_at=dt.date(2024, 4, 1)))
    job = import_job_create(actor=regulator, upload=upload(xlsx(rows)))
    import_job_run(job.pk)
    assert HazardImportJob.objects.get(pk=job.pk).status == "succeeded"
    closed = {day: sum(n for key, n in snapshots.stored(day).items() if key[4] == "closed")
              for day in (dt.date(2024, 3, 31), dt.date(2024, 4, 1))}
    assert closed == {dt.date(2024, 3, 31): 0, dt.date(2024, 4, 1): 1}
    assert snapshots.check() == []
    assert sum(snapshots.stored(dt.date(2024, 12, 31)).values()) == 4
