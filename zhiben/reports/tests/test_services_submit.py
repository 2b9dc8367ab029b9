"""Submitting and tracking a report: codes and keys, sealed identity, photos cleaned, fields checked."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from PIL import Image

from zhiben.core.errors import TooLarge
from zhiben.reports import codes, services
from zhiben.reports.history import verify_chain
from zhiben.reports.models import Report
from zhiben.reports.photos import PhotoRefused
from zhiben.reports.tests.conftest import REPORTER_NAME, REPORTER_PHONE, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_a_report_gets_a_receipt_code_and_a_key_stored_only_as_a_hash(submit, project):
    report, key = submit()
    assert codes.normalise_code(report.receipt_code) == report.receipt_code
    assert len(key.replace("-", "")) == codes.KEY_SYMBOLS
    assert key not in report.key_hash and report.key_hash == codes.key_hash(key)
    assert (report.region_id, report.project_id, report.enterprise_id) == (project.region_id, project.pk,
                                                                           project.contractor_id)
    assert report.status == "received" and verify_chain(report) is None


def test_tracking_needs_the_right_key_and_says_the_same_for_a_wrong_key_and_a_missing_code(submit):
    report, key = submit()
    assert services.report_track(receipt_code=report.receipt_code, access_key=key) == report
    assert services.report_track(receipt_code=report.receipt_code.lower(), access_key=key.lower()) == report
    assert services.report_track(receipt_code=report.receipt_code, access_key=None) is None
    assert services.report_track(receipt_code=report.receipt_code, access_key="") is None
    other_key = codes.new_access_key()
    assert services.report_track(receipt_code=report.receipt_code, access_key=other_key) is None
    assert services.report_track(receipt_code=codes.new_receipt_code(), access_key=key) is None
    assert services.report_track(receipt_code="' OR 1=1 --", access_key=key) is None


def test_the_identity_is_sealed_in_the_database(named_report):
    report, _key = named_report
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM reports_report WHERE id = %s", [report.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert REPORTER_NAME not in row and REPORTER_PHONE not in row
    assert REPORTER_NAME not in str(list(report.events.values_list("data", flat=True)))


def test_an_anonymous_report_keeps_no_name_or_phone_even_if_sent(submit):
    report, _key = submit(anonymous=True, reporter_name=REPORTER_NAME, reporter_phone=REPORTER_PHONE)
    assert report.reporter_name == "" and report.reporter_phone == ""


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"description": ""}, "description"),
    ({"description": "x" * 2001}, "description"),
    ({"description": "a\x00b"}, "description"),
    ({"anonymous": False}, "reporter_name"),
    ({"anonymous": False, "reporter_name": REPORTER_NAME, "reporter_phone": "12345"}, "reporter_phone"),
    ({"project_id": "abc"}, "project"),
    ({"project_id": 2**70}, "project"),
    ({"project_id": None, "project_name": ""}, "project_name"),
    ({"project_id": None, "project_name": "某工地", "region_code": "999999"}, "region"),
    ({"location": "x" * 201}, "location"),
    ({"internal": True}, "enterprise"),
])
def test_bad_input_is_refused_on_the_field_and_nothing_is_stored(submit, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        submit(**kwargs)
    assert field in caught.value.message_dict
    assert not Report.objects.exists()


def test_a_report_by_name_only_needs_a_county(jiaocheng, submit):
    report, _key = submit(project_name="城东某小区工地", location="城东路口", region_code="141122")
    assert report.region_id == 141122 and report.project is None


def test_a_completed_project_cannot_be_chosen(submit, project):
    project.status = "completed"
    project.save()
    with pytest.raises(ValidationError) as caught:
        submit()
    assert "project" in caught.value.message_dict


def test_an_internal_report_names_the_enterprise_and_is_flagged(submit, enterprise, project):
    report, _key = submit(internal=True, enterprise_id=enterprise.pk, project_id=project.pk)
    assert report.internal and report.enterprise == enterprise and report.region_id == enterprise.region_id


def test_an_internal_report_of_another_enterprises_project_is_refused(submit, other_enterprise, project):
    with pytest.raises(ValidationError) as caught:
        submit(internal=True, enterprise_id=other_enterprise.pk, project_id=project.pk)
    assert "project" in caught.value.message_dict


def test_photos_are_stored_without_their_exif_and_gps(submit):
    report, _key = submit(uploads=[jpeg_with_gps()])
    photo = report.photos.get()
    assert photo.content_type == "image/jpeg"
    with photo.file.open("rb") as handle:
        data = handle.read()
    assert b"SERIAL-123456" not in data and b"PhoneMaker" not in data and b"Exif" not in data
    with Image.open(photo.file.path) as image:
        assert not image.getexif() and image.size == (64, 48)
    assert "IMG_0001" not in photo.file.name


def test_a_disguised_file_is_refused_with_its_name(submit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff<script>alert(1)</script>" * 10, content_type="image/jpeg")
    with pytest.raises(PhotoRefused) as caught:
        submit(uploads=[fake])
    assert "photo.jpg" in caught.value.message
    assert not Report.objects.exists()


def test_more_than_five_photos_or_an_oversized_one_is_refused(submit, monkeypatch):
    with pytest.raises(ValidationError) as caught:
        submit(uploads=[jpeg_with_gps(f"{i}.jpg") for i in range(6)])
    assert "photos" in caught.value.message_dict
    big = jpeg_with_gps()
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(TooLarge):
        submit(uploads=[big])
    assert not Report.objects.exists()
