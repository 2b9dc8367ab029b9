"""Download the template, fill in two rows (a closed stock row of 2023, an open increment), import, and find
both hazards in the ledger with their historical statuses and dates."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest

from zhiben.core.timeutils import BEIJING
from zhiben.hazards.excel.ledger import LEDGER
from zhiben.hazards.history import verify_chain
from zhiben.hazards.models import Hazard

from .conftest import FIELDS, body, workbook

pytestmark = pytest.mark.django_db


def _template(client, user):
    client.force_login(user)
    response = client.get("/hazards/import/template/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return workbook(body(response))


def test_the_template_has_headers_an_example_row_and_an_instructions_sheet(client, regulator):
    wb = _template(client, regulator)
    data, notes = wb.worksheets[0], wb.worksheets[-1]
    header = [cell.value for cell in data[1]]
    assert header[0] == LEDGER.column("project").header_text() + " *"
    assert header[FIELDS.index("status")] == LEDGER.column("status").header_text()
    example = [cell.value for cell in data[2]]
    assert example[FIELDS.index("standard_item")] == "2022-4.3"
    assert example[FIELDS.index("found_at")].date() == dt.date(2023, 8, 1)
    explained = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True) if row[0]}
    status_row = explained[LEDGER.column("status").header_text()]
    assert all(str(label) in status_row[3] for _code, label in LEDGER.column("status").choices)
    assert LEDGER.column("status_at").header_text() in explained
    assert data.data_validations.dataValidation  # dropdowns for channel, level and status


def test_the_filled_in_template_imports_two_rows_with_their_history(client, regulator, project, do_import,
                                                                    last_job):
    wb = _template(client, regulator)
    ws = wb.worksheets[0]
    col = {field: index for index, field in enumerate(FIELDS, start=1)}
    closed_stock = {"project": project.name, "channel": "督导检查", "level": "重大", "standard_item": "2022-4.3",
                    "description": "塔吊司机无特种作业操作证上岗", "location": "2号塔吊",
                    "found_at": dt.date(2023, 8, 1), "deadline": dt.date(2023, 8, 20), "status": "已销号",
                    "status_at": dt.date(2023, 8, 18), "escalation_level": 0, "note": "复查合格",
                    "source_ref": "2023-015"}
    open_increment = {"project": project.pk, "channel": "自查", "level": "一般", "description": "配电箱未上锁",
                      "found_at": dt.datetime(2026, 11, 20, 9, 30), "deadline": dt.date(2026, 12, 20),
                      "status": "整改中"}
    for number, values in ((3, closed_stock), (4, open_increment)):  # row 2, the example, is left as it is
        for field, value in values.items():
            ws.cell(row=number, column=col[field], value=value)
    buffer = BytesIO()
    wb.save(buffer)

    response = do_import(regulator, buffer.getvalue())
    job = last_job()
    assert response.status_code == 302 and response["Location"] == f"/hazards/import/{job.pk}/"
    assert job.status == "succeeded", job.errors
    assert job.total_rows == 2 and job.summary["created"] == 2 and job.summary["example_rows"] == [2]

    stock = Hazard.objects.get(source_ref="2023-015")
    assert stock.status == "closed" and stock.is_stock and stock.channel == "inspection"
    assert stock.standard_item.code == "2022-4.3" and stock.standard_item.standard.version == "2022"
    assert stock.closed_at.astimezone(BEIJING).date() == dt.date(2023, 8, 18)
    close = stock.events.get(action="close")
    assert close.effective_at.astimezone(BEIJING).date() == dt.date(2023, 8, 18)  # when it took effect
    assert close.at.astimezone(BEIJING).date() == dt.date(2026, 11, 28)  # when it was recorded: the import
    assert close.data["historical"] is True and close.data["note"] == "复查合格"
    assert [e.action for e in stock.events.order_by("seq")] == ["imported", "submit", "close"]
    assert verify_chain(stock) is None

    increment = Hazard.objects.get(description="配电箱未上锁")
    assert increment.status == "open" and not increment.is_stock
    assert increment.level == "general" and increment.channel == "self"
    assert increment.found_at == dt.datetime(2026, 11, 20, 9, 30, tzinfo=BEIJING)
    assert increment.deadline == dt.date(2026, 12, 20)
    assert Hazard.objects.count() == 2

    page = client.get(f"/hazards/import/{job.pk}/").content.decode()
    assert 'data-status="succeeded"' in page and 'hx-trigger="every 1s"' not in page


def test_an_untouched_template_has_no_data_rows(client, regulator, do_import, last_job):
    wb = _template(client, regulator)
    buffer = BytesIO()
    wb.save(buffer)
    do_import(regulator, buffer.getvalue())
    job = last_job()
    assert job.status == "failed" and job.errors[0]["row"] is None
    assert Hazard.objects.count() == 0
