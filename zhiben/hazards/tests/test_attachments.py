"""Evidence files: 10 MB limit (413), type recognised by content not by name (400 otherwise), stored under a
generated name in MEDIA_ROOT, downloaded only by those who may see the hazard."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhiben.hazards.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def docx_bytes() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("整改报告：塔吊基础已重新浇筑。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("readme.txt", date_time=(2025, 1, 1, 0, 0, 0)), "not an office document")
    return buffer.getvalue()


@pytest.fixture
def hazard(register):
    return register()


def upload(api, hazard, name: str, content: bytes, content_type: str = "application/octet-stream"):
    return api.post(f"/api/v1/hazards/{hazard.pk}/attachments/",
                    {"file": SimpleUploadedFile(name, content, content_type=content_type)}, format="multipart")


@pytest.mark.parametrize(
    ("name", "content", "content_type", "suffix"),
    [
        ("现场照片.png", PNG, "image/png", ".png"),
        ("IMG_0001.JPG", JPEG, "image/jpeg", ".jpg"),
        ("整改报告.pdf", PDF, "application/pdf", ".pdf"),
        ("整改报告.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ("photo.txt", JPEG, "image/jpeg", ".jpg"),  # the content decides, not the name
    ],
    ids=["png", "jpeg", "pdf", "docx", "jpeg-named-txt"],
)
def test_accepted_types_are_recognised_by_content(api, hazard, enterprise_user, settings, name, content,
                                                  content_type, suffix):
    content = content if content is not None else docx_bytes()
    api.force_authenticate(enterprise_user)
    response = upload(api, hazard, name, content)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["original_name"], body["content_type"], body["size"]) == (name, content_type, len(content))
    attachment = Attachment.objects.get(pk=body["id"])
    # Stored under a generated name (the uploader's name never reaches the file system) inside MEDIA_ROOT.
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.suffix == suffix and Path(name).stem not in stored.name
    assert attachment.file.name.startswith("hazards/")
    assert stored.read_bytes() == content
    import hashlib

    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    event = hazard.events.get(action="attachment-added")
    assert event.data == {"attachment": attachment.pk, "name": name, "sha256": body["sha256"], "size": len(content)}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.jpg", "这不是图片，只是文字。".encode()),
        ("report.pdf", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", zip_bytes()),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
        ("empty.png", b""),
    ],
    ids=["text-named-jpg", "html-named-pdf", "zip-named-docx", "broken-zip", "empty"],
)
def test_other_content_is_refused_with_400(api, hazard, enterprise_user, name, content):
    api.force_authenticate(enterprise_user)
    response = upload(api, hazard, name, content, "image/jpeg")
    assert response.status_code == 400, response.content
    assert "file" in response.json()["errors"]
    assert not Attachment.objects.exists()
    assert not hazard.events.filter(action="attachment-added").exists()


def test_a_file_over_10_mb_is_refused_with_413(api, hazard, enterprise_user, settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024
    api.force_authenticate(enterprise_user)
    response = upload(api, hazard, "big.png", PNG + b"\x00" * (settings.UPLOAD_MAX_BYTES + 1 - len(PNG)))
    assert response.status_code == 413, response.content
    assert "10 MB" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(api, hazard, enterprise_user, settings):
    api.force_authenticate(enterprise_user)
    response = upload(api, hazard, "big.png", PNG + b"\x00" * (settings.UPLOAD_MAX_BYTES - len(PNG)))
    assert response.status_code == 201, response.content


def test_a_request_without_a_file_is_refused(api, hazard, enterprise_user):
    api.force_authenticate(enterprise_user)
    response = api.post(f"/api/v1/hazards/{hazard.pk}/attachments/", {"file": "not a file"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


@pytest.mark.parametrize(("role", "status"), [
    ("regulator", 201), ("inspector", 201), ("expert", 201), ("enterprise_user", 201), ("project_user", 201),
    ("platform_admin", 201), ("city_regulator", 201), ("leader", 403), ("other_regulator", 404),
    ("other_enterprise_user", 404),
])
def test_who_may_add_evidence(request, api, hazard, role, status):
    api.force_authenticate(request.getfixturevalue(role))
    assert upload(api, hazard, "a.png", PNG).status_code == status


def test_a_void_hazard_takes_no_more_evidence(api, hazard_in, regulator):
    hazard = hazard_in("void")
    api.force_authenticate(regulator)
    assert upload(api, hazard, "a.png", PNG).status_code == 409


def test_evidence_is_listed_with_the_hazard(api, hazard, enterprise_user, other_regulator):
    api.force_authenticate(enterprise_user)
    first = upload(api, hazard, "a.png", PNG).json()
    second = upload(api, hazard, "b.pdf", PDF).json()
    response = api.get(f"/api/v1/hazards/{hazard.pk}/attachments/")
    assert response.status_code == 200
    assert [a["id"] for a in response.json()["results"]] == [first["id"], second["id"]]
    api.force_authenticate(other_regulator)
    assert api.get(f"/api/v1/hazards/{hazard.pk}/attachments/").status_code == 404


@pytest.mark.parametrize(("role", "status"), [
    ("regulator", 200), ("leader", 200), ("city_regulator", 200), ("enterprise_user", 200), ("project_user", 200),
    ("platform_admin", 200), ("other_regulator", 404), ("other_enterprise_user", 404),
])
def test_download_only_in_scope(request, api, client, hazard, enterprise_user, role, status):
    api.force_authenticate(enterprise_user)
    created = upload(api, hazard, "整改报告.pdf", PDF).json()
    assert created["download"] == reverse("hazards:attachment", args=[created["id"]])
    client.force_login(request.getfixturevalue(role))
    response = client.get(created["download"])
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_public_cannot_download(api, client, hazard, enterprise_user):
    api.force_authenticate(enterprise_user)
    created = upload(api, hazard, "a.png", PNG).json()
    response = client.get(created["download"])
    assert response.status_code == 302  # to the login page; the file is never served
    assert "login" in response["Location"]
