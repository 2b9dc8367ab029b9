"""The whistleblowing journey in a phone-sized browser: an anonymous report with a photo, the receipt's code and
key, a regulator assigning and an inspector verifying it into a hazard, a reward proposed, approved, claimed by
the reporter and paid — each step visible on the tracking page."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD
from zhiben.registry.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SETTLED = "networkidle"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)  # the live server runs in this process
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def staff_page(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/accounts/login/", wait_until=SETTLED)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state(SETTLED)
    return page


def track(phone, code, key):
    phone.goto("/public/reports/track/", wait_until=SETTLED)
    phone.locator("#id_receipt_code").fill(code)
    phone.locator("#id_access_key").fill(key)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state(SETTLED)


def test_an_anonymous_phone_report_is_verified_rewarded_and_followed(phone, browser, live_server, demo, tmp_path):
    project = Project.objects.filter(status="under_construction", region_id=141122).order_by("pk").first()
    photo = tmp_path / "site.jpg"
    buffer = BytesIO()
    Image.new("RGB", (80, 60), (180, 40, 40)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    phone.goto("/public/", wait_until=SETTLED)
    phone.get_by_test_id("report-new").click()
    phone.wait_for_load_state(SETTLED)
    phone.locator("#id_description").fill("<b>外架</b>连墙件被拆除，架子晃动")
    phone.locator("#id_project_name").fill(project.name[:4])
    choice = phone.locator(f'[data-pick="project"][data-id="{project.pk}"]')
    choice.click()
    assert phone.locator('input[name="project"]').input_value() == str(project.pk)
    phone.locator("#id_photos").set_input_files(str(photo))
    phone.locator("#id_captcha_1").fill("PASSED")
    phone.get_by_test_id("submit-report").click()
    phone.wait_for_load_state(SETTLED)
    code = phone.get_by_test_id("receipt-code").inner_text().strip()
    key = phone.get_by_test_id("access-key").inner_text().strip()
    phone.screenshot(path=str(tmp_path / "receipt.png"))

    track(phone, code, key)
    expect(phone.get_by_test_id("status")).to_have_text("已受理")

    from zhiben.reports.models import Report

    report = Report.objects.get(receipt_code=code)
    admin = staff_page(browser, live_server, "jc_admin")
    admin.goto(f"/reports/{report.pk}/", wait_until=SETTLED)
    expect(admin.get_by_test_id("description")).to_contain_text("<b>外架</b>")  # shown as text
    from zhiben.accounts.models import User

    assign = admin.get_by_test_id("assign-form")
    assign.locator("select").select_option(str(User.objects.get(username="jc_inspector").pk))
    assign.get_by_role("button", name="指派").click()
    admin.wait_for_load_state(SETTLED)

    inspector = staff_page(browser, live_server, "jc_inspector")
    inspector.goto(f"/reports/{report.pk}/", wait_until=SETTLED)
    form = inspector.get_by_test_id("verify-form")
    form.locator("#id_outcome").select_option("substantiated")
    form.locator("#id_note").fill("现场核实，3号楼外架连墙件缺失")
    form.locator("#id_public_text").fill("经核查属实，已责令施工单位整改。")
    form.locator("#id_level").select_option("major")
    form.locator("#id_hazard_description").fill("外架连墙件整层缺失")
    form.get_by_role("button", name="保存核查结果").click()
    inspector.wait_for_load_state(SETTLED)
    report.refresh_from_db()
    assert report.hazard_id and report.hazard.channel == "report"
    reward_form = inspector.get_by_test_id("reward-form")
    reward_form.locator("#id_fine_amount").fill("40000")
    reward_form.get_by_role("button").click()
    inspector.wait_for_load_state(SETTLED)

    leader = staff_page(browser, live_server, "jc_leader")
    leader.goto(f"/reports/{report.pk}/", wait_until=SETTLED)
    leader.get_by_test_id("approve-reward").click()
    leader.wait_for_load_state(SETTLED)

    track(phone, code, key)
    expect(phone.get_by_test_id("status")).to_have_text("已核查")
    expect(phone.get_by_test_id("outcome")).to_contain_text("经核查属实")
    expect(phone.get_by_test_id("reward")).to_contain_text("6000")
    phone.locator("#id_name").fill("钱举报")
    phone.locator("#id_phone").fill("13800138000")
    phone.locator("#id_account").fill("6217000000001234567")
    phone.get_by_test_id("claim-submit").click()
    phone.wait_for_load_state(SETTLED)
    expect(phone.get_by_test_id("claimed")).to_be_visible()

    inspector.goto(f"/reports/{report.pk}/", wait_until=SETTLED)
    pay = inspector.get_by_test_id("pay-form")
    pay.locator("#id_paid_on").fill("2026-01-05")
    pay.locator("#id_reference").fill("交住建奖-1")
    pay.get_by_role("button").click()
    inspector.wait_for_load_state(SETTLED)

    track(phone, code, key)
    expect(phone.get_by_test_id("reward")).to_contain_text("已发放")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the status page scrolls sideways on a phone ({width}px)"
