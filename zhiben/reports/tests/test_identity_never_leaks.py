"""The reporter's name and phone appear nowhere but the audited reveal: a full journey through the portal, the
regulators' pages and API, the enterprise's view of the hazard, the exports, the notifications, the database's
other tables and the log output are all searched for them."""

from __future__ import annotations

import io
import logging
import zipfile

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from zhiben.notifications.models import Notification, OutboundMessage
from zhiben.reports.models import Report
from zhiben.reports.tests.conftest import REPORTER_NAME, REPORTER_PHONE, grant_reveal, jpeg_with_gps

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # .xlsx / .docx: the XML inside
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                            if n.endswith(".xml"))
    return content.decode("utf-8", "replace")


def test_the_identity_appears_only_in_the_audited_reveal(project, regulator, inspector, leader, enterprise_user,
                                                         caplog, monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    cache.clear()
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    public = Client()
    response = public.post(reverse("public:report_new"), {
        "description": "塔吊司机无证上岗", "project": project.pk, "project_name": project.name, "anonymous": "0",
        "reporter_name": REPORTER_NAME, "reporter_phone": REPORTER_PHONE, "captcha_0": "x", "captcha_1": "PASSED",
        "photos": [jpeg_with_gps()]})
    seen.append(_text(response))
    key = response.context["access_key"]
    report = Report.objects.get()
    seen.append(_text(public.post(reverse("public:track"), {"receipt_code": report.receipt_code,
                                                            "access_key": key})))

    staff = Client()
    staff.force_login(regulator)
    seen += [_text(staff.get(reverse("reports:list"))), _text(staff.get(reverse("reports:detail", args=[report.pk])))]
    staff.post(reverse("reports:assign", args=[report.pk]), {"inspector": inspector.pk})
    staff.force_login(inspector)
    staff.post(reverse("reports:verify", args=[report.pk]), {
        "outcome": "substantiated", "note": "属实", "public_text": "经核查属实。", "level": "major",
        "hazard_description": "塔吊司机无特种作业操作资格证书"})
    report.refresh_from_db()
    assert report.hazard_id, "the verification should have registered the hazard"
    staff.post(reverse("reports:reward", args=[report.pk]), {"basis": "fine", "fine_amount": "30000"})
    photo = report.photos.get()
    seen += [_text(staff.get(reverse("reports:detail", args=[report.pk]))),
             _text(staff.get(reverse("reports:photo", args=[report.pk, photo.pk]))),
             _text(staff.get(reverse("hazards:detail", args=[report.hazard_id]))),
             _text(staff.get(reverse("hazards:list"))),
             _text(staff.get(reverse("hazards:export"))),
             _text(staff.get(reverse("dashboard:campaign"))),
             _text(staff.get(reverse("dashboard:export"))),
             _text(staff.get(reverse("core:home")))]

    api = APIClient()
    api.force_authenticate(regulator)
    seen += [_text(api.get("/api/v1/reports/")), _text(api.get(f"/api/v1/reports/{report.pk}/")),
             _text(api.get("/api/v1/rewards/")), _text(api.get(f"/api/v1/hazards/{report.hazard_id}/")),
             _text(api.get("/api/v1/reports/statistics/"))]
    owner = Client()
    owner.force_login(enterprise_user)
    seen += [_text(owner.get(reverse("hazards:detail", args=[report.hazard_id]))),
             _text(owner.get(reverse("hazards:list"))), _text(owner.get(reverse("core:home")))]

    revealer = Client()
    revealer.force_login(grant_reveal(leader))
    shown = _text(revealer.post(reverse("reports:identity", args=[report.pk]), {"reason": "联系举报人核实细节"}))
    assert REPORTER_NAME in shown and REPORTER_PHONE in shown
    seen.append(_text(revealer.get(reverse("reports:reveals"))))

    seen += [f"{n.title} {n.body}" for n in Notification.objects.all()]
    seen += [f"{m.subject} {m.body} {m.recipient_name} {m.address}" for m in OutboundMessage.objects.all()]
    seen += [record.getMessage() for record in caplog.records]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the schema itself)
            seen.append(" ".join(str(value) for row in cursor.fetchall() for value in row))
    everything = "\n".join(s for s in seen if s)
    assert REPORTER_NAME not in everything
    assert REPORTER_PHONE not in everything
