"""Uploads are checked by size and by content before a job is created."""

from __future__ import annotations

import pytest

from zhiben.registry.models import ImportJob

from .conftest import upload, xlsx

pytestmark = pytest.mark.django_db


def post(client, user, content: bytes, name: str = "data.xlsx"):
    client.force_login(user)
    return client.post("/registry/import/", {"kind": "persons", "file": upload(content, name)})


def test_a_file_over_10_mb_is_refused_with_a_clear_message(client, enterprise_user):
    big = b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024)
    response = post(client, enterprise_user, big)
    assert response.status_code == 413
    assert "10 MB" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_limit_follows_the_setting(client, enterprise_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = post(client, enterprise_user, b"PK\x03\x04" + b"\0" * (1024 * 1024 + 1))
    assert response.status_code == 413 and "1 MB" in response.content.decode()


@pytest.mark.parametrize("content", [
    b"name,id_number\n\xe5\xbc\xa0\xe4\xb8\x89,141122198506010012\n",  # a CSV renamed to .xlsx
    b"%PDF-1.7\n...",
    b"PK\x03\x04not really a zip",
])
def test_content_that_is_not_xlsx_is_refused_whatever_its_name(client, enterprise_user, content):
    response = post(client, enterprise_user, content, name="人员.xlsx")
    assert response.status_code == 400
    assert "不是 Excel 工作簿" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(client, enterprise_user):
    import zipfile
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    response = post(client, enterprise_user, buffer.getvalue())
    assert response.status_code == 400 and ImportJob.objects.count() == 0


def test_an_old_xls_or_encrypted_workbook_gets_a_hint(client, enterprise_user):
    response = post(client, enterprise_user, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, name="旧表.xls")
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode() and "password" in response.content.decode()


def test_an_empty_file_is_refused(client, enterprise_user):
    response = post(client, enterprise_user, b"")
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


def test_the_stored_file_has_a_generated_name_under_media_root(client, enterprise_user, settings,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = post(client, enterprise_user, xlsx([], kind="persons"), name="../../etc/passwd.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == "pending"
    assert job.file.name.startswith("imports/") and "passwd" not in job.file.name
    assert job.original_name == "passwd.xlsx"
    from pathlib import Path

    assert Path(job.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_too_many_rows_is_a_file_error(enterprise_user, do_import, settings):
    settings.IMPORT_MAX_ROWS = 5
    do_import(enterprise_user, "persons", xlsx([["某", "x"]] * 6, kind="persons"))
    job = ImportJob.objects.get()
    assert job.status == "failed" and "超过 5 行" in job.errors[0]["message"]
