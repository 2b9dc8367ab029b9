"""Export of the hazard list: the list's filters (API.md) and order, the caller's scope, Chinese-capable headers,
a title with the filters applied, a fixed number of queries whatever the number of rows, and a 400 for bad
filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiben.core.models import AuditLog
from zhiben.hazards import services
from zhiben.hazards.excel.export import columns

from .conftest import body, workbook

pytestmark = pytest.mark.django_db

HEADERS = [c.header_text() for c in columns(dt.date(2026, 11, 28))]


def export(client, user, query: str = ""):
    """The response, the title lines above the header, and the data rows as {header: value}."""
    client.force_login(user)
    response = client.get(f"/hazards/export/{'?' + query if query else ''}")
    if response.status_code != 200:
        return response, [], []
    ws = workbook(body(response)).worksheets[0]
    lines = list(ws.iter_rows(values_only=True))
    at = next(i for i, line in enumerate(lines) if line[0] == HEADERS[0])
    assert list(lines[at]) == HEADERS
    rows = [dict(zip(HEADERS, line, strict=True)) for line in lines[at + 1:]]
    return response, [line[0] for line in lines[:at]], rows


def codes(rows) -> set[str]:
    return {row[HEADERS[0]] for row in rows}


@pytest.fixture
def ledger(regulator, other_regulator, project, other_project, register):
    """Four hazards: a closed and an overdue stock hazard and an open increment in 交城县, and an open
    increment in 离石区."""
    common = {"actor": regulator, "project_id": project.pk, "channel": "inspection", "level": "major"}
    closed = services.hazard_import(**common, description="高支模未论证", found_at=dt.date(2023, 8, 1),
                                    deadline=dt.date(2023, 8, 20), status="closed", status_at=dt.date(2023, 8, 18),
                                    standard_item_id=None)
    overdue = services.hazard_import(**common, description="深基坑未监测", found_at=dt.date(2023, 9, 1),
                                     deadline=dt.date(2023, 9, 30), escalation_level=2)
    increment = register(description="外架连墙件缺失", level="general")
    other = register(actor=other_regulator, project_id=other_project.pk, description="临边防护缺失")
    return {"closed": closed.code, "overdue": overdue.code, "increment": increment.code, "other": other.code}


def test_the_export_holds_the_callers_hazards_with_chinese_capable_headers(client, regulator, ledger, project):
    response, title, rows = export(client, regulator)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert codes(rows) == {ledger["closed"], ledger["overdue"], ledger["increment"]}
    by_code = {row[HEADERS[0]]: row for row in rows}
    closed, overdue = by_code[ledger["closed"]], by_code[ledger["overdue"]]
    assert closed[HEADERS[1]] == project.name and closed[HEADERS[2]] == project.contractor.name
    assert closed[HEADERS[3]] == "交城县"
    assert closed[HEADERS[15]].date() == dt.date(2023, 8, 18)  # closed at, Beijing
    assert closed[HEADERS[13]] is None  # not overdue
    assert overdue[HEADERS[13]] == (dt.date(2026, 11, 28) - dt.date(2023, 9, 30)).days
    assert overdue[HEADERS[14]] == 2
    assert overdue[HEADERS[9]] == dt.datetime(2023, 9, 1, 12, 0)  # found at, Beijing wall-clock time
    assert overdue[HEADERS[10]].date() == dt.date(2023, 9, 30)
    assert closed[HEADERS[12]] != by_code[ledger["increment"]][HEADERS[12]]  # stock / increment
    assert len(title) == 3 and "2026-11-28 10:00" in title[2]


def test_the_standard_column_names_version_item_and_text(client, regulator, register, project):
    from zhiben.standards.models import StandardItem

    item = StandardItem.objects.get(code="2024-4.1", standard__version="2024")
    register(standard_item_id=item.pk)
    _response, _title, rows = export(client, regulator)
    cell = rows[0][HEADERS[6]]
    assert "（2024）" in cell and "2024-4.1" in cell and item.text[:20] in cell


def test_the_filters_of_the_list_apply(client, regulator, ledger):
    _r, unfiltered, _rows = export(client, regulator)
    _r, title, rows = export(client, regulator, "is_overdue=true")
    assert codes(rows) == {ledger["overdue"]}
    assert title[1] != unfiltered[1] and "true" not in title[1]  # the filter, as the user reads it
    _r, _t, rows = export(client, regulator, "is_stock=true")
    assert codes(rows) == {ledger["closed"], ledger["overdue"]}
    _r, _t, rows = export(client, regulator, "is_stock=false")
    assert codes(rows) == {ledger["increment"]}
    _r, _t, rows = export(client, regulator, "status=closed")
    assert codes(rows) == {ledger["closed"]}
    _r, _t, rows = export(client, regulator, "level=general")
    assert codes(rows) == {ledger["increment"]}
    _r, _t, rows = export(client, regulator, "found_to=2023-12-31&escalated=true")
    assert codes(rows) == {ledger["overdue"]}
    _r, _t, rows = export(client, regulator, "q=深基坑")
    assert codes(rows) == {ledger["overdue"]}


def test_the_order_of_the_list_applies(client, regulator, ledger):
    _r, _t, rows = export(client, regulator, "ordering=deadline")
    assert [row[HEADERS[0]] for row in rows][:2] == [ledger["closed"], ledger["overdue"]]
    _r, _t, rows = export(client, regulator, "ordering=-deadline")
    assert [row[HEADERS[0]] for row in rows][-2:] == [ledger["overdue"], ledger["closed"]]


def test_the_region_filter_includes_sub_regions_within_the_callers_scope(client, city_regulator, regulator, ledger):
    _r, title, rows = export(client, city_regulator, "region=141100")
    assert codes(rows) == set(ledger.values())
    assert "吕梁市" in title[1]
    _r, _t, rows = export(client, city_regulator, "region=141122")
    assert codes(rows) == {ledger["closed"], ledger["overdue"], ledger["increment"]}
    _r, _t, rows = export(client, regulator, "region=141102")  # another county: nothing, not an error
    assert rows == []


def test_each_caller_exports_only_their_scope(client, other_regulator, enterprise_user, other_enterprise_user,
                                              project_user, ledger):
    for user, expected in [(other_regulator, {ledger["other"]}), (other_enterprise_user, {ledger["other"]}),
                           (enterprise_user, {ledger["closed"], ledger["overdue"], ledger["increment"]}),
                           (project_user, {ledger["closed"], ledger["overdue"], ledger["increment"]})]:
        _r, _t, rows = export(client, user)
        assert codes(rows) == expected, user


def test_a_project_of_another_county_in_the_filters_exports_nothing(client, regulator, other_project, ledger):
    response, title, rows = export(client, regulator, f"project={other_project.pk}")
    assert response.status_code == 200 and rows == []
    assert other_project.name not in " ".join(title)


def test_the_number_of_queries_does_not_grow_with_the_rows(client, regulator, register, ledger):
    client.force_login(regulator)
    query = "region=141122&is_stock=false&ordering=-found_at"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/hazards/export/?{query}")
            assert response.status_code == 200
            body(response)
        return len(queries)

    few = count()
    for i in range(6):
        register(description=f"第{i}处隐患：脚手架剪刀撑缺失", location=f"{i}号楼")
    assert count() == few


@pytest.mark.parametrize("query", [
    "region=abc", "region=99999999999999999999", "ordering=bogus", "is_overdue=maybe", "is_stock=perhaps",
    "enterprise=-1", "project=1e99", "project=99999999999999999999999", "found_from=2024-02-30", "status=gone",
    "q=%00",
])
def test_bad_query_strings_are_a_400_not_a_500(client, regulator, query, ledger):
    response, _t, _rows = export(client, regulator, query)
    assert response.status_code == 400
    assert 'data-testid="export-error"' in response.content.decode()
    assert not AuditLog.objects.filter(event="hazards.exported").exists()


def test_every_export_is_audited_with_its_filters(client, regulator, ledger):
    export(client, regulator, "is_stock=true&page=3")
    entry = AuditLog.objects.get(event="hazards.exported")
    assert entry.actor == regulator and entry.data["rows"] == 2
    assert entry.data["filters"] == {"is_stock": "true"}


def test_control_characters_in_the_data_do_not_break_the_file(client, regulator, register):
    register(description="钢筋\x01堆放\x0b超高")
    response, _t, rows = export(client, regulator, "q=钢筋")
    assert response.status_code == 200 and rows[0][HEADERS[7]] == "钢筋堆放超高"
