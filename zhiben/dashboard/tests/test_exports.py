"""Every table of the page as .xlsx, read back with openpyxl: the same figures as the page, exactly."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhiben.core.models import AuditLog
from zhiben.dashboard.presentation import STATUS_LABELS

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:export")
APRIL = {"region": "141122", "as_of": "2025-04-30", "year": "2025"}


def export(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def rows(response, sheet: int = 0) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return [tuple(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def test_the_summary(client, regulator, ledger, today):
    values = [row[1] for row in rows(export(client, regulator, table="summary", **APRIL))[1:]]
    # stock total/closed/open/rate, increment total/closed/open, by year 2024/2025, open, overdue, escalated
    assert values == [2, 2, 0, 1.0, 9, 6, 3, 3, 6, 3, 2, 2]


def test_the_targets(client, regulator, ledger, today):
    table = rows(export(client, regulator, table="targets", **APRIL))
    assert len(table[0]) == 5
    body = table[1:]
    assert len(body) == (1 + 4) + (1 + 6) + (1 + 3)  # per target: its status row, then its measures
    label = {code: str(text) for code, text in STATUS_LABELS.items()}
    assert [(body[i][1], body[i][3], body[i][4]) for i in (0, 5, 12)] == [
        ("2024-12-31", label["not_met"], label["met"]),
        ("2025-12-31", label["not_reached"], label["not_met"]),
        ("2026-12-31", label["not_reached"], label["not_started"]),
    ]
    assert [(row[1], row[3], row[4]) for i, row in enumerate(body) if i not in (0, 5, 12)] == [
        ("2024-12-31", 2, 2), ("2024-12-31", 1, 2), ("2024-12-31", 1, 0), ("2024-12-31", 0.5, 1.0),
        ("2025-12-31", None, 3), ("2025-12-31", None, 0.25), ("2025-12-31", None, 6), ("2025-12-31", None, 1.5),
        ("2025-12-31", None, 0.6), ("2025-12-31", None, 0.9),
        ("2026-12-31", None, 2), ("2026-12-31", None, 0), ("2026-12-31", None, None),
    ]


def test_the_monthly_table(client, regulator, ledger, today):
    response = export(client, regulator, table="monthly", **APRIL)
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("2025-01", 2, 1, 1, 1, 1.0), ("2025-02", 3, 3, 4, 2, 0.5), ("2025-03", 0, 0, 4, 2, 0.5),
        ("2025-04", 1, 1, 5, 3, 0.6)]
    assert sheet["F2"].number_format == "0.00%"  # a fraction the reader sees as 100.00%


def test_the_rankings(client, regulator, ledger, today):
    assert rows(export(client, regulator, table="rankings_enterprises", **APRIL))[1:] == [
        (1, "交城县路桥工程有限公司", 2, 2, 2), (2, "交城县建筑工程有限公司", 1, 0, 0)]
    assert rows(export(client, regulator, table="rankings_projects", **APRIL))[1:] == [
        (1, "交城县滨河路改造工程", 2, 2, 2), (2, "交城县第三中学宿舍楼", 1, 0, 0)]


def test_the_regions_of_the_city(client, city_regulator, ledger, today):
    table = rows(export(client, city_regulator, table="regions", as_of="2025-04-30"))
    assert len(table) == 1 + 13
    by_code = {row[0]: row for row in table[1:]}
    assert by_code["141122"] == ("141122", "交城县", 2, 2, 0, 1.0, 9, 6, 3, 3, 2, 2)
    assert by_code["141102"] == ("141102", "离石区", 0, 0, 0, None, 1, 0, 1, 1, 1, 1)
    assert by_code["141123"][2:] == (0, 0, 0, None, 0, 0, 0, 0, 0, 0)


def test_the_about_sheet_and_the_audit(client, regulator, ledger, today):
    about = dict(rows(export(client, regulator, table="monthly", **APRIL), sheet=1))
    assert "交城县 (141122)" in about.values()
    assert "2025" in about.values()
    assert AuditLog.objects.filter(event="dashboard.exported").count() == 1


def test_an_enterprise_exports_its_own_figures_only(client, enterprise_user, ledger, world, today):
    values = [row[1] for row in rows(export(client, enterprise_user, table="summary", as_of="2025-04-30"))[1:]]
    assert values[:7] == [1, 1, 0, 1.0, 7, 6, 1]
    assert export(client, enterprise_user, table="summary", enterprise=str(world.b.pk)).status_code == 404


@pytest.mark.parametrize("params", [
    {"table": "everything"}, {}, {"table": "monthly", "as_of": "2024-13-01"}, {"table": "monthly", "region": "abc"},
])
def test_bad_parameters_are_a_400(client, regulator, today, params):
    response = export(client, regulator, **params)
    assert response.status_code == 400
    assert 'data-testid="errors"' in response.content.decode()


def test_out_of_scope_is_a_404(client, other_regulator, expert, today):
    assert export(client, other_regulator, table="monthly", region="141122").status_code == 404
    assert export(client, expert, table="monthly").status_code == 404


def test_the_export_is_dated(client, regulator, ledger, today):
    response = export(client, regulator, table="monthly", **APRIL)
    assert f"campaign-monthly-141122-{dt.date(2025, 4, 30).isoformat()}.xlsx" in response["Content-Disposition"]


@pytest.mark.parametrize("table", ["targets", "summary", "monthly", "rankings_enterprises", "rankings_projects",
                                   "regions"])
def test_no_table_holds_a_formula_even_when_names_look_like_one(client, city_regulator, ledger, today, enterprise,
                                                                project, table):
    from django.db.models import Value
    from django.db.models.functions import Concat

    from zhiben.core.excel.workbooks import formula_cells

    prefix = '=HYPERLINK("http://evil.example/","点击")&'
    for model in (type(enterprise), type(project)):
        model.objects.update(name=Concat(Value(prefix), "name"))
    response = export(client, city_regulator, table=table, as_of="2025-04-30", year="2025")
    content = b"".join(response.streaming_content)
    assert formula_cells(content) == []
    if table.startswith("rankings"):
        names = [row[1] for row in load_workbook(BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
        assert names and all(name.startswith(prefix) for name in names)
