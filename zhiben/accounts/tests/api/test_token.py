"""POST /api/v1/auth/token/: a token for the right password, counted failures, lockout after five."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import PASSWORD
from zhiben.core.models import AuditLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def ask(username: str, password: str):
    return APIClient().post(URL, {"username": username, "password": password}, format="json")


def test_the_right_password_gets_a_token_that_authenticates(regulator):
    response = ask("reg", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/enterprises/").status_code == 200
    assert ask("reg", PASSWORD).json()["token"] == token  # one token per user
    regulator.refresh_from_db()
    assert regulator.last_login is not None
    assert AuditLog.objects.filter(event="token.issued", actor=regulator).count() == 2


def test_a_wrong_password_is_a_400_and_is_audited(regulator):
    response = ask("reg", "Wrong#2024pass")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"]["non_field_errors"]
    assert AuditLog.objects.filter(event="login.failed", actor_name="reg").count() == 1


def test_an_unknown_user_reads_like_a_wrong_password(regulator):
    assert ask("nobody", PASSWORD).json() == ask("reg", "Wrong#2024pass").json()


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(regulator):
    for _ in range(4):
        assert ask("reg", "Wrong#2024pass").status_code == 400
    assert ask("reg", "Wrong#2024pass").status_code == 403  # the fifth failure locks the account, and says so
    response = ask("reg", PASSWORD)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "token" not in response.json()
    assert response.json()["detail"]


def test_the_lockout_is_per_account(regulator, inspector):
    for _ in range(5):
        ask("reg", "Wrong#2024pass")
    assert ask("insp", PASSWORD).status_code == 200


def test_a_success_before_the_limit_resets_the_count(regulator):
    for _ in range(4):
        ask("reg", "Wrong#2024pass")
    assert ask("reg", PASSWORD).status_code == 200
    for _ in range(4):
        ask("reg", "Wrong#2024pass")
    assert ask("reg", PASSWORD).status_code == 200


def test_an_inactive_user_gets_no_token(regulator):
    regulator.is_active = False
    regulator.save()
    assert ask("reg", PASSWORD).status_code == 400


def test_a_token_of_a_deactivated_user_stops_working(regulator):
    token = ask("reg", PASSWORD).json()["token"]
    regulator.is_active = False
    regulator.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/enterprises/").status_code == 401


@pytest.mark.parametrize("body", [{}, {"username": "reg"}, {"password": PASSWORD}, {"username": {"a": 1},
                                                                                    "password": PASSWORD}])
def test_missing_or_malformed_fields_are_a_400_naming_them(body, regulator):
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


def test_malformed_json_is_a_400(regulator):
    response = APIClient().generic("POST", URL, b'{"username": "reg", ', content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_unauthenticated_api_calls_get_401_with_a_token_challenge():
    response = APIClient().get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get("/api/v1/enterprises/").status_code == 401
