"""Deployment checks of core (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def vault_keys_from_the_environment(app_configs, **kwargs):
    """On a shared database (several nodes), every node must hold the same vault keys: a key generated into one
    node's var/ would seal identities no other node can open."""
    if settings.VAULT_KEYS_FROM_ENV or "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        return []
    return [checks.Warning(
        "ZHIBEN_VAULT_KEYS is not set while the database is shared: each node would generate its own vault key.",
        hint="Set the same ZHIBEN_VAULT_KEYS on every web node and worker (docs/reports.md, the identity vault).",
        id="zhiben.W001",
    )]
