"""The client's address for rate limits and the audit log: a forwarding header only from trusted proxies (given
as addresses or networks), IPv6 clients counted by their /64; oversized public bodies refused unread."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import RequestFactory

from zhiben.core.audit import _networks, client_ip
from zhiben.core.ratelimit import _key


@pytest.fixture(autouse=True)
def _fresh_networks():
    _networks.cache_clear()


def request(remote: str, forwarded: str = ""):
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)


def test_the_header_counts_only_from_a_trusted_proxy_network(settings):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXIES = ["10.0.1.0/24", "127.0.0.1"]
    assert client_ip(request("10.0.1.7", "1.2.3.4, 5.6.7.8")) == "5.6.7.8"
    assert client_ip(request("::ffff:127.0.0.1", "5.6.7.8")) == "5.6.7.8"
    assert client_ip(request("10.0.2.7", "5.6.7.8")) == "10.0.2.7"
    assert client_ip(request("10.0.1.7", "not-an-address")) == "10.0.1.7"


def test_ipv6_clients_share_a_limit_per_64(settings):
    settings.CLIENT_IP_HEADER = ""
    assert _key("g", request("2001:db8:1:2::1")) == _key("g", request("2001:db8:1:2:ffff::9")) == "2001:db8:1:2::/64"
    assert _key("g", request("192.0.2.1")) == "192.0.2.1"


def test_a_public_body_over_the_limit_is_refused_before_it_is_read(client, settings):
    settings.PUBLIC_BODY_MAX_BYTES = 1000
    response = client.post("/api/v1/public/reports/", data="x" * 2000, content_type="application/json")
    assert response.status_code == 413 and response.json()["errors"]["photos"]
    assert client.post("/public/reports/new/", data="x" * 2000, content_type="text/plain").status_code == 413


def test_the_deploy_check_asks_for_vault_keys_on_a_shared_database(settings):
    from zhiben.core.checks import vault_keys_from_the_environment

    settings.VAULT_KEYS_FROM_ENV = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql"}}
    assert [w.id for w in vault_keys_from_the_environment(None)] == ["zhiben.W001"]
    settings.VAULT_KEYS_FROM_ENV = True
    assert vault_keys_from_the_environment(None) == []
    assert checks  # the check is registered with the deploy tag (run by .ci/run's check --deploy)
