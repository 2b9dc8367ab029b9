"""Report test helpers: photos made on the fly, the vault keyed per test, reports submitted through the service."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhiben.core import vault
from zhiben.reports import services

REPORTER_NAME = "钱举报"
REPORTER_PHONE = "13800138000"


@pytest.fixture(autouse=True)
def _vault_key(settings):
    settings.VAULT_KEYS = [vault.generate_key()]


def jpeg_with_gps(name: str = "IMG_0001.jpg", size=(64, 48)) -> SimpleUploadedFile:
    """A JPEG whose EXIF carries a GPS position and a camera serial, as a phone writes it."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"            # Make
    exif[0xA431] = "SERIAL-123456"         # BodySerialNumber
    gps = {1: "N", 2: (37.0, 33.0, 0.0), 3: "E", 4: (112.0, 9.0, 0.0)}
    exif[0x8825] = gps                      # GPSInfo
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def submit(project):
    def _submit(**kwargs):
        kwargs.setdefault("description", "塔吊司机无证上岗，夜间违规吊装")
        if "project_name" not in kwargs and "internal" not in kwargs:
            kwargs.setdefault("project_id", project.pk)
        return services.report_submit(**kwargs)

    return _submit


@pytest.fixture
def named_report(submit):
    return submit(anonymous=False, reporter_name=REPORTER_NAME, reporter_phone=REPORTER_PHONE)


def grant_reveal(user):
    user.user_permissions.add(Permission.objects.get(codename="reveal_reporter"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance
