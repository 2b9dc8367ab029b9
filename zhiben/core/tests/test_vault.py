"""The identity vault: values sealed at rest, opened only by a configured key, re-sealed on rotation."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from zhiben.core import vault


@pytest.fixture
def keys(settings):
    settings.VAULT_KEYS = [vault.generate_key()]
    return settings


def test_a_sealed_value_holds_no_plain_text_and_opens_again(keys):
    token = vault.seal("张举报 13912345678")
    assert "张举报" not in token and "13912345678" not in token
    assert vault.unseal(token) == "张举报 13912345678"
    assert vault.seal("") == "" and vault.unseal("") == ""


def test_each_seal_differs_so_equal_values_cannot_be_matched(keys):
    assert vault.seal("13912345678") != vault.seal("13912345678")


def test_a_token_from_another_key_does_not_open(keys):
    token = vault.seal("张举报")
    keys.VAULT_KEYS = [vault.generate_key()]
    with pytest.raises(vault.VaultError):
        vault.unseal(token)


def test_after_rotation_old_tokens_open_and_reseal_under_the_new_key(keys):
    old = keys.VAULT_KEYS[0]
    token = vault.seal("张举报")
    keys.VAULT_KEYS = [vault.generate_key(), old]
    assert vault.unseal(token) == "张举报"
    assert not vault.is_current(token)
    fresh = vault.reseal(token)
    assert vault.is_current(fresh)
    keys.VAULT_KEYS = keys.VAULT_KEYS[:1]  # the old key dropped
    assert vault.unseal(fresh) == "张举报"


def test_a_malformed_key_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.VAULT_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        vault.seal("x")


@pytest.mark.django_db
def test_vault_rotate_check_passes_when_nothing_is_sealed(keys):
    call_command("vault_rotate", "--check")


def test_vault_rotate_refuses_without_keys(settings):
    settings.VAULT_KEYS = []
    with pytest.raises(Exception, match="VAULT_KEYS"):
        call_command("vault_rotate")

