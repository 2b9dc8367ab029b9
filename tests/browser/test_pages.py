"""The main pages in a real browser: no console error and no failed request on any of them (a missing static file,
the favicon, a script error), and on a phone a readable page header and a filter form folded away."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_USERNAMES, RESULTS_DIR
from tests.browser.test_roles import SETTLED, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = ["/hazards/", "/registry/enterprises/", "/registry/projects/", "/registry/persons/",
         "/registry/certificates/", "/standards/"]
MAIN_PAGES = [*LISTS, "/dashboard/"]
PHONE = {"width": 390, "height": 844}


def watch(page: Page, origin: str) -> list[str]:
    """Everything that would show in the console: errors logged, uncaught exceptions, responses >= 400 from our
    server and requests that failed. The favicon's request is made by the browser itself, outside the page's
    request events, so only its console error shows it: both are listened to."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} ({m.location.get('url')})")
            if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}")
            if r.url.startswith(origin) and r.status >= 400 else None)
    page.on("requestfailed", lambda r: problems.append(f"{r.failure} {r.url}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    return problems


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_roles_home_page_logs_nothing_in_the_console(page, live_server, demo, username):
    problems = watch(page, live_server.url)
    log_in(page, username)
    expect(page.get_by_test_id("home-widgets")).to_be_visible()
    page.reload(wait_until=SETTLED)  # a second load, with the browser's caches warm
    assert not problems, problems


@pytest.mark.parametrize("username", ["jc_inspector", "qiye"])
def test_the_main_pages_log_nothing_in_the_console(page, live_server, demo, username):
    problems = watch(page, live_server.url)
    log_in(page, username)
    for path in MAIN_PAGES:
        response = page.goto(path, wait_until=SETTLED)
        assert response is not None and response.status == 200, path
    page.goto("/hazards/", wait_until=SETTLED)
    page.get_by_test_id("hazard-row").first.locator("a").first.click()
    page.wait_for_load_state(SETTLED)
    expect(page.get_by_test_id("page-title")).to_contain_text("YH")
    assert not problems, problems


def test_the_regulators_work_queue_leads_to_the_filtered_ledger(page, live_server, demo):
    problems = watch(page, live_server.url)
    log_in(page, "jc_inspector")
    entry = page.get_by_test_id("todo-review")
    count = int(entry.get_by_test_id("todo-count").inner_text())
    assert count > 0, "the demo county has rectifications awaiting re-inspection"
    entry.get_by_test_id("todo-link").click()
    page.wait_for_load_state(SETTLED)
    assert "todo=review" in page.url
    assert page.get_by_test_id("hazard-row").count() == min(count, 20)
    assert not problems, problems


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def title_lines(page: Page) -> float:
    """How many lines the page title takes."""
    return page.get_by_test_id("page-title").evaluate(
        "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)")


def test_on_a_phone_the_list_pages_keep_their_title_whole_and_fold_the_filters(phone, live_server, demo):
    problems = watch(phone, live_server.url)
    log_in(phone, "jc_inspector")
    RESULTS_DIR.mkdir(exist_ok=True)
    phone.screenshot(path=RESULTS_DIR / "phone-home-jc_inspector.png", full_page=True)
    for path in LISTS:
        phone.goto(path, wait_until=SETTLED)
        assert title_lines(phone) <= 2, f"{path}: the title wraps over {title_lines(phone):.1f} lines"
        assert phone.get_by_test_id("filters").is_hidden(), f"{path}: the filter form fills the first screen"
        expect(phone.get_by_test_id("filters-toggle")).to_be_visible()
        if path == "/hazards/":
            phone.screenshot(path=RESULTS_DIR / "phone-ledger.png")
            expect(phone.get_by_test_id("hazard-row").first).to_be_in_viewport()
    phone.goto("/hazards/", wait_until=SETTLED)
    phone.get_by_test_id("filters-toggle").click()
    expect(phone.get_by_test_id("filters")).to_be_visible()
    # A filter in use: the form stays open, so the user sees what narrowed the list.
    phone.goto("/hazards/?status=open", wait_until=SETTLED)
    expect(phone.get_by_test_id("filters")).to_be_visible()
    assert not problems, problems


def test_on_a_wide_screen_the_filters_are_simply_there(page, live_server, demo):
    log_in(page, "jc_inspector")
    page.goto("/hazards/", wait_until=SETTLED)
    expect(page.get_by_test_id("filters")).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_be_hidden()
    assert title_lines(page) <= 1.01
