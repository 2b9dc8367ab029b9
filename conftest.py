"""The fixed cast of every test module (STYLE.md): a regulator of the county, one of another county, an
enterprise user, a user of another enterprise, a project user, and the public (an anonymous client)."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

from zhiben.accounts.models import User
from zhiben.registry.factories import EnterpriseFactory, ProjectFactory, county

PASSWORD = "Zhiben#2024test"  # noqa: S105  (test fixture)
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def _on_postgresql() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _move_the_clock() -> None:
    """ZHIBEN_TEST_TODAY=YYYY-MM-DD runs the whole suite with Python's clock moved to that day (same time of
    day, ticking; or give a moment with its offset, to pick the time too), so the suite proves it passes on any
    day, not only the day it was written (.ci/run runs it once more more than a year ahead). Tests that travel
    themselves (time_machine.travel) nest inside it."""
    value = os.environ.get("ZHIBEN_TEST_TODAY", "").strip()
    if not value:
        return
    import datetime as dt

    import time_machine

    try:
        if "T" in value:  # a moment, e.g. 2028-01-07T16:00:30+00:00: just past midnight in Beijing
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                raise ValueError(value)
        else:
            moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.datetime.now(dt.UTC).time(), tzinfo=dt.UTC)
    except ValueError as exc:
        raise pytest.UsageError(
            f"ZHIBEN_TEST_TODAY must be a date YYYY-MM-DD or a moment with its offset, not {value!r}") from exc
    time_machine.travel(moment, tick=True).start()


def pytest_configure(config):
    """Tests see the UI in Chinese, as users do: compile the catalogue if the .po is newer than the .mo."""
    from django.core.management import call_command

    _move_the_clock()
    call_command("compile_catalogue", verbosity=0)


def pytest_report_header(config):
    """What this run depends on beyond `make test`'s own install, said up front rather than discovered."""
    import shutil

    lines = []
    today = os.environ.get("ZHIBEN_TEST_TODAY", "").strip()
    if today:
        lines.append(f"zhiben: clock moved to {today} (ZHIBEN_TEST_TODAY)")
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        lines.append("zhiben: GNU gettext is not installed, so the catalogue completeness test is skipped here "
                     "(.ci/run installs it; on Debian: apt-get install gettext)")
    return lines


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres_only` run only on PostgreSQL (CI's second suite): on SQLite they are deselected,
    not skipped, since they test what SQLite cannot do (row locks with SKIP LOCKED).

    Tests marked `redis` use REDIS_TEST_URL. Without a Redis server they are skipped on a developer's
    machine (`make test` needs only Python and Node), but never in CI, where .ci/run starts Redis first."""
    if not _on_postgresql():
        deselected = [item for item in items if item.get_closest_marker("postgres_only")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]
    needing_redis = [item for item in items if item.get_closest_marker("redis")]
    if not needing_redis or os.environ.get("CI") or _redis_reachable(REDIS_TEST_URL):
        return
    skip = pytest.mark.skip(reason=f"no Redis server at {REDIS_TEST_URL}")
    for item in needing_redis:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_and_local(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username: str, role: str = "", **scope) -> User:
    user = User(username=username, role=role, display_name=username, **scope)
    user.set_password(PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@pytest.fixture
def jiaocheng():
    return county(141122)


@pytest.fixture
def other_county():
    return county(141102)  # 离石区


@pytest.fixture
def enterprise(jiaocheng):
    return EnterpriseFactory(region=jiaocheng, name="交城县建筑工程有限公司")


@pytest.fixture
def other_enterprise(other_county):
    return EnterpriseFactory(region=other_county, name="离石区建设集团有限公司")


@pytest.fixture
def project(enterprise):
    return ProjectFactory(contractor=enterprise, name="交城县人民医院门诊楼")


@pytest.fixture
def other_project(other_enterprise):
    return ProjectFactory(contractor=other_enterprise, name="离石区滨河小区")


@pytest.fixture
def regulator(jiaocheng):
    return make_user("reg", "regulator_admin", region=jiaocheng)


@pytest.fixture
def inspector(jiaocheng):
    return make_user("insp", "inspector", region=jiaocheng)


@pytest.fixture
def leader(jiaocheng):
    return make_user("lead", "leader", region=jiaocheng)


@pytest.fixture
def expert(jiaocheng):
    return make_user("exp", "expert", region=jiaocheng)


@pytest.fixture
def other_regulator(other_county):
    return make_user("reg2", "regulator_admin", region=other_county)


@pytest.fixture
def city_regulator():
    return make_user("city", "regulator_admin", region=county(141100))


@pytest.fixture
def enterprise_user(enterprise):
    return make_user("ent", "enterprise", enterprise=enterprise)


@pytest.fixture
def other_enterprise_user(other_enterprise):
    return make_user("ent2", "enterprise", enterprise=other_enterprise)


@pytest.fixture
def project_user(project):
    return make_user("proj", "project", project=project)


@pytest.fixture
def platform_admin():
    return User.objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def api(client):
    """A DRF test client; `api.force_authenticate(user)` logs a user in."""
    from rest_framework.test import APIClient

    return APIClient()
