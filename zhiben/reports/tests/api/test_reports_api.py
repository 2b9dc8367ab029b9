"""/api/v1/public/reports/ and /api/v1/reports/: the public journey, the same 404 for a wrong key and a missing
code, rate limits, scope for every member of the cast, and the reporter's identity in no answer but /identity/."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from zhiben.core.models import AuditLog
from zhiben.reports.models import Report
from zhiben.reports.tests.conftest import REPORTER_NAME, REPORTER_PHONE, grant_reveal, jpeg_with_gps

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/reports/"
CAST = ["regulator", "inspector", "leader", "expert", "other_regulator", "city_regulator", "enterprise_user",
        "other_enterprise_user", "project_user", "platform_admin"]
SEES_REPORTS = {"regulator", "inspector", "leader", "city_regulator", "platform_admin"}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_as(request):
    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(request.getfixturevalue(role))
        return client

    return make


def submit(site, **extra):
    body = {"description": "深基坑边无临边防护，工人在坑边堆土", "project": site.pk, "anonymous": False,
            "reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE, **extra}
    return APIClient().post(PUBLIC, body, format="multipart")


def test_a_reporter_submits_with_a_photo_and_follows_the_outcome_with_code_and_key(project, regulator, inspector,
                                                                                leader):
    response = submit(project, photos=[jpeg_with_gps()])
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert set(receipt) == {"receipt_code", "access_key"} and response["Cache-Control"] == "no-store"
    track = APIClient()
    url = f"{PUBLIC}{receipt['receipt_code']}/"
    body = track.get(url, HTTP_X_ACCESS_KEY=receipt["access_key"]).json()
    assert body["status"] == "received" and body["reward"] is None and body["outcome_text"] == ""

    report = Report.objects.get()
    staff = APIClient()
    staff.force_authenticate(regulator)
    assert staff.post(f"/api/v1/reports/{report.pk}/assign/", {"inspector": inspector.pk},
                      format="json").status_code == 200
    staff.force_authenticate(inspector)
    response = staff.post(f"/api/v1/reports/{report.pk}/verify/", {
        "outcome": "substantiated", "note": "现场核实", "public_text": "经核查举报属实，已责令停工整改。",
        "hazard": {"level": "major", "description": "深基坑无临边防护"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["hazard"] is not None
    reward = staff.post(f"/api/v1/reports/{report.pk}/reward/", {"basis": "fine", "fine_amount": "100000"},
                        format="json").json()
    assert reward["amount"] == "15000" and reward["status"] == "proposed"
    staff.force_authenticate(leader)
    assert staff.post(f"/api/v1/rewards/{reward['id']}/approve/", {}, format="json").status_code == 200

    body = track.get(url, HTTP_X_ACCESS_KEY=receipt["access_key"]).json()
    assert body["status"] == "verified" and body["outcome_text"] == "经核查举报属实，已责令停工整改。"
    assert body["reward"] == {"amount": "15000", "status": "approved"}


def test_a_wrong_key_a_missing_key_and_a_missing_code_answer_the_same_404(project):
    receipt = submit(project).json()
    client = APIClient()
    url = f"{PUBLIC}{receipt['receipt_code']}/"
    answers = [
        client.get(url, HTTP_X_ACCESS_KEY="AAAA-AAAA-AAAA-AAAA-AAAA"),
        client.get(url),
        client.get(f"{PUBLIC}ZZZZ-ZZZZ-ZZZZ/", HTTP_X_ACCESS_KEY=receipt["access_key"]),
        client.get(f"{PUBLIC}not-a-code/", HTTP_X_ACCESS_KEY=receipt["access_key"]),
    ]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1


def test_repeated_failed_look_ups_from_one_address_get_429_with_a_chinese_message(project, settings):
    settings.REPORT_TRACK_FAILURE_RATE = "3/h"
    receipt = submit(project).json()
    client = APIClient()
    url = f"{PUBLIC}{receipt['receipt_code']}/"
    for _ in range(3):
        assert client.get(url, HTTP_X_ACCESS_KEY="AAAA-AAAA-AAAA-AAAA-AAAA").status_code == 404
    blocked = client.get(url, HTTP_X_ACCESS_KEY=receipt["access_key"])  # even the right key, once blocked
    assert blocked.status_code == 429 and "请" in blocked.json()["detail"]
    other = APIClient(REMOTE_ADDR="10.9.8.7")
    assert other.get(url, HTTP_X_ACCESS_KEY=receipt["access_key"]).status_code == 200


def test_submissions_are_rate_limited_per_address(project, settings):
    settings.REPORT_SUBMIT_RATE = "2/h"
    assert [submit(project).status_code for _ in range(3)] == [201, 201, 429]
    assert Report.objects.count() == 2


def test_a_spoofed_forwarding_header_does_not_change_the_address_unless_the_proxy_is_trusted(project, settings):
    settings.REPORT_SUBMIT_RATE = "1/h"
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    client = APIClient()
    assert client.post(PUBLIC, {"description": "x", "project": project.pk}, HTTP_X_FORWARDED_FOR="1.1.1.1",
                       format="json").status_code == 201
    assert client.post(PUBLIC, {"description": "x", "project": project.pk}, HTTP_X_FORWARDED_FOR="2.2.2.2",
                       format="json").status_code == 429
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client.post(PUBLIC, {"description": "x", "project": project.pk}, HTTP_X_FORWARDED_FOR="3.3.3.3",
                       format="json").status_code == 201


@pytest.mark.parametrize(("extra", "field"), [
    ({"description": ""}, "description"),
    ({"project": "abc"}, "project"),
    ({"project": 2**64}, "project"),
    ({"reporter_phone": "abc"}, "reporter_phone"),
    ({"anonymous": "maybe"}, "anonymous"),
    ({"internal": True}, "enterprise"),
])
def test_bad_submissions_answer_400_with_the_field(project, extra, field):
    response = submit(project, **extra)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Report.objects.exists()


def test_a_disguised_photo_is_refused_on_the_photos_field(project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    response = submit(project, photos=[fake])
    assert response.status_code == 400 and "photos" in response.json()["errors"]


@pytest.mark.parametrize("role", CAST)
def test_reports_are_seen_only_by_regulators_of_the_region(role, project, client_as):
    submit(project)
    report = Report.objects.get()
    client = client_as(role)
    listed = {r["id"] for r in client.get("/api/v1/reports/").json()["results"]}
    detail = client.get(f"/api/v1/reports/{report.pk}/")
    if role in SEES_REPORTS:
        assert listed == {report.pk} and detail.status_code == 200
    else:
        assert listed == set() and detail.status_code == 404


def test_anonymous_callers_get_401_on_the_regulators_endpoints(project):
    submit(project)
    report = Report.objects.get()
    client = APIClient()
    assert client.get("/api/v1/reports/").status_code == 401
    assert client.post(f"/api/v1/reports/{report.pk}/assign/", {"inspector": 1}, format="json").status_code == 401


def test_no_answer_but_identity_carries_the_name_or_phone_and_identity_needs_permission_and_reason(
        project, client_as, regulator, leader, inspector):
    submit(project)
    report = Report.objects.get()
    seen = []
    client = client_as("regulator")
    seen.append(client.get("/api/v1/reports/"))
    seen.append(client.get(f"/api/v1/reports/{report.pk}/"))
    seen.append(client.post(f"/api/v1/reports/{report.pk}/assign/", {"inspector": inspector.pk}, format="json"))
    denied = client.get(f"/api/v1/reports/{report.pk}/identity/", {"reason": "核实需要"})
    assert denied.status_code == 403
    for response in seen:
        text = json.dumps(response.json(), ensure_ascii=False)
        assert REPORTER_NAME not in text and REPORTER_PHONE not in text
    cookie = APIClient()
    cookie.force_login(grant_reveal(leader))  # a session (a link clicked in an e-mail) reveals nothing
    assert cookie.get(f"/api/v1/reports/{report.pk}/identity/", {"reason": "核实需要联系举报人"}).status_code == 403
    from rest_framework.authtoken.models import Token

    revealer = APIClient()
    revealer.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=leader).key}")
    assert revealer.get(f"/api/v1/reports/{report.pk}/identity/").status_code == 400
    shown = revealer.get(f"/api/v1/reports/{report.pk}/identity/", {"reason": "核实需要联系举报人"})
    assert shown.status_code == 200 and shown.json()["reporter_name"] == REPORTER_NAME
    assert AuditLog.objects.filter(event="report.identity_revealed").count() == 1


def test_actions_in_the_wrong_state_answer_409_and_ids_beyond_64_bits_404(project, client_as):
    submit(project)
    report = Report.objects.get()
    client = client_as("inspector")
    response = client.post(f"/api/v1/reports/{report.pk}/verify/", {
        "outcome": "unsubstantiated", "note": "x", "public_text": "y"}, format="json")
    assert response.status_code == 409
    assert client.get(f"/api/v1/reports/{2**70}/").status_code == 404
    assert client.post(f"/api/v1/reports/{2**70}/assign/", {"inspector": 1}, format="json").status_code == 404


@pytest.mark.parametrize("body", ["[]", '"x"', "1", "null"])
def test_a_body_that_is_not_an_object_is_a_400(body):
    response = APIClient().post(PUBLIC, body, content_type="application/json")
    assert response.status_code == 400


def test_a_photo_larger_than_the_in_memory_limit_is_accepted_from_a_temporary_file(project, settings):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # every upload goes to a temporary file, as a real photo does
    buffer = BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(buffer, format="JPEG", quality=95)
    assert len(buffer.getvalue()) > 1024
    response = submit(project, photos=[SimpleUploadedFile("big.jpg", buffer.getvalue(), content_type="image/jpeg")])
    assert response.status_code == 201, response.content
    assert Report.objects.get().photos.count() == 1
