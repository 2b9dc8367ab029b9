"""The monthly report to the city (月报) as .docx, read back with python-docx: official layout and fonts, the
figures as of the end of the month, the overdue and escalated hazards listed, the charts embedded as PNG."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import polib
import pytest
from django.urls import reverse
from docx import Document

from zhiben.dashboard import report
from zhiben.registry.models import Region

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:monthly_report")
PNG = b"\x89PNG\r\n\x1a\n"


def download(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def document(response) -> Document:
    assert response.status_code == 200
    assert response["Content-Type"] == report_content_type()
    return Document(BytesIO(b"".join(response.streaming_content)))


def report_content_type() -> str:
    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_figures_at_the_end_of_february(ledger, regulator, today):
    figures = report.report_figures(user=regulator, region=Region.objects.get(pk=141122), year=2025, month=2)
    assert figures["as_of"] == dt.date(2025, 2, 28)
    assert figures["in_month"]["found"] == 3 and figures["in_month"]["closed"] == 3
    assert figures["year_to_date"] == {"found": 5, "closed": 4}
    assert figures["campaign"]["increment"] == {"total": 8, "closed": 5, "open": 3, "by_year": {"2024": 3, "2025": 5}}
    assert (figures["campaign"]["open_major"], figures["campaign"]["overdue_major"],
            figures["campaign"]["escalated_major"]) == (3, 2, 2)
    assert figures["on_time"] == {"found": 5, "due": 4, "on_time": 2, "closed": 3, "closed_late": 1, "rate": 0.5}
    assert figures["overdue"]["total"] == 2


def test_the_report_reads_as_an_official_document(client, regulator, ledger, today):
    doc = document(download(client, regulator, month="2025-02", region="141122"))
    paragraphs = doc.paragraphs
    issuer = paragraphs[0]
    assert issuer.text == "交城县住房和城乡建设管理局"
    run = issuer.runs[0]
    assert run.font.name == "方正小标宋简体" and str(run.font.color.rgb) == "C00000"
    body = [p for p in paragraphs if p.runs and p.runs[0].font.name == "仿宋_GB2312"]
    assert body, "the text is set in 仿宋_GB2312"
    headings = [p for p in paragraphs if p.runs and p.runs[0].font.name == "黑体"]
    assert len(headings) >= 6
    all_text = "\n".join(texts(doc))
    assert "2025年2月28日" in all_text  # figures as of the end of the month
    assert "交城县" in all_text
    assert texts(doc)[-2:] == ["交城县住房和城乡建设管理局", "2025年5月10日"]  # signature and date
    assert doc.core_properties.author == "交城县住房和城乡建设管理局"
    header_run = doc.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
    assert header_run.font.name == "黑体"


def test_the_report_tables_hold_the_figures(client, regulator, ledger, today):
    doc = document(download(client, regulator, month="2025-02", region="141122"))
    stock, found, overdue, enterprises, projects, channels, reports = doc.tables
    assert [row[1:4] for row in table_rows(stock)[1:]] == [
        ["2", "2", "0"], ["8", "5", "3"], ["3", "", ""], ["5", "", ""]]
    assert table_rows(stock)[1][4] == "100.00%" and table_rows(stock)[2][4] == "62.50%"
    assert [row[1:] for row in table_rows(found)[1:]] == [["3", "3"], ["5", "4"]]
    assert table_rows(found)[1][0] == "2025-02"
    assert [[row[1], row[3], row[4], row[5], row[6]] for row in table_rows(overdue)[1:]] == [
        [ledger["H3"].code, "外脚手架连墙件缺失", "2024-11-20", "100", "3"],
        [ledger["E3"].code, "基坑支护变形超限", "2025-02-10", "18", "1"],
    ]
    assert table_rows(overdue)[1][2] == "交城县路桥工程有限公司 / 交城县滨河路改造工程"
    assert [row[1:] for row in table_rows(enterprises)[1:]] == [
        ["交城县路桥工程有限公司", "2", "2", "2"], ["交城县建筑工程有限公司", "1", "0", "0"]]
    assert [row[1:] for row in table_rows(projects)[1:]] == [
        ["交城县滨河路改造工程", "2", "2", "2"], ["交城县人民医院门诊楼", "1", "0", "0"]]
    assert [row[1:] for row in table_rows(channels)[1:]] == [
        ["3", "60.00%"], ["1", "20.00%"], ["0", "0.00%"], ["1", "20.00%"]]
    assert [row[1:4] for row in table_rows(reports)[1:]] == [["0", "0", "0"], ["0", "0", "0"]]  # no report yet


def test_the_charts_are_embedded_as_png_images(client, regulator, ledger, today):
    doc = document(download(client, regulator, month="2025-02", region="141122"))
    assert len(doc.inline_shapes) == 3
    images = [part for part in doc.part.package.parts if part.content_type == "image/png"]
    assert len(images) == 3 and all(image.blob.startswith(PNG) for image in images)


def test_the_report_speaks_chinese_through_the_catalogue(client, regulator, ledger, today, tmp_path, settings):
    """UI text has English sources; with the zh_Hans catalogue the document reads in Chinese."""
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_Hans"}
    for msgid, msgstr in {
        "%(region)s Housing and Urban-Rural Development Bureau": "%(region)s住房和城乡建设局",
        "%(addressee)s:": "%(addressee)s：",
        "I. Progress on the three targets": "一、三个目标进展情况",
        "II. Stock and increment": "二、存量与增量",
        "%(year)d, issue %(month)d": "〔%(year)d〕第%(month)d期",
    }.items():
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    catalogue.save_as_mofile(str(folder / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path]
    doc = document(download(client, regulator, month="2025-02", region="141122"))
    lines = texts(doc)
    assert lines[1] == "〔2025〕第2期"
    assert "吕梁市住房和城乡建设局：" in lines
    assert "一、三个目标进展情况" in lines and "二、存量与增量" in lines


def test_the_month_defaults_to_the_last_one_and_the_current_one_runs_to_today(client, regulator, ledger, today):
    last = download(client, regulator)
    assert "monthly-report-141122-2025-04.docx" in last["Content-Disposition"]
    current = document(download(client, regulator, month="2025-05"))
    assert "2025年5月10日" in "\n".join(texts(current))


def test_a_city_reports_on_its_counties(client, city_regulator, ledger, today):
    doc = document(download(client, city_regulator, month="2025-04"))
    assert texts(doc)[0].startswith("吕梁市")  # the city's bureau issues it (named through the catalogue)
    region_table = next(t for t in doc.tables if len(t.rows) == 1 + 13)
    jiaocheng = next(row for row in table_rows(region_table) if row[0] == "交城县")
    assert jiaocheng[1:] == ["2", "0", "9", "3", "2", "2"]
    county = document(download(client, city_regulator, month="2025-04", region="141122"))
    assert texts(county)[0] == "交城县住房和城乡建设管理局"


@pytest.mark.parametrize("params", [
    {"month": "2025-13"}, {"month": "2025-00"}, {"month": "2025-6"}, {"month": "abc"}, {"month": "2099-01"},
    {"month": "1999-12"}, {"month": "2025-02", "region": "abc"},
])
def test_bad_months_and_regions_are_a_400(client, regulator, today, params):
    response = download(client, regulator, **params)
    assert response.status_code == 400
    assert 'data-testid="errors"' in response.content.decode()


def test_only_the_bureau_writes_the_report(client, enterprise_user, project_user, expert, other_regulator, leader,
                                           ledger, today):
    for user in (enterprise_user, project_user, expert):
        assert download(client, user, month="2025-02").status_code == 404
    assert download(client, other_regulator, month="2025-02", region="141122").status_code == 404
    assert download(client, leader, month="2025-02").status_code == 200


def test_a_platform_administrator_names_the_region(client, platform_admin, ledger, today):
    assert download(client, platform_admin, month="2025-02").status_code == 400
    assert download(client, platform_admin, month="2025-02", region="141122").status_code == 200
