"""`manage.py check --deploy` is clean with the settings a production deployment uses (docs/deployment.md)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_it_reports_no_issue_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "ZHIBEN_SSL_REDIRECT", "HSTS_SECONDS",
                       "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the browser tests, never in a deployment
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        ZHIBEN_SECURE="1",
        ALLOWED_HOSTS="example.org",
        ZHIBEN_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "ERRORS" not in output, output
    assert "System check identified no issues" in output, output
