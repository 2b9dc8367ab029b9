"""The OpenAPI schema generates cleanly and the Swagger UI is served from local files (no CDN)."""

from __future__ import annotations

import pytest
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

USERS_AND_REGISTRY = [
    path("api/v1/", include("zhiben.accounts.api.urls")),
    path("api/v1/", include("zhiben.registry.api.urls")),
]


def test_the_schema_and_the_docs_respond_200(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for route in ("/api/v1/auth/token/", "/api/v1/users/", "/api/v1/regions/", "/api/v1/regions/{code}/",
                  "/api/v1/enterprises/", "/api/v1/projects/{id}/", "/api/v1/persons/", "/api/v1/certificates/"):
        assert f"{route}:" in text

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "swagger-ui" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


def test_the_users_and_registry_schema_has_no_warnings_and_validates():
    """What `manage.py spectacular --validate --fail-on-warn` checks, for these two sections of API.md."""
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=USERS_AND_REGISTRY).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, (dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache))
    validate_schema(schema)
    assert {"/api/v1/users/", "/api/v1/persons/{id}/", "/api/v1/regions/{code}/"} <= set(schema["paths"])
