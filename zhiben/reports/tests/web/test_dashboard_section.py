"""The campaign page and the monthly report carry the whistleblowing figures, for regulators only."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from zhiben.core.timeutils import beijing_today

pytestmark = pytest.mark.django_db


def test_regulators_see_the_reports_section_and_enterprises_do_not(submit, regulator, enterprise_user):
    submit()
    staff = Client()
    staff.force_login(regulator)
    page = staff.get(reverse("dashboard:campaign"))
    shown = {row["section"].key: row["figures"] for row in page.context["sections"]}
    assert shown["reports"]["total"] == 1 and 'data-testid="reports-section"' in page.content.decode()
    owner = Client()
    owner.force_login(enterprise_user)
    page = owner.get(reverse("dashboard:campaign"))
    assert page.context["sections"] == [] and 'data-testid="reports-section"' not in page.content.decode()


def test_the_monthly_report_has_a_reports_section(submit, regulator):
    submit()
    today = beijing_today()
    client = Client()
    client.force_login(regulator)
    response = client.get(reverse("dashboard:monthly_report"), {"region": "141122",
                                                                "month": f"{today.year}-{today.month:02d}"})
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("word/document.xml").decode()
    assert "、群众举报" in xml and "属实" in xml
