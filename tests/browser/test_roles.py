"""Every demo role, in a real browser: log in through the login page, see the home page with its scope in
the header, open every link of the side navigation without an error page, log out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DEMO_PASSWORD, DEMO_USERNAMES, RESULTS_DIR
from zhiben.accounts.models import User
from zhiben.core.navigation import scope_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u3400-\u9fff]")
# Each step waits until the page's own requests (htmx fragments such as the inbox bell) have finished: on the
# in-memory test database the live server's threads share one SQLite connection, so a request still running
# when the next one starts fails with "database table is locked" — a test artefact, not the app's behaviour.
SETTLED = "networkidle"
# The text a person reads first: the side navigation, the headings and the window title.
UI_TEXT = ".nav-section, .nav-link-title, h1, h2, h3, .page-title"


def log_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/", wait_until=SETTLED)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_load_state(SETTLED)


def record_failures(page: Page, origin: str) -> list[str]:
    """Collect same-origin responses >= 400 and failed requests (a missing CSS or JS file shows up here)."""
    failures: list[str] = []

    def on_response(response):
        if response.url.startswith(origin) and response.status >= 400:
            failures.append(f"{response.status} {response.url}")

    def on_failed(request):
        if "ERR_ABORTED" not in (request.failure or ""):  # a fetch cut short by the next navigation
            failures.append(f"{request.failure} {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return failures


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_each_role_logs_in_walks_the_navigation_and_logs_out(page, live_server, demo, username):
    failures = record_failures(page, live_server.url)
    log_in(page, username)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("scope")).to_contain_text(scope_label(User.objects.get(username=username)))
    # The styles and scripts are served: every stylesheet has rules, htmx and Bootstrap's JS are loaded.
    sheets = page.evaluate("() => Array.from(document.styleSheets).map(s => [s.href, s.cssRules.length])")
    assert len(sheets) >= 3 and all(rules > 0 for _, rules in sheets), sheets
    assert page.evaluate("() => typeof window.htmx !== 'undefined'")
    if username == "jc_admin":
        RESULTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS_DIR / "home-jc_admin.png", full_page=True)

    links = page.locator("aside .nav-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert links, "the side navigation is empty"
    for href in links:
        response = page.goto(href, wait_until=SETTLED)
        assert response is not None and response.status < 400, f"{href}: {response and response.status}"
        assert "/accounts/login/" not in page.url, f"{href} sent {username} back to the login page"
        assert "Server Error" not in page.content(), href

    page.goto("/", wait_until=SETTLED)
    page.locator("[data-bs-toggle=dropdown]").first.click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/", wait_until=SETTLED)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    assert not failures, failures


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_the_home_page_has_no_english_ui_text_left(page, demo, username):
    log_in(page, username)
    texts = [text.strip() for text in page.locator(UI_TEXT).all_inner_texts()] + [page.title()]
    english = [text for text in texts if text and not CJK.search(text)]
    assert not english, f"{username}: untranslated UI text {english}"
