"""The public portal: a report by phone with a photo, the receipt shown once, tracking by code and key, the
CAPTCHA, rate limits, and text shown as text."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from zhiben.reports.models import Report
from zhiben.reports.tests.conftest import REPORTER_NAME, REPORTER_PHONE, jpeg_with_gps

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _captcha_and_limits(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # "PASSED" is accepted (read at import)
    cache.clear()
    yield
    cache.clear()


def form(site, **extra):
    return {"description": "脚手架连墙件缺失，外架晃动", "project": site.pk, "project_name": site.name,
            "location": "3号楼", "anonymous": "1", "captcha_0": "x", "captcha_1": "PASSED", **extra}


def test_the_portal_and_its_forms_need_no_login(client):
    for name in ("public:portal", "public:report_new", "public:track"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and "login" not in response.get("Location", "")


def test_a_report_with_a_photo_shows_its_receipt_once_and_then_tracks(client, project):
    response = client.post(reverse("public:report_new"), form(project, photos=[jpeg_with_gps()]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    report = Report.objects.get()
    key = response.context["access_key"]
    page = response.content.decode()
    assert report.receipt_code in page and key in page
    assert report.photos.count() == 1

    tracked = Client().post(reverse("public:track"), {"receipt_code": report.receipt_code, "access_key": key})
    assert (tracked.status_code == 200 and "已受理" in tracked.content.decode()) or tracked.context["report"] == report
    wrong = Client().post(reverse("public:track"), {"receipt_code": report.receipt_code, "access_key": "X" * 20})
    missing = Client().post(reverse("public:track"), {"receipt_code": "ZZZZ-ZZZZ-ZZZZ", "access_key": key})
    assert wrong.status_code == missing.status_code == 404
    assert report.description not in wrong.content.decode()


def test_the_real_captcha_is_checked_and_a_wrong_answer_keeps_the_input_and_stores_nothing(client, project,
                                                                                           monkeypatch):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    page = client.get(reverse("public:report_new"))
    hashkey = page.context["form"]["captcha"].field.widget.widgets[1]  # the hidden hashkey widget
    assert hashkey is not None
    store = CaptchaStore.objects.order_by("-pk").first()
    good = client.post(reverse("public:report_new"), form(project, captcha_0=store.hashkey,
                                                          captcha_1=store.response))
    assert good.status_code == 200 and Report.objects.count() == 1
    client.get(reverse("public:report_new"))
    store = CaptchaStore.objects.order_by("-pk").first()
    response = client.post(reverse("public:report_new"), form(project, captcha_0=store.hashkey, captcha_1="WRONG"))
    assert response.status_code == 400 and "captcha" in response.context["form"].errors
    assert "脚手架连墙件缺失" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_named_report_without_a_phone_is_a_form_error_in_chinese(client, project):
    response = client.post(reverse("public:report_new"), form(project, anonymous="0", reporter_name=REPORTER_NAME))
    assert response.status_code == 400 and response.context["form"].errors["reporter_phone"]
    assert not Report.objects.exists()


def test_a_disguised_or_oversized_photo_is_refused_with_a_clear_message(client, project, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"GIF89a<script>", content_type="image/jpeg")
    response = client.post(reverse("public:report_new"), form(project, photos=[fake]))
    assert response.status_code == 400 and response.context["form"].errors["photos"]
    assert not Report.objects.exists()


def test_submissions_past_the_rate_get_429(client, project, settings):
    settings.REPORT_SUBMIT_RATE = "1/h"
    assert client.post(reverse("public:report_new"), form(project)).status_code == 200
    blocked = client.post(reverse("public:report_new"), form(project))
    assert blocked.status_code == 429
    assert Report.objects.count() == 1


def test_the_project_look_up_shows_name_address_and_district_only(client, project, enterprise):
    from zhiben.registry.factories import PersonFactory

    project.manager = PersonFactory(name="项目经理甲", phone="13912340000")
    project.save()
    response = client.get(reverse("public:projects"), {"q": project.name[:4]})
    text = response.content.decode()
    assert project.name in text and "项目经理甲" not in text and "13912340000" not in text
    assert enterprise.uscc not in text


def test_script_in_a_report_is_shown_as_text_to_the_regulator(client, project, regulator):
    client.post(reverse("public:report_new"), form(project, description=XSS, location=XSS, project="", region="141122"))
    report = Report.objects.get()
    staff = Client()
    staff.force_login(regulator)
    for url in (reverse("reports:detail", args=[report.pk]), reverse("reports:list")):
        page = staff.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_named_identity_never_reaches_the_regulators_pages_without_a_reveal(client, project, regulator):
    client.post(reverse("public:report_new"), form(project, anonymous="0", reporter_name=REPORTER_NAME,
                                                  reporter_phone=REPORTER_PHONE))
    report = Report.objects.get()
    staff = Client()
    staff.force_login(regulator)
    for url in (reverse("reports:detail", args=[report.pk]), reverse("reports:list")):
        page = staff.get(url).content.decode()
        assert REPORTER_NAME not in page and REPORTER_PHONE not in page


def test_an_approved_reward_is_claimed_on_the_status_page_and_paid_after_the_claim(client, project, regulator,
                                                                                     inspector, leader):
    from zhiben.reports import services
    from zhiben.reports.tests.conftest import grant_reveal

    receipt = client.post(reverse("public:report_new"), form(project))
    report, key = Report.objects.get(), receipt.context["access_key"]
    services.report_assign(actor=regulator, report_id=report.pk, inspector_id=inspector.pk)
    services.report_verify(actor=inspector, report_id=report.pk, outcome="substantiated", note="属实",
                           public_text="属实。", hazard={"level": "general", "description": "连墙件缺失"})
    reward = services.reward_propose(actor=inspector, report_id=report.pk, basis="fine", fine_amount="30000")
    services.reward_decide(actor=leader, reward_id=reward.pk, approve=True)

    status = Client().post(reverse("public:track"), {"receipt_code": report.receipt_code, "access_key": key})
    assert status.context["claim_form"] is not None and "no-store" in status["Cache-Control"]
    bad = Client().post(reverse("public:claim"), {"receipt_code": report.receipt_code, "access_key": key,
                                                  "name": "钱举报", "phone": "1", "account": "x"})
    assert bad.status_code == 400 and bad.context["claim_form"].errors["phone"]
    wrong_key = Client().post(reverse("public:claim"), {"receipt_code": report.receipt_code, "access_key": "X" * 20,
                                                        "name": "钱举报", "phone": "13800138000",
                                                        "account": "6217000000001234567"})
    assert wrong_key.status_code == 404
    done = Client().post(reverse("public:claim"), {"receipt_code": report.receipt_code, "access_key": key,
                                                   "name": "钱举报", "phone": "13800138000",
                                                   "account": "6217000000001234567"})
    assert done.status_code == 200 and done.context["claim_form"] is None

    staff = Client()
    staff.force_login(grant_reveal(leader))
    page = staff.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "6217000000001234567" not in page and "钱举报" not in page
    shown = staff.post(reverse("reports:reward_claimant", args=[reward.pk]), {"reason": "发放奖励需核对账户"})
    assert "6217000000001234567" in shown.content.decode()
    staff.force_login(inspector)
    paid = staff.post(reverse("reports:reward_pay", args=[reward.pk]), {"paid_on": "2025-01-02",
                                                                          "reference": "财付-1"})
    assert paid.status_code == 302
    reward.refresh_from_db()
    assert reward.status == "paid"


def test_the_look_ups_past_their_rate_answer_429_not_an_error(client, project, settings):
    settings.REPORT_PROJECT_SEARCH_RATE = "2/h"
    codes = [client.get(reverse("public:projects"), {"q": "项目"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(reverse("public:enterprises"), {"q": "公司"}).status_code == 429
