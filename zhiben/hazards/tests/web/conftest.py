"""A small hazard world on the fixed cast: a major hazard on the cast's own project in 交城县 ("home") and one on
the other county's project ("other"), both registered through the service; helpers for photos and forms."""

from __future__ import annotations

import struct
import zlib
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

# Who sees which side (BRIEF.md, "Who uses it"); the city regulator and the platform see both counties.
SEES = {
    "regulator": {"home"},
    "inspector": {"home"},
    "leader": {"home"},
    "expert": {"home"},
    "other_regulator": {"other"},
    "city_regulator": {"home", "other"},
    "platform_admin": {"home", "other"},
    "enterprise_user": {"home"},
    "other_enterprise_user": {"other"},
    "project_user": {"home"},
}
CAST = list(SEES)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A tiny valid PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def photo(name: str = "site.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else png_bytes(), content_type="image/png")


def exe_as_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="image/jpeg")


def too_large_message() -> str:
    """What the page says of a file over the limit (in the active language)."""
    return _("The file is larger than %(mb)d MB.") % {"mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}


@pytest.fixture
def world(register, other_regulator, other_project, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        home = register(description="基坑东侧未设置临边防护栏杆", location="1号楼基坑东侧")
        other = register(actor=other_regulator, project_id=other_project.pk, description="外架连墙件缺失")
    return SimpleNamespace(home=home, other=other)


@pytest.fixture
def cast(request):
    """Fetch a cast member by fixture name (parametrised tests)."""
    return lambda name: request.getfixturevalue(name)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
