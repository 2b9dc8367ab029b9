"""Browser tests: Playwright's Python package drives the system Chromium (Debian's /usr/bin/chromium) against
pytest-django's live server, which serves the static files through the staticfiles finders.

`playwright install` cannot download a browser here, so the system one is launched by path. A missing
Chromium is an error, never a skip: .ci/run installs it before these tests run.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from zhiben.accounts.models import User

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RESULTS_DIR = Path(settings.BASE_DIR) / "test-results"

DEMO_PASSWORD = "Zhiben@2024"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_USERNAMES = [
    "admin", "jc_admin", "jc_inspector", "jc_leader", "ll_admin", "zhuanjia", "qiye", "xiangmu", "qiye_fzr",
]


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (or set CHROMIUM)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in the test thread, so Django takes the ORM calls of the
    # tests for calls from async code. They are plain synchronous calls: lift the guard while the browser runs
    # (only then: `check --deploy` in a subprocess of another test must not inherit it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context per test (no cookies carried over), in Chinese and Beijing time."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai",
        viewport={"width": 1440, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _load_demo() -> None:
    """The demo county and its accounts (zhiben/demo), as `make run` serves them."""
    call_command("load_demo", verbosity=0)
    missing = set(DEMO_USERNAMES) - set(User.objects.filter(username__in=DEMO_USERNAMES)
                                        .values_list("username", flat=True))
    assert not missing, f"demo accounts missing: {sorted(missing)}"


@pytest.fixture(scope="session")
def _demo_snapshot(django_db_setup, django_db_blocker):
    """The demo is loaded once and kept as an in-memory copy of the whole SQLite test database, which each test
    restores in milliseconds; the database is then put back as it was, so no other test sees the demo.
    (The live server needs committed data, and pytest-django flushes the database after each such test.)
    The browser tests check the embedded mode, hence SQLite; the PostgreSQL suite covers the queries."""
    if connection.vendor != "sqlite":
        pytest.fail("the browser tests run on SQLite: unset DATABASE_URL")
    # The demo's passwords are hashed as the tests' autouse fixture (root conftest) expects them.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        connection.ensure_connection()
        clean = sqlite3.connect(":memory:")
        connection.connection.backup(clean)
        _load_demo()
        snapshot = sqlite3.connect(":memory:")
        connection.connection.backup(snapshot)
        clean.backup(connection.connection)
    yield snapshot
    snapshot.close()
    clean.close()


@pytest.fixture
def demo(transactional_db, _demo_snapshot):
    """The demo data, committed, for a test that uses the live server."""
    connection.ensure_connection()
    _demo_snapshot.backup(connection.connection)
