"""The identity vault: the most sensitive values (a whistleblower's name and phone) encrypted at rest.

Values are sealed with Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) under the keys in
settings.VAULT_KEYS, newest first: sealing uses the newest, unsealing tries each (MultiFernet), and
`manage.py vault_rotate` re-seals every stored value under the newest key, after which an old key can be
dropped (docs/operations.md).

A sealed column holds only the token. Nothing decrypts on load: a page, serializer, export or log that touches
the model sees ciphertext, never the name. The one way to the plain value is `unseal()`, which the owning app
calls from its reveal service, after the permission check and with the reveal written to the audit log.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class VaultError(Exception):
    """A token that none of the configured keys opens (a wrong or missing key, or a damaged value)."""


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("VAULT_KEYS is empty: set ZHIBEN_VAULT_KEYS (docs/operations.md)")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("ZHIBEN_VAULT_KEYS holds a value that is not a Fernet key") from exc


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.VAULT_KEYS))


def seal(value: str) -> str:
    """The token for `value` under the newest key; the empty string stays empty (nothing to protect)."""
    if not value:
        return ""
    return keyring().encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    """The plain value of a token. Call only from a reveal service that checks permission and audits."""
    if not token:
        return ""
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultError("no configured vault key opens this value") from exc


def reseal(token: str) -> str:
    """The same value sealed under the newest key (unchanged when it already is)."""
    if not token:
        return ""
    try:
        return keyring().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise VaultError("no configured vault key opens this value") from exc


def is_current(token: str) -> bool:
    """Whether the token is sealed under the newest key (empty counts as current)."""
    if not token:
        return True
    try:
        Fernet(settings.VAULT_KEYS[0].encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def generate_key() -> str:
    return Fernet.generate_key().decode()


class SealedField(models.TextField):
    """A text column that holds a vault token. Assign `seal(value)`; read with `unseal()` in a reveal service.

    Marked so `vault_rotate` finds every sealed column of every app without core importing them."""

    sealed = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)


def sealed_fields() -> list[tuple[type[models.Model], list[str]]]:
    """(model, [sealed column names]) for every installed model that has one."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.get_fields() if getattr(f, "sealed", False)]
        if names:
            found.append((model, names))
    return found


SEALED_PLACEHOLDER = _("(protected)")
