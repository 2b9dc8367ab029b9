from __future__ import annotations

import pytest
from rest_framework.test import APIClient

ROLES = [
    "regulator", "inspector", "leader", "expert", "other_regulator", "city_regulator", "enterprise_user",
    "other_enterprise_user", "project_user", "platform_admin", "anonymous",
]
CAST = [role for role in ROLES if role != "anonymous"]


@pytest.fixture
def cast(request) -> dict:
    """Every cast member, created, by fixture name."""
    return {role: request.getfixturevalue(role) for role in CAST}


@pytest.fixture
def client_as(request):
    """`client_as("leader")` → an APIClient authenticated as that cast member (or anonymous)."""

    def make(role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            client.force_authenticate(request.getfixturevalue(role))
        return client

    return make
